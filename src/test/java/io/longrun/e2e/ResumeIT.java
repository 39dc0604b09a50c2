package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.RunLogs;
import io.longrun.testing.Await;
import io.longrun.testing.Chromium;
import io.longrun.testing.TestDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 40 s run killed with SIGKILL at 15 s, then resumed with the packaged jar: it ends at its planned end with one
 * run.end, every planned event is accounted for (missed included), the target's rows equal the events accepted, no
 * id reached the target twice, and the report draws both segments with the gap shaded.
 */
class ResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Process start(Path out, String... args) throws IOException {
        String jar = System.getProperty("longrun.jar", "target/longrun.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of(jar).toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** The run log's records; a line the kill cut is skipped, as every reader of a killed run's log does. */
    static List<JsonNode> records(Path log) throws IOException {
        return RunLogs.readKilled(log);
    }

    static List<JsonNode> ofType(List<JsonNode> records, String type) {
        return RunLogs.ofType(records, type);
    }

    @Test
    void aRunKilledAt15sResumesAndEndsAtItsPlannedEndWithEveryEventAccountedForAndNoIdSentTwice() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Files.writeString(dir.resolve("soak.yaml"), """
                    name: resumed
                    duration: 40s
                    seed: 11
                    target: { url: "%s/event", health_url: "%s/health", timeout: 15s }
                    database: { url: "%s", tables: [events] }
                    emitters:
                      - name: motion
                        rate: 40
                      - name: door
                        rate: 6
                        arrivals: poisson
                    watch: { health_every: 1s, db_every: 2s }
                    lag_allowance: 2s
                    stop_when:
                      - health_failures: { consecutive: 3 }
                      - lost_events: { table: events, id_column: id, above_pct: 0, scenario_column: scenario_id }
                    assert:
                      - count: { sql: "select count(*) from events where scenario_id = :scenario_id", equals: accepted }
                    """.formatted(t.baseUrl(), t.baseUrl(), db.url()));
            Process first = start(dir.resolve("first.txt"), "run", "soak.yaml", "--quiet", "--metrics-port", "0");
            Path runs = dir.resolve("runs");
            Path log = Await.until(Duration.ofSeconds(120), Duration.ofMillis(100), () -> runLog(runs), p -> p != null && elapsed(p) >= 15);
            assertThat(log).as("the first segment reached 15 s: " + Files.readString(dir.resolve("first.txt"))).isNotNull();
            assertThat(elapsed(log)).isGreaterThanOrEqualTo(15);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no drain, no run.end
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(137);
            assertThat(ofType(records(log), "run.end")).as("a killed run writes no run.end").isEmpty();

            Process second = start(dir.resolve("second.txt"), "resume", log.getParent().toString(), "--metrics-port", "0");
            assertThat(second.waitFor(180, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(dir.resolve("second.txt"));
            assertThat(second.exitValue()).as(out).isZero();
            assertThat(out).contains("resumed at").contains("missed");

            List<JsonNode> records = records(log);
            assertThat(ofType(records, "run.start")).hasSize(1);
            assertThat(ofType(records, "run.resume")).hasSize(1);
            List<JsonNode> ends = ofType(records, "run.end");
            assertThat(ends).hasSize(1);
            JsonNode end = ends.get(0), totals = end.get("totals"), resume = ofType(records, "run.resume").get(0);
            assertThat(end.get("exit_code").asInt()).isZero();

            // it ends at the planned end: the whole schedule is accounted for, the motion emitter's 40/s over 40 s exactly
            JsonNode zero = ofType(records, "schedule.start").get(0);
            Instant plannedEnd = Instant.parse(zero.get("planned_end").asText());
            assertThat(end.at("/emitters/motion/planned").asLong()).isEqualTo(1600);
            assertThat(Instant.parse(end.get("time").asText())).isAfterOrEqualTo(plannedEnd);
            double lastDue = ofType(records, "tick").stream().filter(r -> r.path("planned").asLong() > 0)
                    .mapToDouble(r -> r.get("elapsed_s").asDouble()).max().orElseThrow();
            assertThat(lastDue).as("the last events due were due at the end of the schedule").isBetween(39.0, 41.5);
            assertThat(resume.get("elapsed_s").asDouble()).isGreaterThan(15);
            long missed = totals.get("missed").asLong();
            assertThat(missed).isPositive();
            assertThat(totals.get("accepted").asLong() + totals.get("rejected").asLong() + totals.get("failed").asLong()
                    + totals.get("dropped").asLong() + missed).isEqualTo(totals.get("planned").asLong());
            assertThat(end.at("/missed_by/down").asLong() + end.at("/missed_by/unconfirmed").asLong()).isEqualTo(missed);

            // the target holds exactly the events accepted, and no id reached it twice (it answers 200 to a repeat)
            String scenarioId = ofType(records, "run.start").get(0).get("scenario_id").asText();
            try (Connection c = TestDb.connect(db.url()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*), count(distinct id) from events where scenario_id = '" + scenarioId + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(totals.get("accepted").asLong()).isEqualTo(rs.getLong(2)).isPositive();
            }
            assertThat(targetCount(t, "duplicate")).as("repeats seen by the target").isZero();
            assertThat(targetCount(t, "stored")).isEqualTo(totals.get("accepted").asLong());

            // longrun report draws both segments and shades the gap between them
            Process report = start(dir.resolve("report.txt"), "report", log.toString());
            assertThat(report.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(report.exitValue()).as(Files.readString(dir.resolve("report.txt"))).isZero();
            Path html = log.resolveSibling("report.html");
            JsonNode data = reportData(html);
            JsonNode gap = null;
            for (JsonNode p : data.get("phases")) if (p.get("kind").asText().equals("gap")) gap = p;
            assertThat(gap).as("a gap phase").isNotNull();
            double from = gap.get("from").asDouble(), to = gap.get("to").asDouble();
            assertThat(to - from).isGreaterThan(1);
            JsonNode rate = null;
            for (JsonNode c : data.get("charts")) if (c.get("id").asText().equals("chart-rate")) rate = c;
            assertThat(rate).isNotNull();
            int before = 0, after = 0;
            JsonNode xs = rate.get("data").get(0), actual = rate.get("data").get(2);
            for (int i = 0; i < xs.size(); i++) {
                if (actual.get(i).isNull()) continue;
                if (xs.get(i).asDouble() < from) before++;
                if (xs.get(i).asDouble() > to) after++;
            }
            assertThat(before).as("points of the first segment").isGreaterThan(5);
            // one point a tick (1 s) from the resume to the planned end at 40 s; a loaded machine resumes later
            int expectedAfter = (int) Math.floor(40 - resume.get("elapsed_s").asDouble());
            assertThat(after).as("points of the second segment, resumed at %.1f s", resume.get("elapsed_s").asDouble())
                    .isGreaterThanOrEqualTo(expectedAfter - 2).isPositive();
            String dom = Chromium.dumpDom(html, dir);
            for (Map<String, String> chart : Chromium.charts(dom)) {
                assertThat(chart.get("data-drawn")).as(chart.get("id")).isEqualTo("1");
                assertThat(Integer.parseInt(chart.get("data-phases"))).as(chart.get("id") + " shades the gap").isPositive();
            }
        }
    }

    private static Path runLog(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) return null;
        try (Stream<Path> s = Files.list(runs)) {
            return s.map(d -> d.resolve("run.jsonl")).filter(Files::isRegularFile).findFirst().orElse(null);
        }
    }

    /** The latest tick's elapsed_s in a run log being written. */
    private static double elapsed(Path log) {
        double e = -1;
        try {
            for (JsonNode r : records(log)) if (r.path("type").asText().equals("tick")) e = Math.max(e, r.get("elapsed_s").asDouble());
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        return e;
    }

    private static long targetCount(TargetServer t, String outcome) {
        Matcher m = Pattern.compile("longrun_target_events_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} ([0-9.eE+]+)").matcher(t.metrics().scrape());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private static JsonNode reportData(Path html) throws IOException {
        String page = Files.readString(html);
        Matcher m = Pattern.compile("<script id=\"report-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertThat(m.find()).isTrue();
        return JSON.readTree(m.group(1));
    }
}
