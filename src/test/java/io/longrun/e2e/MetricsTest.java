package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Await;
import io.longrun.testing.Cli;
import io.longrun.testing.TestDb;
import io.longrun.testing.Tools;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live scrape of a run's /observe/metrics has every metric of issue 5 and passes promtool check metrics. */
class MetricsTest {
    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aLiveScrapeHasTheRunsMetricsAndPassesPromtool() throws Exception {
        DbSettings db = TestDb.freshSchema();
        int port = freePort();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("m.yaml");
            Files.writeString(sc, """
                    name: metered
                    duration: 6s
                    target: { url: "%s/event", health_url: "%s/health" }
                    database: { url: "%s", tables: [events] }
                    emitters: [ { name: a, rate: 50 }, { name: b, rate: 10 } ]
                    watch: { health_every: 500ms, db_every: 500ms }
                    stop_when:
                      - error_rate: { above_pct: 50, for: 10s }
                        severity: warn
                    """.formatted(t.baseUrl(), t.baseUrl(), db.url()));
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> new Cli(dir).run("run", sc.toString(), "--quiet",
                    "--metrics-port", Integer.toString(port), "--log-file", dir.resolve("m.jsonl").toString()));
            HttpClient http = HttpClient.newHttpClient();
            // scrape while the run lives (its 6 s start once it is up, however long that takes here) until it has
            // delivered, watched the database and the health, and ticked; the last scrape that answered is judged
            java.util.concurrent.atomic.AtomicReference<String> scraped = new java.util.concurrent.atomic.AtomicReference<>("");
            java.util.function.Predicate<String> complete = x -> x.contains("longrun_db_table_rows{table=\"events\"}")
                    && x.contains("longrun_criterion_state") && x.contains("longrun_health_up 1.0")
                    && x.contains("outcome=\"accepted\"} ") && !x.contains("outcome=\"accepted\"} 0.0");
            Await.until(Duration.ofMinutes(2), Duration.ofMillis(200), () -> {
                try {
                    scraped.set(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body());
                } catch (java.io.IOException e) {
                    // not up yet, or over
                }
                return scraped.get();
            }, x -> complete.test(x) || run.isDone());
            String text = scraped.get();
            assertThat(complete.test(text)).as("a complete scrape while the run lived (%s); the last one:%n%s",
                    run.isDone() ? "it has ended: " + run.get().all() : "it still runs", text).isTrue();
            for (String metric : new String[] {"longrun_events_total{emitter=\"a\",outcome=\"accepted\"}", "longrun_events_total{emitter=\"b\",outcome=\"rejected\"}",
                    "longrun_delivery_latency_seconds_bucket{clock=\"intended\",le=\"0.005\"}", "longrun_delivery_latency_seconds_bucket{clock=\"service\",le=\"+Inf\"}",
                    "longrun_target_rate ", "longrun_actual_rate ", "longrun_in_flight ", "longrun_db_table_rows{table=\"events\"}",
                    "longrun_db_table_bytes{table=\"events\"}", "longrun_db_size_bytes ", "longrun_health_up 1.0", "longrun_health_latency_seconds ",
                    "longrun_criterion_state{criterion=\"error_rate\",severity=\"warn\"} 0.0", "longrun_run_info{run_id=\"metered-"})
                assertThat(text).as(metric).contains(metric);
            assertThat(text).contains("# TYPE longrun_delivery_latency_seconds histogram");
            // every run-side metric the Grafana dashboard asks for is served (the target's own: below; an experiment's: SuiteEndToEndTest)
            for (String name : ObserveStackTest.dashboardMetrics())
                if (!name.startsWith("longrun_target_events") && !ObserveStackTest.EXPERIMENT_METRICS.contains(name)) assertThat(text).as("the dashboard's " + name).contains(name);
            Path scrape = dir.resolve("scrape.txt");
            Files.writeString(scrape, text);
            Tools.PROMTOOL.require();
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scrape.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            Cli.Result r = run.get(30, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.all()).isZero();
        }
    }

    static void promtool(Path scrape) throws Exception {
        Tools.PROMTOOL.require();
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scrape.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void theTargetsLiveScrapeHasItsMetricsTheDashboardsAndPassesPromtool() throws Exception {
        DbSettings db = TestDb.freshSchema();
        int port = freePort();
        try (TargetServer t = TargetServer.start(TargetServer.Config.of(db).withMetricsPort(port).withScheduler(false)
                .withFaults(Faults.parse(java.util.List.of("lose=0.5"))))) {
            assertThat(t.metricsPort()).isEqualTo(port);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                String body = "{\"id\":\"" + java.util.UUID.randomUUID() + "\",\"timestamp\":\"" + java.time.Instant.now() + "\",\"category\":\"motion\","
                        + "\"payload\":{\"room\":\"hall\"}}";
                http.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/event")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            }
            http.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/event")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
            // just now, so that no_motion (10 minutes without motion) finds nothing: the evaluate upserts none
            http.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/deviations/evaluate")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            String text = r.body();
            long stored = value(text, "longrun_target_events_total{outcome=\"stored\"}"), lost = value(text, "longrun_target_events_total{outcome=\"lost\"}");
            assertThat(stored + lost).isEqualTo(20);
            assertThat(lost).isPositive();
            assertThat(value(text, "longrun_target_events_total{outcome=\"rejected\"}")).isEqualTo(1);
            assertThat(text).contains("longrun_target_events_total{outcome=\"duplicate\"} 0.0", "longrun_target_events_total{outcome=\"failed\"} 0.0",
                    "# TYPE longrun_target_ingest_latency_seconds histogram", "longrun_target_ingest_latency_seconds_bucket{le=\"+Inf\"} 21",
                    "longrun_target_deviations_upserted_total 0.0", "longrun_target_scheduler_ticks_total 0.0");
            // what the Grafana dashboard asks of the target is served
            for (String name : ObserveStackTest.dashboardMetrics())
                if (name.startsWith("longrun_target_events")) assertThat(text).as("the dashboard's " + name).contains(name + "{outcome=");
            assertThat(ObserveStackTest.dashboardMetrics()).contains("longrun_target_events_total");
            Path scrape = dir.resolve("target-scrape.txt");
            Files.writeString(scrape, text);
            promtool(scrape);
        }
    }

    static long value(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).map(l -> (long) Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " is not in the scrape"));
    }

    @Test
    void aTakenPortTurnsMetricsOffWithAWarningAndTheRunGoesOn() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of()); ServerSocket taken = new ServerSocket(0)) {
            Cli.Result r = new Cli(dir).run("run", "--target-url", t.baseUrl() + "/event", "--rate", "10", "--duration", "1s",
                    "--metrics-port", Integer.toString(taken.getLocalPort()), "--log-file", dir.resolve("x.jsonl").toString());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).contains("metrics are off: port " + taken.getLocalPort() + " is in use");
        }
    }
}
