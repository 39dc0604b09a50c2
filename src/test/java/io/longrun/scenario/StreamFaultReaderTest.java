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
}
