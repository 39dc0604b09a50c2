package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.fault.ProxyServer;
import io.longrun.fault.ToxiproxyClient;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Await;
import io.longrun.testing.Cli;
import io.longrun.testing.LongrunProcess;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault experiments through the command line, with a proxy between longrun and the reference target: the phase's
 * fault is on during its phase only, as a client through the proxy measures it; the records come in order; and the
 * faults come off when a criterion aborts the run and when SIGTERM comes mid-phase.
 */
class ExperimentRunTest {
    @TempDir
    Path dir;

    /** One request through the proxy: when it was sent and how long it took. */
    record Probe(Instant at, double ms) {}

    @Test
    void thePhasesFaultIsOnDuringItsPhaseOnlyMeasuredFromOutside() throws Exception {
        DbSettings db = TestDb.freshSchema();
        int port = MetricsTest.freePort();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("x.yaml");
            Files.writeString(sc, """
                    name: latency-experiment
                    target: { url: "http://127.0.0.1:%d/event" }
                    emitters: [ { name: a, rate: 20 } ]
                    proxies: [ { name: api, listen: "127.0.0.1:%d", upstream: "%s" } ]
                    phases:
                      - { name: stabilize, duration: 2s }
                      - name: fault
                        duration: 3s
                        rate: 40
                        faults: [ { latency: { proxy: api, ms: 400 } } ]
                      - { name: recover, duration: 3s }
                    """.formatted(port, port, t.baseUrl().replace("http://", "")));
            Path log = dir.resolve("x.jsonl");
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> new Cli(dir).run("run", sc.toString(), "--quiet", "--seed", "5",
                    "--log-file", log.toString()));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Probe> probes = new ArrayList<>();
            while (!run.isDone()) {
                Instant at = Instant.now();
                long t0 = System.nanoTime();
                try {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    probes.add(new Probe(at, (System.nanoTime() - t0) / 1e6));
                } catch (java.io.IOException e) {
                    // before the proxy listens, or after it stopped
                }
                Thread.sleep(100);
            }
            Cli.Result r = run.get(60, TimeUnit.SECONDS);
            // a 2 s baseline is too short to judge: the verdict is inconclusive (exit 6), which is not what this test is about
            assertThat(r.code()).as(r.all()).isEqualTo(6);
            assertThat(r.out()).contains("experiment: inconclusive (exit 6): too few events to judge");
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(rec.get(1).get("type").asText()).isEqualTo("experiment");
            JsonNode exp = rec.get(1);
            assertThat(exp.get("engine").asText()).isEqualTo("embedded proxy");
            assertThat(exp.at("/phases/1/start_s").asDouble()).isEqualTo(2.0);
            assertThat(exp.at("/phases/1/end_s").asDouble()).isEqualTo(5.0);
            assertThat(exp.at("/phases/1/rate").asDouble()).isEqualTo(40.0);
            assertThat(exp.at("/phases/1/faults/0/desc").asText()).isEqualTo("latency 400 ms on api (downstream)");
            assertThat(exp.at("/phases/0/baseline").asBoolean()).isTrue();
            List<String> order = rec.stream().map(n -> n.get("type").asText())
                    .filter(x -> x.startsWith("phase.") || x.startsWith("fault.") || x.equals("run.end") || x.equals("schedule.start")).toList();
            assertThat(order).containsExactly("schedule.start", "phase.start", "phase.end", "phase.start", "fault.on", "fault.off", "phase.end",
                    "phase.start", "phase.end", "run.end");
            JsonNode on = RunLogs.last(rec, "fault.on"), off = RunLogs.last(rec, "fault.off");
            // confirmed soon after the phase's start and end (bench/phases.sh measures how soon; a loaded machine is slower)
            assertThat(on.get("elapsed_s").asDouble()).isBetween(2.0, 3.5);
            assertThat(off.get("elapsed_s").asDouble()).isBetween(5.0, 7.0);
            assertThat(off.get("reason").asText()).isEqualTo("phase_end");
            assertThat(off.at("/bytes/up").asLong()).isPositive(); // longrun's events went through it
            assertThat(RunLogs.ofType(rec, "phase.end")).extracting(n -> n.get("cut").asBoolean()).containsExactly(false, false, false);
            // measured from outside: slow while the fault was on, fast before and after
            // on: confirmed when its record was written; off: the removal began took_ms before its record, and may act at once
            Instant faultOn = Instant.parse(on.get("time").asText()), faultOff = Instant.parse(off.get("time").asText());
            Instant removing = faultOff.minusMillis(off.get("took_ms").asLong() + 50);
            Instant zero = Instant.parse(RunLogs.last(rec, "schedule.start").get("time").asText()); // the client and the target are warm
            List<Probe> before = probes.stream().filter(p -> p.at().isAfter(zero) && p.at().isBefore(faultOn.minusMillis(200))).toList();
            List<Probe> during = probes.stream().filter(p -> p.at().isAfter(faultOn.plusMillis(50)) && p.at().plusMillis((long) p.ms()).isBefore(removing)).toList();
            List<Probe> after = probes.stream().filter(p -> p.at().isAfter(faultOff.plusMillis(100))).toList();
            // while the fault is on, no probe can be quicker than its 400 ms; before and after, the quickest is (a loaded
            // machine slows some probes, never all)
            assertThat(during).isNotEmpty().allMatch(p -> p.ms() >= 400, "at least 400 ms while the fault is on");
            assertThat(before).isNotEmpty().anyMatch(p -> p.ms() < 300);
            assertThat(after).isNotEmpty().anyMatch(p -> p.ms() < 300);
            // the phase's rate: 40/s over its 3 s, against 20/s in the others
            double planned = RunLogs.ofType(rec, "tick").stream().filter(n -> n.get("elapsed_s").asDouble() > 2.5 && n.get("elapsed_s").asDouble() <= 5)
                    .mapToDouble(n -> n.get("eff_eps").asDouble()).max().orElse(0);
            assertThat(planned).isEqualTo(40.0);
        }
    }

    @Test
    void validateAndTheDryRunPrintThePhasesWithTheirTimesAndFaults() throws Exception {
        Path sc = dir.resolve("plan.yaml");
        Files.writeString(sc, """
                name: plan
                target: { url: "http://127.0.0.1:1/event" }
                emitters: [ { name: a, rate: 10 } ]
                proxies: [ { name: db, listen: "127.0.0.1:15432", upstream: "127.0.0.1:5432" } ]
                phases:
                  - { name: stabilize, duration: 3s }
                  - name: fault
                    duration: 2s
                    rate: 20
                    faults: [ { latency: { proxy: db, ms: 200 } }, { loss: { proxy: db, pct: 5 } } ]
                    assert: [ { name: few-errors, threshold: "error_rate < 5%" } ]
                  - { name: recover, duration: 1m }
                recovery: { hold: 5s }
                """);
        String phases = """
                phases (3, 1m5s in all):
                  stabilize  0s – 3s  baseline  no faults
                  fault      3s – 5s  rate 20/s  latency 200 ms on db (downstream); loss 5% (emulated) on db (downstream)
                             assert few-errors: error_rate < 5%
                  recover    5s – 1m5s  no faults
                recovery: error_rate, p95, throughput, ingest within 25% of the baseline for 5s
                """;
        Cli.Result v = new Cli(dir).run("validate", sc.toString());
        assertThat(v.code()).as(v.all()).isZero();
        assertThat(v.out()).contains("duration 1m5s").contains(phases);
        Path log = dir.resolve("plan.jsonl");
        Cli.Result d = new Cli(dir).run("run", sc.toString(), "--dry-run", "--log-file", log.toString());
        assertThat(d.code()).as(d.all()).isZero();
        assertThat(d.out()).contains(phases).contains("tick     3 [3s] | a n=20 eff_eps=20");
        JsonNode exp = RunLogs.last(RunLogs.read(log), "experiment");
        assertThat(exp.at("/phases/2/start_s").asDouble()).isEqualTo(5.0);
        assertThat(exp.at("/phases/2/end_s").asDouble()).isEqualTo(65.0);
        assertThat(exp.at("/phases/1/asserts/0").asText()).isEqualTo("few-errors: error_rate < 5%");
        assertThat(exp.at("/recovery/hold_s").asDouble()).isEqualTo(5.0);
        assertThat(exp.at("/recovery/signals").toString()).isEqualTo("[\"error_rate\",\"p95\",\"throughput\",\"ingest\"]");
        assertThat(RunLogs.last(RunLogs.read(log), "run.end").at("/totals/planned").asLong()).isEqualTo(3 * 10 + 2 * 20 + 60 * 10);
    }

    @Test
    void aResumedExperimentEntersThePhaseItIsInAndAppliesItsFaultsAfterRemovingWhatTheKilledRunLeft() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of());
             ProxyServer server = ProxyServer.start("127.0.0.1", 0, List.of(), 1, "longrun-test")) {
            String url = "http://127.0.0.1:" + server.apiPort();
            ToxiproxyClient client = new ToxiproxyClient(url, Duration.ofSeconds(5));
            String listen = client.createProxy("api", "127.0.0.1:0", t.baseUrl().replace("http://", ""), true).listen();
            client.addToxic("api", Map.of("name", "someone-elses", "type", "latency", "attributes", Map.of("latency", 1)));
            Path sc = dir.resolve("resumed.yaml");
            Files.writeString(sc, """
                    name: resumed
                    target: { url: "http://%s/event" }
                    emitters: [ { name: a, rate: 10 } ]
                    proxies: [ { name: api, listen: "%s", upstream: "%s" } ]
                    fault_engine: { toxiproxy: "%s" }
                    experiment: { stabilize: 2s, fault: { latency: { proxy: api, ms: 100 } }, fault_for: 20s, recover: 2s }
                    """.formatted(listen, listen, t.baseUrl().replace("http://", ""), url));
            Path runs = dir.resolve("runs");
            try (LongrunProcess p = LongrunProcess.start(dir, "UTC", List.of("run", sc.toString(), "--quiet", "--metrics-port", "0"))) {
                Path log = Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                    try (var s = Files.walk(runs)) {
                        return s.filter(f -> f.getFileName().toString().equals("run.jsonl")).findFirst().orElse(null);
                    } catch (java.io.IOException e) {
                        return null;
                    }
                }, f -> {
                    try {
                        return f != null && Files.readString(f).contains("\"fault.on\"");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                assertThat(log).as(p.stdout() + p.stderr()).isNotNull();
                assertThat(p.kill()).isEqualTo(137);
                // SIGKILL: no hook ran, the toxic stays on the server
                assertThat(client.toxics("api")).extracting(ToxiproxyClient.ToxicInfo::name).hasSize(2).anyMatch(n -> n.startsWith("longrun-resumed-"));
                Cli.Result r = new Cli(dir).run("resume", log.getParent().toString(), "--metrics-port", "0");
                assertThat(r.code()).as(r.all()).isEqualTo(6); // a 2 s baseline: too few events to judge
                assertThat(r.out()).containsPattern("removed longrun-resumed-\\S+-1 \\(latency, downstream, .*\\) from api \\(the killed run left it\\)");
                assertThat(client.toxics("api")).extracting(ToxiproxyClient.ToxicInfo::name).containsExactly("someone-elses");
                List<JsonNode> rec = RunLogs.read(log);
                int resumed = rec.indexOf(RunLogs.last(rec, "run.resume"));
                List<String> after = rec.subList(resumed, rec.size()).stream().map(n -> n.get("type").asText() + " " + n.path("phase").asText())
                        .filter(x -> !x.startsWith("tick") && !x.startsWith("checkpoint") && !x.startsWith("warmup")).toList();
                assertThat(after).containsExactly("run.resume ", "experiment ", "phase.start fault", "fault.on fault", "fault.off fault",
                        "phase.end fault", "phase.start recover", "phase.end recover", "experiment.verdict ", "run.end ");
                JsonNode on = RunLogs.last(rec, "fault.on");
                assertThat(on.get("elapsed_s").asDouble()).isBetween(2.0, 22.0);
                assertThat(RunLogs.last(rec, "run.resume").get("elapsed_s").asDouble()).isLessThanOrEqualTo(on.get("elapsed_s").asDouble());
            }
        }
    }

    @Test
    void whatTheEngineCannotDoIsBadInputBeforeAnythingIsSent() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ProxyServer real = ProxyServer.start("127.0.0.1", 0, List.of(), 1, "2.12.0")) { // answers as a real Toxiproxy would
            String yaml = """
                    target: { url: "http://127.0.0.1:1/event" }
                    emitters: [ { name: a, rate: 1 } ]
                    proxies: [ { name: db, listen: "127.0.0.1:%d", upstream: "127.0.0.1:5432" } ]
                    %s
                    experiment: { fault: { loss: { proxy: db, pct: 5 } } }
                    """;
            Files.writeString(dir.resolve("busy.yaml"), yaml.formatted(taken.getLocalPort(), ""));
            Cli.Result busy = new Cli(dir).run("run", "busy.yaml");
            assertThat(busy.code()).isEqualTo(2);
            assertThat(busy.err()).isEqualTo("longrun: faults: proxy db: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use (nothing was sent)\n");
            String url = "http://127.0.0.1:" + real.apiPort();
            Files.writeString(dir.resolve("loss.yaml"), yaml.formatted(MetricsTest.freePort(), "fault_engine: { toxiproxy: \"" + url + "\" }"));
            Cli.Result loss = new Cli(dir).run("run", "loss.yaml");
            assertThat(loss.code()).isEqualTo(2);
            assertThat(loss.err()).startsWith("longrun: faults: loss 5% (emulated) on db (downstream): Toxiproxy 2.12.0 at " + url
                    + " has no packet loss").endsWith("(nothing was sent)\n");
            assertThat(new ToxiproxyClient(url, Duration.ofSeconds(5)).proxies()).isEmpty(); // the proxy it created is deleted again
        }
    }

    @Test
    void aCriterionAbortMidPhaseTakesTheFaultOffAndTheProxyIsLeftClean() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of());
             ProxyServer server = ProxyServer.start("127.0.0.1", 0, List.of(), 1, "longrun-test")) {
            String url = "http://127.0.0.1:" + server.apiPort();
            ToxiproxyClient client = new ToxiproxyClient(url, Duration.ofSeconds(5));
            String listen = client.createProxy("api", "127.0.0.1:0", t.baseUrl().replace("http://", ""), true).listen();
            Path sc = dir.resolve("abort.yaml");
            Files.writeString(sc, """
                    target: { url: "http://%s/event", timeout: 1s }
                    emitters: [ { name: a, rate: 20 } ]
                    proxies: [ { name: api, listen: "%s", upstream: "%s" } ]
                    fault_engine: { toxiproxy: "%s" }
                    experiment: { stabilize: 2s, fault: { down: { proxy: api } }, fault_for: 30s, recover: 5s }
                    stop_when:
                      - error_rate: { above_pct: 50, for: 1s }
                    """.formatted(listen, listen, t.baseUrl().replace("http://", ""), url));
            Path log = dir.resolve("abort.jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isEqualTo(3);
            List<JsonNode> rec = RunLogs.read(log);
            JsonNode off = RunLogs.last(rec, "fault.off");
            assertThat(off.get("kind").asText()).isEqualTo("down");
            assertThat(off.get("reason").asText()).isEqualTo("stop");
            assertThat(off.get("elapsed_s").asDouble()).isLessThan(10);
            assertThat(RunLogs.last(rec, "phase.end").get("cut").asBoolean()).isTrue();
            assertThat(RunLogs.last(rec, "experiment").get("engine").asText()).isEqualTo("longrun proxy longrun-test at " + url);
            // from outside: the proxy is enabled again and carries no toxic
            assertThat(client.proxy("api").orElseThrow().enabled()).isTrue();
            assertThat(client.toxics("api")).isEmpty();
        }
    }

    @Test
    void sigtermMidFaultPhaseExitsAndLeavesTheProxyPathClean() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of());
             ProxyServer server = ProxyServer.start("127.0.0.1", 0, List.of(), 1, "longrun-test")) {
            String url = "http://127.0.0.1:" + server.apiPort();
            ToxiproxyClient client = new ToxiproxyClient(url, Duration.ofSeconds(5));
            String listen = client.createProxy("api", "127.0.0.1:0", t.baseUrl().replace("http://", ""), true).listen();
            Path sc = dir.resolve("term.yaml");
            Files.writeString(sc, """
                    target: { url: "http://%s/event" }
                    emitters: [ { name: a, rate: 20 } ]
                    proxies: [ { name: api, listen: "%s", upstream: "%s" } ]
                    fault_engine: { toxiproxy: "%s" }
                    experiment: { stabilize: 1s, fault: [ { latency: { proxy: api, ms: 300 } }, { bandwidth: { proxy: api, kb_per_s: 50, stream: upstream } } ], fault_for: 5m, recover: 5s }
                    """.formatted(listen, listen, t.baseUrl().replace("http://", ""), url));
            Path log = dir.resolve("term.jsonl");
            int code;
            try (LongrunProcess p = LongrunProcess.start(dir, "UTC", List.of("run", sc.toString(), "--log-file", log.toString()))) {
                Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> Files.exists(log) ? Files.readString(log) : "",
                        s -> s.split("\"fault.on\"").length > 2);
                assertThat(client.toxics("api")).hasSize(2); // both on, seen from outside
                code = p.terminate();
            }
            assertThat(code).isEqualTo(130);
            assertThat(client.toxics("api")).isEmpty();
            assertThat(client.proxy("api").orElseThrow().enabled()).isTrue();
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(RunLogs.ofType(rec, "fault.off")).extracting(n -> n.get("reason").asText()).containsExactly("signal", "signal");
            assertThat(RunLogs.last(rec, "phase.end").get("cut").asBoolean()).isTrue();
            assertThat(RunLogs.last(rec, "run.end").get("exit_code").asInt()).isEqualTo(130);
        }
    }
}
