package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phases that wait ({@code until:}) and act ({@code on_start:}, {@code on_end:}), through the command line against the
 * reference target and its real database: the run ends when the last phase's condition holds, a timeout that expires
 * is a failed step (exit 4) and the phases after it do not run, and actions' output and outcomes reach the run log.
 */
class StepsRunTest {
    @TempDir
    Path dir;

    private Cli.Result run(String yaml, Path log, String... more) throws Exception {
        Path sc = dir.resolve("s.yaml");
        Files.writeString(sc, yaml);
        List<String> args = new java.util.ArrayList<>(List.of("run", sc.toString(), "--seed", "3", "--log-file", log.toString()));
        args.addAll(List.of(more));
        return new Cli(dir).run(args.toArray(String[]::new));
    }

    private static List<JsonNode> steps(List<JsonNode> rec) {
        return RunLogs.ofType(rec, "step");
    }

    @Test
    void aLastPhaseWithRateZeroWaitsUntilTheRowsSettleAndTheRunEndsThen() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = dir.resolve("settle.jsonl");
            Cli.Result r = run("""
                    name: settle
                    target: { url: "%s/event" }
                    database: { url: "%s", tables: [events] }
                    emitters: [ { name: a, rate: 20 } ]
                    phases:
                      - { name: load, duration: 3s }
                      - name: settle
                        rate: 0
                        until: { sql: "select count(*) >= 60 from events" }
                        timeout: 1m
                        on_end: [ { command: { run: "echo settled; echo postgres://app:hunter22@db/x" } } ]
                    assert: [ { name: all-stored, sql: "select count(*) = 60 from events" } ]
                    """.formatted(t.baseUrl(), db.url()), log);
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(r.code()).as(r.all()).isNotIn(3, 4, 130);
            assertThat(RunLogs.last(rec, "run.end").get("elapsed_s").asDouble()).as("ended when the rows settled, not at the timeout (1m3s)").isLessThan(50);
            JsonNode exp = RunLogs.last(rec, "experiment");
            assertThat(exp.at("/phases/1/end_s").asDouble()).isEqualTo(63.0); // planned: the timeout
            assertThat(exp.at("/phases/1/until").asText()).isEqualTo("sql select count(*) >= 60 from events");
            JsonNode settleEnd = RunLogs.ofType(rec, "phase.end").get(1);
            assertThat(settleEnd.get("cut").asBoolean()).isFalse();
            assertThat(settleEnd.get("elapsed_s").asDouble()).isBetween(3.0, 40.0); // actual
            JsonNode until = steps(rec).get(0);
            assertThat(until.get("step").asText()).isEqualTo("until");
            assertThat(until.get("ok").asBoolean()).isTrue();
            assertThat(until.get("observed").asText()).isEqualTo("the query answered true");
            JsonNode onEnd = steps(rec).get(1);
            assertThat(onEnd.get("step").asText()).isEqualTo("on_end[0]");
            assertThat(onEnd.get("exit_code").asInt()).isZero();
            assertThat(onEnd.get("output").asText()).startsWith("settled\n").contains("postgres://app:***@db/x").doesNotContain("hunter22");
            assertThat(RunLogs.last(rec, "run.end").at("/totals/planned").asLong()).isEqualTo(60);
            assertThat(r.out()).contains("phase settle: until sql select count(*) >= 60 from events held after");
        }
    }

    @Test
    void aTimeoutThatExpiresIsAFailedStepExit4AndThePhasesAfterItDoNotRun() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path marker = dir.resolve("on-end-ran");
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = dir.resolve("timeout.jsonl");
            Cli.Result r = run("""
                    name: timeout
                    target: { url: "%s/event" }
                    database: { url: "%s" }
                    emitters: [ { name: a, rate: 20 } ]
                    phases:
                      - { name: load, duration: 2s }
                      - name: wait
                        until: { sql: "select count(*) > 1000000 from events" }
                        timeout: 2s
                        on_end: [ { command: { run: "touch %s" } } ]
                      - { name: after, duration: 30s }
                    """.formatted(t.baseUrl(), db.url(), marker), log);
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(r.code()).as(r.all()).isEqualTo(4);
            JsonNode until = steps(rec).get(0);
            assertThat(until.get("ok").asBoolean()).isFalse();
            assertThat(until.get("error").asText()).isEqualTo("timed out after 2s: sql select count(*) > 1000000 from events did not hold"
                    + " (last: the query answered false)");
            assertThat(RunLogs.ofType(rec, "phase.start")).extracting(n -> n.get("phase").asText()).containsExactly("load", "wait");
            assertThat(RunLogs.ofType(rec, "phase.end").get(1).get("cut").asBoolean()).isTrue();
            assertThat(marker).as("on_end runs after a failed step").exists();
            assertThat(RunLogs.last(rec, "run.end").get("exit_code").asInt()).isEqualTo(4);
            assertThat(RunLogs.last(rec, "run.end").get("elapsed_s").asDouble()).isLessThan(30); // the phase after it would have taken 30 s
            assertThat(r.out()).contains("phase wait: step until failed: timed out after 2s").contains("wait/until");
        }
    }

    /** A real HTTP server standing in for a service the actions call: it records each request, and its /health follows /down and /up. */
    static final class Stub implements AutoCloseable {
        final com.sun.net.httpserver.HttpServer server;
        final List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        volatile boolean up = true;

        Stub() throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", x -> {
                String path = x.getRequestURI().getPath();
                String body = new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!path.equals("/health")) calls.add(x.getRequestMethod() + " " + path + " " + body + " " + x.getRequestHeaders().getFirst("X-Flag"));
                if (path.equals("/down")) up = false;
                if (path.equals("/up")) up = true;
                int status = path.equals("/fail") ? 500 : path.equals("/health") && !up ? 503 : 200;
                byte[] b = (path.equals("/fail") ? "flag store unavailable" : "ok").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                x.sendResponseHeaders(status, b.length);
                x.getResponseBody().write(b);
                x.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void phasesWaitForAcceptedEventsALogLineAMetricAndHealthDownThenUpEachStartingWhenTheOneBeforeHeld() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path targetLog = dir.resolve("target.log");
        Files.writeString(targetLog, "");
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of()); Stub stub = new Stub()) {
            Path log = dir.resolve("chain.jsonl");
            Cli.Result r = run("""
                    name: chain
                    target: { url: "%s/event", health_url: "%s/health" }
                    watch: { health_every: 200ms, logs: ["%s"], logs_every: 200ms }
                    emitters: [ { name: a, rate: 10 } ]
                    phases:
                      - { name: load, duration: 2s }
                      - { name: accepted, until: { accepted: 20 }, timeout: 30s }
                      - name: log
                        on_start: [ { command: { run: "echo service ready >> %s" } } ]
                        until: { log: "service re+ady" }
                        timeout: 30s
                      - { name: metric, until: { metric: { name: longrun_events_total, above: 25 } }, timeout: 30s }
                      - name: down
                        on_start: [ { http: { method: POST, url: "%s/down", body: '{"on": true}', headers: { X-Flag: slow } } } ]
                        until: { health: down, checks: 2 }
                        timeout: 30s
                      - name: up
                        on_start: [ { http: { url: "%s/up", method: PUT } } ]
                        until: { health: up }
                        timeout: 30s
                    """.formatted(t.baseUrl(), stub.url(), targetLog, targetLog, stub.url(), stub.url()), log, "--metrics-port", "0");
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(r.code()).as(r.all()).isNotIn(3, 4, 130);
            List<JsonNode> until = steps(rec).stream().filter(n -> n.get("step").asText().equals("until")).toList();
            assertThat(until).extracting(n -> n.get("phase").asText()).containsExactly("accepted", "log", "metric", "down", "up");
            assertThat(until).allMatch(n -> n.get("ok").asBoolean());
            assertThat(until.get(0).get("observed").asText()).matches("2\\d accepted");
            assertThat(until.get(1).get("observed").asText()).isEqualTo("1 matching line");
            assertThat(until.get(3).get("observed").asText()).isEqualTo("2 checks in a row down");
            assertThat(until.get(4).get("observed").asText()).isEqualTo("3 checks in a row up");
            // each phase starts when the one before it ended, not at its planned time (2 s + 30 s each)
            List<JsonNode> starts = RunLogs.ofType(rec, "phase.start"), ends = RunLogs.ofType(rec, "phase.end");
            for (int i = 1; i < starts.size(); i++)
                assertThat(starts.get(i).get("elapsed_s").asDouble()).isBetween(ends.get(i - 1).get("elapsed_s").asDouble(), ends.get(i - 1).get("elapsed_s").asDouble() + 5);
            assertThat(ends.get(ends.size() - 1).get("elapsed_s").asDouble()).isLessThan(60);
            assertThat(stub.calls).containsExactly("POST /down {\"on\": true} slow", "PUT /up  null");
            JsonNode post = steps(rec).stream().filter(n -> n.get("kind").asText().equals("http")).findFirst().orElseThrow();
            assertThat(post.get("status").asInt()).isEqualTo(200);
            assertThat(post.get("output").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aFailingHttpCallAndAFailingCommandAreFailedStepsAndEveryOnEndActionStillRuns() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of()); Stub stub = new Stub()) {
            Path log = dir.resolve("fail.jsonl");
            Cli.Result r = run("""
                    name: fail
                    target: { url: "%s/event" }
                    emitters: [ { name: a, rate: 10 } ]
                    phases:
                      - { name: load, duration: 2s }
                      - name: flag
                        duration: 30s
                        on_start: [ { http: { method: POST, url: "%s/fail" } }, { command: { run: "echo never" } } ]
                        on_end: [ { command: { run: "echo oops; exit 3" } }, { http: { method: POST, url: "%s/cleanup" } } ]
                      - { name: after, duration: 30s }
                    """.formatted(t.baseUrl(), stub.url(), stub.url()), log);
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(r.code()).as(r.all()).isEqualTo(4);
            assertThat(steps(rec)).extracting(n -> n.get("step").asText() + " " + n.get("ok").asBoolean())
                    .containsExactly("on_start[0] false", "on_end[0] false", "on_end[1] true");
            assertThat(steps(rec).get(0).get("status").asInt()).isEqualTo(500);
            assertThat(steps(rec).get(0).get("error").asText()).isEqualTo("answered 500");
            assertThat(steps(rec).get(0).get("output").asText()).isEqualTo("flag store unavailable");
            assertThat(steps(rec).get(1).get("exit_code").asInt()).isEqualTo(3);
            assertThat(steps(rec).get(1).get("output").asText()).isEqualTo("oops\n");
            assertThat(stub.calls).containsExactly("POST /fail  null", "POST /cleanup  null");
            assertThat(RunLogs.ofType(rec, "phase.start")).extracting(n -> n.get("phase").asText()).containsExactly("load", "flag");
            assertThat(r.out()).contains("assert flag/on_start[0]").contains("http: POST " + stub.url() + "/fail: answered 500 (output: flag store unavailable)")
                    .contains("assert flag/on_end[0]").contains("command: echo oops; exit 3: exited with 3 (output: oops)");
            assertThat(RunLogs.last(rec, "run.end").get("elapsed_s").asDouble()).isLessThan(30);
        }
    }

    @Test
    void anApplicationFaultSwitchedOnAndOffByHttpActionsIsSeenFromOutsideDuringItsPhaseOnly() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(TargetServer.Config.of(db).withFaultApi("127.0.0.1", 0))) {
            String api = "http://127.0.0.1:" + t.faultApiPort() + "/faults";
            Path log = dir.resolve("flag.jsonl");
            java.util.concurrent.CompletableFuture<Cli.Result> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return run("""
                            name: flag
                            target: { url: "%s/event" }
                            emitters: [ { name: a, rate: 10 } ]
                            phases:
                              - { name: base, duration: 3s }
                              - name: errors
                                duration: 4s
                                on_start: [ { http: { method: POST, url: "%s", body: '{"fault": "error_rate=0.5"}' } } ]
                                on_end: [ { http: { method: DELETE, url: "%s" } } ]
                              - { name: after, duration: 4s }
                            """.formatted(t.baseUrl(), api, api), log);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // from outside: a client of the target's own, one event every 50 ms, each with its answer's time and status
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            List<Map.Entry<java.time.Instant, Integer>> seen = new java.util.ArrayList<>();
            while (!run.isDone()) {
                String body = "{\"id\": \"" + java.util.UUID.randomUUID() + "\", \"timestamp\": \"" + java.time.Instant.now()
                        + "\", \"category\": \"motion\", \"payload\": {\"room\": \"probe\"}}";
                int status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(t.baseUrl() + "/event"))
                        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                seen.add(Map.entry(java.time.Instant.now(), status));
                Thread.sleep(50);
            }
            Cli.Result r = run.get();
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(r.code()).as(r.all()).isNotIn(3, 4, 130);
            assertThat(steps(rec)).extracting(n -> n.get("step").asText() + " " + n.get("status").asInt()).containsExactly("on_start[0] 200", "on_end[0] 200");
            java.time.Instant on = java.time.Instant.parse(steps(rec).get(0).get("time").asText());
            JsonNode offStep = steps(rec).get(1);
            java.time.Instant offBegan = java.time.Instant.parse(offStep.get("time").asText()).minusMillis(offStep.get("took_ms").asLong() + 50);
            java.time.Instant off = java.time.Instant.parse(offStep.get("time").asText());
            List<Integer> during = seen.stream().filter(e -> e.getKey().isAfter(on.plusMillis(100)) && e.getKey().isBefore(offBegan)).map(Map.Entry::getValue).toList();
            List<Integer> after = seen.stream().filter(e -> e.getKey().isAfter(off.plusMillis(100))).map(Map.Entry::getValue).toList();
            List<Integer> before = seen.stream().filter(e -> e.getKey().isBefore(on.minusMillis(100))).map(Map.Entry::getValue).toList();
            assertThat(during).hasSizeGreaterThan(10).contains(500);
            assertThat(during.stream().filter(x -> x == 500).count()).as("about half answer 500: " + during).isBetween(during.size() / 5L, during.size() * 4L / 5);
            assertThat(before).isNotEmpty().allMatch(x -> x / 100 == 2);
            assertThat(after).hasSizeGreaterThan(10).allMatch(x -> x / 100 == 2);
        }
    }
}
