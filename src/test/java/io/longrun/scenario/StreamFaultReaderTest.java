package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.StreamFault.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stream faults in a phase's {@code faults:}, beside the network faults, and the {@code ledger} assertion, read. */
class StreamFaultReaderTest {
    static final String BASE = """
            target: { url: "http://127.0.0.1:8000/event" }
            database: { url: "jdbc:postgresql://127.0.0.1/x" }
            emitters: [ { name: a, rate: 10 }, { name: b, rate: 10 } ]
            proxies: [ { name: db, listen: "127.0.0.1:15432", upstream: "127.0.0.1:5432" } ]
            """;

    @Test
    void readsEachStreamFaultBesideANetworkOne() throws Exception {
        Scenario sc = PhaseReaderTest.read(BASE + """
                phases:
                  - { name: stabilize, duration: 10s }
                  - name: chaos
                    duration: 1m
                    faults:
                      - latency: { proxy: db, ms: 200 }
                      - drop: { pct: 10 }
                      - duplicate: { pct: 5, after_ms: 100, emitters: [b] }
                      - delay: { pct: 2.5, ms: 500, at: 30s }
                      - modify: { pct: 1, path: payload.room, value: nowhere, at: 100 }
                assert:
                  - ledger: { table: events, id_column: id }
                """);
        var phase = sc.experiment().orElseThrow().phases().get(1);
        assertThat(phase.faults()).hasSize(1);
        List<StreamFault> s = phase.stream();
        assertThat(s).extracting(StreamFault::kind).containsExactly(Kind.DROP, Kind.DUPLICATE, Kind.DELAY, Kind.MODIFY);
        assertThat(s).extracting(StreamFault::index).containsExactly(0, 1, 2, 3);
        assertThat(s.get(0).pct()).isEqualTo(10);
        assertThat(s.get(1).ms()).isEqualTo(100);
        assertThat(s.get(1).emitters()).containsExactly("b");
        assertThat(s.get(1).applies("a")).isFalse();
        assertThat(s.get(2).atTime()).contains(Duration.ofSeconds(30));
        assertThat(s.get(3).atCount()).isEqualTo(Optional.of(100L));
        assertThat(s.get(3).path()).isEqualTo("payload.room");
        assertThat(s.get(3).value().asText()).isEqualTo("nowhere");
        assertThat(s.get(0).describe()).isEqualTo("drop 10% of events");
        assertThat(sc.runbook().asserts().get(0)).isInstanceOf(Assertions.Ledger.class);
    }

    @Test
    void namesEveryProblemWithItsPath() {
        String p = PhaseReaderTest.problems(BASE + """
                phases:
                  - { name: stabilize, duration: 10s }
                  - name: chaos
                    duration: 1m
                    faults:
                      - drop: { pct: 120 }
                      - delay: { pct: 5 }
                      - modify: { pct: 1, path: "a..b" }
                      - dorp: { pct: 1 }
                      - drop: { pct: 1, at: -3 }
                """);
        assertThat(p).contains("phases[1].faults[0].drop.pct: must be between 0 and 100, got 120")
                .contains("phases[1].faults[1].delay.ms: missing")
                .contains("phases[1].faults[2].modify.path: not a field path")
                .contains("phases[1].faults[2].modify.value: missing")
                .contains("phases[1].faults[3]: unknown fault \"dorp\"")
                .contains("phases[1].faults[4].drop.at: must be a whole count of events");
        // once the phases read: the emitters a fault names, the ledger assertion's place, the baseline
        String q = PhaseReaderTest.problems(BASE + """
                phases:
                  - { name: stabilize, duration: 10s }
                  - name: chaos
                    duration: 1m
                    faults: [ { duplicate: { pct: 1, emitters: [c] } } ]
                    assert:
                      - ledger: { table: events }
                """);
        assertThat(q).contains("phases[1].faults.duplicate.emitters: no emitter named \"c\"")
                .contains("phases[1].assert[0].ledger: is checked once, at the run's end");
        assertThat(PhaseReaderTest.problems(BASE + """
                phases:
                  - { name: stabilize, duration: 10s, faults: [ { drop: { pct: 5 } } ] }
                  - { name: chaos, duration: 1m }
                """)).contains("phases[0].faults: the first phase is the baseline");
    }

