package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts leave longrun for real: a webhook received by an HTTP server inside the test (which refuses the first
 * post, so the retry is exercised), with firing and resolved messages in Alertmanager's shape; --on-alert runs a
 * command; the evaluate timer posts to the target (mode B); and the end-of-run assertions pass, fail with exit 4
 * and land in a JUnit XML file.
 */
class AlertsAndAssertionsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer receiver;
    final AtomicInteger healthCalls = new AtomicInteger(), hookCalls = new AtomicInteger(), evaluations = new AtomicInteger();
    final List<JsonNode> hooks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // health: down for the health watcher's first three checks once the run's clock started (the criteria judge
        // from time zero; the checks during the warm-up are logged, not judged), then up. The warm-up's GETs from
        // longrun's event client carry no User-Agent and are always answered
        receiver.createContext("/health", x -> {
            boolean watcher = x.getRequestHeaders().containsKey("User-Agent") && clockStarted();
            int n = watcher ? healthCalls.incrementAndGet() : 0;
            x.sendResponseHeaders(watcher && n <= 3 ? 503 : 200, -1);
            x.close();
        });
        receiver.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            if (hookCalls.incrementAndGet() == 1) {
                x.sendResponseHeaders(500, -1); // the first delivery fails: the route must retry
            } else {
                hooks.add(JSON.readTree(body));
                x.sendResponseHeaders(200, -1);
            }
            x.close();
        });
        receiver.createContext("/deviations/evaluate", x -> {
            evaluations.incrementAndGet();
            byte[] out = "{\"evaluated\":1}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    /** The run log of the test's run, once known: the health endpoint fails only after its schedule.start. */
    volatile Path runLog;

    boolean clockStarted() {
        try {
            return runLog != null && Files.exists(runLog) && Files.readString(runLog).contains("\"schedule.start\"");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @Test
    void webhookFiringAndResolvedWithRetryOnAlertCommandEvaluateAndPassingAssertions() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("s.yaml");
            Path onAlert = dir.resolve("alerts.txt");
            Files.writeString(sc, """
                    name: alerting
                    duration: 4s
                    target: { url: "%s/event", health_url: "%s/health" }
                    database: { url: "%s", tables: [events] }
                    emitters: [ { name: a, rate: 20 } ]
                    watch: { health_every: 200ms, db_every: 1s }
                    stop_when:
                      - health_failures: { consecutive: 2 }
                        severity: warn
                    evaluate: { url: "%s/deviations/evaluate", every: 300ms }
                    alerts: { webhook: "%s/hook", format: alertmanager }
                    lag_allowance: 500ms
                    assert:
                      - count: { sql: "select count(*) from events where scenario_id = :scenario_id", equals: accepted }
                        name: stored_all
                      - threshold: "error_rate < 1%%"
                      - count: { outcome: accepted, between: [70, 90] }
                    """.formatted(t.baseUrl(), base(), db.url(), base(), base()));
            Path log = dir.resolve("run.jsonl");
            runLog = log;
            Path junit = dir.resolve("junit.xml");
            long before = System.nanoTime();
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--log-file", log.toString(), "--junit", junit.toString(),
                    "--on-alert", "echo \"$LONGRUN_ALERT_NAME $LONGRUN_ALERT_STATE $LONGRUN_ALERT_SEVERITY\" >> " + onAlert);
            long wall = System.nanoTime() - before;
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).contains("ALERT [warn] health_failures firing").contains("ALERT [warn] health_failures resolved")
                    .contains("assert stored_all").contains("PASS");

            // the webhook: the first post failed and was retried; firing then resolved, in Alertmanager's shape
            assertThat(hookCalls.get()).isGreaterThanOrEqualTo(3);
            assertThat(hooks).hasSize(2);
            JsonNode firing = hooks.get(0).get(0), resolved = hooks.get(1).get(0);
            assertThat(firing.at("/labels/alertname").asText()).isEqualTo("health_failures");
            assertThat(firing.at("/labels/severity").asText()).isEqualTo("warn");
            assertThat(firing.at("/labels/scenario").asText()).isEqualTo("alerting");
            assertThat(firing.has("endsAt")).isFalse();
            assertThat(firing.at("/annotations/description").asText()).contains("2 time(s) in a row");
            assertThat(resolved.get("endsAt").asText()).isNotEmpty();
            assertThat(resolved.get("startsAt").asText()).isEqualTo(firing.get("startsAt").asText());

            assertThat(Files.readAllLines(onAlert)).containsExactly("health_failures firing warn", "health_failures resolved warn");
            // the evaluate timer calls every 300 ms from its route's start, within the command (a late call is made
            // up, never doubled): more than once, and never more often than 300 ms periods fit in the command's time
            assertThat(evaluations.get()).isBetween(2, (int) (wall / 300_000_000L));

            List<JsonNode> records = RunLogs.read(log);
            assertThat(RunLogs.ofType(records, "evaluate")).hasSize(evaluations.get()).allMatch(e -> e.get("status").asInt() == 200);
            assertThat(RunLogs.ofType(records, "assert")).hasSize(3).allMatch(a -> a.get("passed").asBoolean());
            assertThat(RunLogs.last(records, "alerts.webhook").get("delivered").asLong()).isEqualTo(2);
            JsonNode end = RunLogs.last(records, "run.end");
            assertThat(end.at("/assertions/passed").asLong()).isEqualTo(3);
            assertThat(end.get("exit_code").asInt()).isZero();
            var xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getDocumentElement();
            assertThat(xml.getAttribute("tests")).isEqualTo("3");
            assertThat(xml.getAttribute("failures")).isEqualTo("0");
        }
    }

    @Test
    void aFailedAssertionExitsWith4AndShowsInJUnit() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path junit = dir.resolve("j.xml");
            Path sc = dir.resolve("f.yaml");
            Files.writeString(sc, """
                    duration: 1s
                    target: { url: "%s/event" }
                    database: { url: "%s" }
                    emitters: [ { name: a, rate: 10 } ]
                    lag_allowance: 100ms
                    assert:
                      - no_rows: { sql: "select id from events where scenario_id = :scenario_id" }
                        name: nothing_stored
                      - threshold: "p99 < 10s"
                    """.formatted(t.baseUrl(), db.url()));
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--log-file", dir.resolve("f.jsonl").toString(), "--junit", junit.toString());
            assertThat(r.code()).as(r.all()).isEqualTo(4);
            assertThat(r.out()).contains("assertion failed").contains("assert nothing_stored").contains("FAIL");
            var xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getDocumentElement();
            assertThat(xml.getAttribute("failures")).isEqualTo("1");
            assertThat(xml.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message").getNodeValue())
                    .contains("10 row(s)");
        }
    }
}
