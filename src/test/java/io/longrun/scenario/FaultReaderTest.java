package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Stream;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultReaderTest {
    static final String BASE = """
            duration: 1m
            target: { url: "http://127.0.0.1:8000/event" }
            emitters: [ { name: a, rate: 1 } ]
            """;

    /** Reads {@code proxies:} and a fault list under {@code faults:} as a phase would, and the problems found. */
    record Read(List<ProxySpec> proxies, List<FaultSpec> faults, List<String> problems) {}

    static Read read(String yaml) throws ScenarioException {
        YamlDoc doc = YamlDoc.read("s.yaml", new StringReader(yaml));
        Fields.Problems problems = new Fields.Problems(doc);
        Fields top = new Fields(problems, "", doc.root());
        List<ProxySpec> proxies = FaultReader.proxies(top);
        List<FaultSpec> faults = FaultReader.faults(top, "faults", proxies);
        return new Read(proxies, faults, problems.list());
    }

    @Test
    void readsEveryFaultKindWithItsDefaults() throws Exception {
        Read r = read("""
                proxies:
                  - { name: db, listen: "127.0.0.1:15432", upstream: "127.0.0.1:5432" }
                  - { name: api, listen: "[::1]:18000", upstream: "localhost:8000" }
                faults:
                  - latency: { proxy: db, ms: 200, jitter_ms: 20, stream: upstream }
                  - bandwidth: { proxy: db, kb_per_s: 64 }
                  - timeout: { proxy: db, ms: 0 }
                  - reset: { proxy: api, stream: both }
                  - slicer: { proxy: db, avg_bytes: 100 }
                  - limit_data: { proxy: db, bytes: 5000 }
                  - down: { proxy: api }
                  - loss: { proxy: db, pct: 2.5 }
                """);
        assertThat(r.problems()).isEmpty();
        assertThat(r.proxies()).containsExactly(new ProxySpec("db", "127.0.0.1:15432", "127.0.0.1:5432"),
                new ProxySpec("api", "[::1]:18000", "localhost:8000"));
        assertThat(r.proxies().get(1).listenHost()).isEqualTo("::1");
        assertThat(r.proxies().get(1).listenPort()).isEqualTo(18000);
        List<FaultSpec> f = r.faults();
        assertThat(f).extracting(FaultSpec::kind).containsExactly(Kind.LATENCY, Kind.BANDWIDTH, Kind.TIMEOUT, Kind.RESET, Kind.SLICER,
                Kind.LIMIT_DATA, Kind.DOWN, Kind.LOSS);
        assertThat(f.get(0)).isEqualTo(new FaultSpec(Kind.LATENCY, "db", Stream.UPSTREAM, Map.of("ms", 200.0, "jitter_ms", 20.0)));
        assertThat(f.get(1).stream()).isEqualTo(Stream.DOWNSTREAM); // Toxiproxy's default
        assertThat(f.get(3).params()).isEqualTo(Map.of("after_ms", 0.0));
        assertThat(f.get(3).stream()).isEqualTo(Stream.BOTH);
        assertThat(f.get(4).params()).isEqualTo(Map.of("avg_bytes", 100.0, "jitter_bytes", 0.0, "delay_us", 0.0));
        assertThat(f.get(7).param("pct")).isEqualTo(2.5);
        assertThat(f.get(0).describe()).isEqualTo("latency 200 ms ± 20 ms on db (upstream)");
        assertThat(f.get(6).describe()).isEqualTo("down on api");
        assertThat(f.get(7).describe()).isEqualTo("loss 2.5% (emulated) on db (downstream)");
    }

    @Test
    void everyProblemIsNamedWithItsLineAndPath() throws Exception {
        Read r = read("""
                proxies:
                  - { name: db, listen: "127.0.0.1:15432", upstream: "127.0.0.1:5432" }
                  - { name: db, listen: "127.0.0.1:15432", upstream: "127.0.0.1:5433" }
                  - { name: x, listen: "15433", upstream: "127.0.0.1:99999" }
                faults:
                  - latency: { proxy: dv, ms: 200 }
                  - latncy: { proxy: db, ms: 200 }
                  - bandwidth: { proxy: db, kb_per_sec: 10 }
                  - timeout: { proxy: db }
                  - down: { proxy: db, stream: upstream }
                  - latency: { proxy: db, ms: 10, jitter_ms: 20, stream: sideways }
                  - slicer: { proxy: db, avg_bytes: 10, jitter_bytes: 10 }
                  - loss: { proxy: db, pct: 120 }
                  - { latency: { proxy: db, ms: 1 }, loss: { proxy: db, pct: 1 } }
                """);
        assertThat(r.problems()).containsExactly(
                "s.yaml:3: proxies[1].name: two proxies are named \"db\"",
                "s.yaml:4: proxies[2].listen: must be host:port, e.g. 127.0.0.1:15432, got \"15433\"",
                "s.yaml:4: proxies[2].upstream: the port must be a number from 1 to 65535, got \"99999\"",
                "s.yaml:6: faults[0].latency.proxy: no proxy named \"dv\" in proxies: (did you mean 'db'?); known: db",
                "s.yaml:7: faults[1]: unknown fault \"latncy\" (did you mean 'latency'?); each item names exactly one fault: "
                        + "latency, bandwidth, timeout, reset, slicer, limit_data, down, loss, drop, duplicate, delay, reorder, modify, corrupt, inject",
                "s.yaml:8: faults[2].bandwidth.kb_per_s: missing",
                "s.yaml:8: faults[2].bandwidth.kb_per_sec: unknown key (did you mean 'kb_per_s'?); known keys here: proxy, stream, kb_per_s",
                "s.yaml:9: faults[3].timeout.ms: missing",
                "s.yaml:10: faults[4].down.stream: down takes the whole proxy away; stream does not apply",
                "s.yaml:11: faults[5].latency.stream: must be upstream, downstream or both, got \"sideways\"",
                "s.yaml:12: faults[6].slicer.jitter_bytes: must be less than avg_bytes",
                "s.yaml:13: faults[7].loss.pct: must be between 0.001 and 100, got 120",
                "s.yaml:14: faults[8]: each item names exactly one fault: latency, bandwidth, timeout, reset, slicer, limit_data, down, loss, drop, duplicate, delay, reorder, modify, corrupt, inject");
    }

    @Test
    void aScenarioCarriesItsProxiesAndFaultEngine() throws Exception {
        Scenario embedded = ScenarioReaderTest.read(BASE + "proxies: [ { name: db, listen: \"127.0.0.1:15432\", upstream: \"127.0.0.1:5432\" } ]\n",
                Overrides.NONE);
        assertThat(embedded.proxies()).extracting(ProxySpec::name).containsExactly("db");
        assertThat(embedded.faultEngine()).isEqualTo(FaultEngineSpec.EMBEDDED);
        assertThat(ScenarioReaderTest.read(BASE, Overrides.NONE).proxies()).isEmpty();
        Scenario toxiproxy = ScenarioReaderTest.read(BASE + "fault_engine: { toxiproxy: \"http://127.0.0.1:8474/\", timeout: 2s }\n", Overrides.NONE);
        assertThat(toxiproxy.faultEngine()).isEqualTo(new FaultEngineSpec(Optional.of("http://127.0.0.1:8474"), Duration.ofSeconds(2)));
    }

    @Test
    void aBadFaultEngineOrProxyIsAProblemOfTheScenario() {
        ScenarioException e = ScenarioReaderTest.problems(BASE + """
                fault_engine: { toxiproxy: "127.0.0.1:8474", timout: 2s }
                proxies: [ { name: db, listen: "127.0.0.1:5432", upstream: "127.0.0.1:5432" } ]
                """);
        assertThat(e.problems()).containsExactly(
                "s.yaml:4: fault_engine.toxiproxy: not a URL: \"127.0.0.1:8474\"",
                "s.yaml:4: fault_engine.timout: unknown key (did you mean 'timeout'?); known keys here: toxiproxy, timeout",
                "s.yaml:5: proxies[0].upstream: is the proxy's own listen address: it would forward to itself");
    }
}