    @Test
    void readsReorderCorruptAndInject() throws Exception {
        Scenario sc = PhaseReaderTest.read(BASE + """
                phases:
                  - { name: stabilize, duration: 10s }
                  - name: chaos
                    duration: 1m
                    faults:
                      - reorder: { window: 8, emitters: [a] }
                      - corrupt: { pct: 2, how: truncate }
                      - corrupt: { pct: 1, how: wrong_type }
                      - corrupt: { pct: 1, how: wrong_type, path: payload.room }
                      - inject: { rate: 3, template: { id: "{{uuid}}", kind: failure }, store: false }
                      - inject: { rate: 1, format: agingos-event }
                """);
        List<StreamFault> s = sc.experiment().orElseThrow().phases().get(1).stream();
        assertThat(s).extracting(StreamFault::kind).containsExactly(Kind.REORDER, Kind.CORRUPT, Kind.CORRUPT, Kind.CORRUPT, Kind.INJECT, Kind.INJECT);
        assertThat(s.get(0).window()).isEqualTo(8);
        assertThat(s.get(0).describe()).isEqualTo("reorder events within windows of 8 (emitters a)");
        assertThat(s.get(1).how()).isEqualTo(StreamFault.Corruption.TRUNCATE);
        assertThat(s.get(2).path()).as("wrong_type's default field").isEqualTo("timestamp");
        assertThat(s.get(3).describe()).isEqualTo("corrupt 1% of events (wrong_type at payload.room)");
        assertThat(s.get(4).pct()).isEqualTo(3);
        assertThat(s.get(4).inject().store()).isFalse();
        assertThat(s.get(4).inject().template().get("kind").asText()).isEqualTo("failure");
        assertThat(s.get(5).inject().format()).isEqualTo("agingos-event");
        assertThat(s.get(5).inject().store()).as("stored by default").isTrue();
        assertThat(s.get(5).describe()).isEqualTo("inject 1 extra event(s) per 100 (format agingos-event, to be stored)");
    }

    @Test
    void namesEveryProblemOfTheNewFaultsWithItsPath() {
        String p = PhaseReaderTest.problems(BASE + """
                phases:
                  - { name: stabilize, duration: 10s }
                  - name: chaos
                    duration: 1m
                    faults:
                      - reorder: { window: 1 }
                      - reorder: { pct: 5 }
                      - corrupt: { pct: 1, how: scramble }
                      - corrupt: { pct: 1 }
                      - corrupt: { pct: 1, how: truncate, path: timestamp }
                      - inject: { rate: 2 }
                      - inject: { rate: 2, format: nosuch }
                      - inject: { rate: 2, format: json, template: { id: x } }
                      - inject: { format: json, store: maybe }
                      - inject: { rate: 1, template: { id: "{{nosuch}}" } }
                """);
        assertThat(p).contains("phases[1].faults[0].reorder.window: must be between 2 and 10000, got 1")
                .contains("phases[1].faults[1].reorder.window: missing")
                .contains("phases[1].faults[1].reorder.pct: unknown key")
                .contains("phases[1].faults[2].corrupt.how: must be one of truncate, bad_json, wrong_type, got \"scramble\"")
                .contains("phases[1].faults[3].corrupt.how: missing: one of truncate, bad_json, wrong_type")
                .contains("phases[1].faults[4].corrupt.path: only wrong_type takes a path")
                .contains("phases[1].faults[5].inject.format: missing: the extra events' format")
                .contains("phases[1].faults[6].inject.format: must be one of agingos-event")
                .contains("phases[1].faults[7].inject.template: give format or template, not both")
                .contains("phases[1].faults[8].inject.rate: missing")
                .contains("phases[1].faults[8].inject.store: must be")
                .contains("phases[1].faults[9].inject.template:");
        assertThat(p).doesNotContain("Exception").doesNotContain("io.longrun");
    }
}
