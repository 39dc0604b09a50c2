package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.pace.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The set of faults that are on, as the runtime fault API changes it; what --fault starts with reads back the same. */
class LiveFaultsTest {
    /** One SPEC of every fault; {@link Faults#KNOWN} must have one here, so a new fault cannot be left unswitchable. */
    static final List<String> EVERY = List.of("latency=200ms", "error_rate=0.2", "error_ramp=30%/m", "down_after=20s", "hot_loop=50/s",
            "rate_limit=100/s", "log_noise=30/m", "repeated_exception=30/m", "non_utc=3", "slow_after=5m", "slow_latency=900ms", "dup_deviations",
            "db_bloat=50MB/m", "lose=0.01", "no_reconnect", "dup_events", "lenient");

    @Test
    void everyFaultGivenAtStartReadsBackTheSame() {
        assertThat(EVERY.stream().map(Faults::name).toList()).containsExactlyInAnyOrderElementsOf(Faults.KNOWN);
        Faults f = Faults.parse(EVERY);
        assertThat(LiveFaults.of(f, Clock.SYSTEM).faults()).isEqualTo(f);
        assertThat(LiveFaults.of(Faults.NONE, Clock.SYSTEM).faults()).isEqualTo(Faults.NONE);
        assertThat(LiveFaults.of(Faults.parse(List.of("error_ramp=0.01/s", "slow_after=1s")), Clock.SYSTEM).faults())
                .isEqualTo(Faults.parse(List.of("error_ramp=0.01/s", "slow_after=1s")));
    }

    @Test
    void aFaultSetAgainTakesItsNewSpecAndTheOthersStay() {
        LiveFaults live = new LiveFaults(List.of("latency=200ms", "lenient"), Clock.SYSTEM);
        live.set(List.of("latency=50ms", "error_rate=0.5"), "fault");
        assertThat(live.faults().latency().orElseThrow().toMillis()).isEqualTo(50);
        assertThat(live.faults().errorRate()).isEqualTo(0.5);
        assertThat(live.faults().lenient()).isTrue();
        assertThat(live.now().on().keySet()).containsExactly("lenient", "latency", "error_rate");
    }

    @Test
    void aBadSpecChangesNothingAndIsToldAsTheCommandLineTellsIt() {
        LiveFaults live = new LiveFaults(List.of("latency=200ms"), Clock.SYSTEM);
        LiveFaults.Snapshot before = live.now();
        assertThatThrownBy(() -> live.set(List.of("error_rate=2", "dup_events"), "fault")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fault error_rate=2: error_rate needs a share between 0 and 1, e.g. error_rate=0.2");
        assertThatThrownBy(() -> live.set(List.of("lenient", "lenient"), "fault")).hasMessage("fault lenient: lenient is given more than once");
        assertThatThrownBy(() -> live.set(List.of("slow_latency=2s"), "fault")).hasMessageContaining("slow_latency needs slow_after=DUR as well");
        assertThatThrownBy(() -> live.set(List.of("dup_events=1"), "fault")).hasMessage("fault dup_events=1: dup_events takes no value: write fault dup_events");
        assertThat(live.now()).isSameAs(before);
        List<String> messages = new ArrayList<>();
        try {
            Faults.parse(List.of("error_rate=2"));
        } catch (IllegalArgumentException e) {
            messages.add(e.getMessage());
        }
        assertThat(messages).containsExactly("--fault error_rate=2: error_rate needs a share between 0 and 1, e.g. error_rate=0.2");
    }

    @Test
    void slowLatencyJoinsSlowAfterAndGoesWithIt() {
        LiveFaults live = new LiveFaults(List.of(), Clock.SYSTEM);
        live.set(List.of("slow_after=0s"), "fault");
        live.set(List.of("slow_latency=2s"), "fault");
        assertThat(live.faults().slowLatency().toMillis()).isEqualTo(2000);
        assertThat(live.remove("slow_after")).isTrue();
        assertThat(live.faults()).isEqualTo(Faults.NONE);
        assertThat(live.remove("slow_after")).isFalse();
    }

    @Test
    void timeFaultsCountFromWhenTheyWereSwitchedOn() {
        long[] t = {1_000};
        Clock clock = new Clock() {
            public long nanoTime() {
                return t[0];
            }

            public java.time.Instant now() {
                return java.time.Instant.ofEpochSecond(t[0]);
            }

            public void parkUntil(long deadline) {}

            public boolean tryAcquire(java.util.concurrent.Semaphore permits, long deadline) {
                return permits.tryAcquire();
            }
        };
        LiveFaults live = new LiveFaults(List.of("down_after=5s"), clock);
        t[0] = 7_000;
        live.set(List.of("error_ramp=10%/s"), "fault");
        assertThat(live.now().since("down_after")).contains(1_000L);
        assertThat(live.now().since("error_ramp")).contains(7_000L);
        live.set(List.of("down_after=5s"), "fault");
        assertThat(live.now().since("down_after")).as("set again: counts again").contains(7_000L);
        live.clear();
        assertThat(live.now().since("down_after")).isEmpty();
        assertThat(live.faults()).isEqualTo(Faults.NONE);
    }
}
