package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.TargetRules.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler's and the fault loop's arithmetic: pure functions, tested with tables. */
class SchedulerTest {
    static Rule every(String name, Duration d) {
        return new Rule(name, "motion", Duration.ofMinutes(10), d, "room", Duration.ofHours(1), "warning", true);
    }

    @Test
    void theTimersPeriodIsTheGreatestCommonDivisorAndEachRuleRunsOnItsMultiples() {
        Rule a = every("a", Duration.ofSeconds(30)), b = every("b", Duration.ofSeconds(45)), c = every("c", Duration.ofSeconds(30));
        assertThat(Scheduler.period(List.of(a))).isEqualTo(30_000);
        assertThat(Scheduler.period(List.of(a, b))).isEqualTo(15_000);
        assertThat(Scheduler.period(List.of())).isZero();
        // ticks of 15 s: a at 30, 60, 90 s; b at 45, 90 s
        List<String> fired = new ArrayList<>();
        for (long n = 1; n <= 6; n++)
            fired.add(n * 15 + "s:" + String.join("", Scheduler.due(List.of(a, b, c), 15_000, n).stream().map(Rule::name).toList()));
        assertThat(fired).containsExactly("15s:", "30s:ac", "45s:b", "60s:ac", "75s:", "90s:abc");
    }

    @Test
    void aSubjectDeviatesWhenLastSeenBeforeTheAbsenceWindow() {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");
        Map<String, Instant> seen = Map.of(
                "kitchen", now.minus(Duration.ofMinutes(20)),   // quiet for 20 min: deviates
                "hall", now.minus(Duration.ofMinutes(1)),       // seen a minute ago
                "porch", now.minus(Duration.ofMinutes(10)),     // exactly 10 min: not yet
                "attic", now.plus(Duration.ofMinutes(5)));      // a timestamp in the future: seen
        assertThat(Scheduler.absent(seen, now, Duration.ofMinutes(10))).containsOnlyKeys("kitchen");
    }

    @Test
    void aRateIsDueFromTheFirstTickNotFromThePreviousOne() {
        FaultLoops.Due d = new FaultLoops.Due(2.5); // 2.5 a second
        long s = 1_000_000_000L;
        assertThat(d.take(s)).isZero();                    // starts the clock
        assertThat(d.take(s + 100_000_000L)).isZero();      // 0.25 due
        assertThat(d.take(s + 400_000_000L)).isEqualTo(1);  // 1.0 due
        assertThat(d.take(s + 3_000_000_000L)).isEqualTo(6); // a late tick catches up: 7.5 due, 7 in all
        assertThat(d.take(s + 3_000_000_000L)).isZero();
        assertThat(new FaultLoops.Due(0).take(s + 9_000_000_000L)).isZero();
    }

    @Test
    void loseIsAHashOfTheIdsText() {
        // crc32("00000000-0000-0000-0000-000000000001") = 0xf656ea1f, 0.962 of 2^32 (Python: zlib.crc32(b"...") / 2**32)
        java.util.UUID id = java.util.UUID.fromString("00000000-0000-0000-0000-000000000001");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(id.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        double x = crc.getValue() / 4294967296.0;
        assertThat(x).isCloseTo(0.9622637, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Faults.lost(id, x + 1e-9)).isTrue();
        assertThat(Faults.lost(id, x)).isFalse();
        assertThat(Faults.lost(id, 1)).isTrue();
        assertThat(Faults.lost(id, 0)).isFalse();
    }
}
