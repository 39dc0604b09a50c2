package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.run.BadInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports built from hand-written run logs whose answers are known (see {@link FixtureLog#steady}). */
class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode summary(Path out) throws Exception {
        return JSON.readTree(out.resolve(Report.SUMMARY_JSON).toFile());
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) k.add(it.next());
        return k;
    }

    @Test
    void summaryJsonHasTheScriptsShapeAndTheKnownVerdicts() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 10, false);
        Report.Result r = Report.write(log, dir, OptionalLong.empty());
        JsonNode s = summary(dir);
        assertThat(keys(s)).containsExactly("run", "tables");
        assertThat(keys(s.get("tables"))).containsExactlyElementsOf(FixtureLog.TABLES);
        for (JsonNode t : s.get("tables"))
            assertThat(keys(t)).containsExactly("rows_start", "rows_end", "rows_start_method", "rows_end_method", "rows_estimated",
                    "rows_per_min", "mb_per_hour", "r2", "ratio_to_accepted_eps", "projection_6h_rows", "projection_24h_rows", "verdict", "reason");

        // events: one row per accepted event, as events_1_per_event expects
        JsonNode events = s.at("/tables/events");
        assertThat(events.get("verdict").asText()).isEqualTo("expected");
        assertThat(events.get("ratio_to_accepted_eps").asDouble()).isCloseTo(1.0, within(1e-4));
        assertThat(events.get("rows_per_min").asDouble()).isCloseTo(600, within(1e-3));
        assertThat(events.get("r2").asDouble()).isEqualTo(1.0);
        assertThat(events.get("rows_start").asLong()).isEqualTo(5);
        assertThat(events.get("rows_end").asLong()).isEqualTo(5905);
        // the line through (1.5 s, 5) at 10 rows/s is 10x - 10 (x in seconds since run.start): from rows_start (5),
        // 6 h at 10/s add 216,000 and 24 h 864,000
        assertThat(events.get("projection_6h_rows").asLong()).isEqualTo(5 + 216_000);
        assertThat(events.get("projection_24h_rows").asLong()).isEqualTo(5 + 864_000);
        assertThat(events.get("mb_per_hour").asDouble()).isCloseTo(10 * 100 * 3600 / 1048576.0, within(1e-3));
        assertThat(events.get("reason").asText()).contains("1.000 rows per accepted event").contains("events_1_per_event");

        // deviations: 30 rows/min where a static expectation allows none
        JsonNode dev = s.at("/tables/deviations");
        assertThat(dev.get("verdict").asText()).isEqualTo("unexpected");
        assertThat(dev.get("rows_per_min").asDouble()).isCloseTo(30, within(1e-6));
        assertThat(dev.get("r2").asDouble()).isEqualTo(1.0);
        assertThat(dev.get("reason").asText()).contains("Grew 295 rows (0 → 295) at 30.0 rows/min").contains("deviations_static expects it static");

        // no criterion: two rows per accepted event is in step; 0.37 is not
        assertThat(s.at("/tables/audit/verdict").asText()).isEqualTo("expected");
        assertThat(s.at("/tables/audit/ratio_to_accepted_eps").asDouble()).isCloseTo(2.0, within(1e-4));
        assertThat(s.at("/tables/audit/reason").asText()).contains("in step with accepted events (2 rows each)").contains("no criterion names this table");
        assertThat(s.at("/tables/sessions/verdict").asText()).isEqualTo("unexpected");
        assertThat(s.at("/tables/sessions/ratio_to_accepted_eps").asDouble()).isCloseTo(0.37, within(1e-3));
        assertThat(s.at("/tables/sessions/reason").asText()).contains("not in step with accepted events");

        // table_growth: 120 rows/min is above 100, 60 is not, whatever the severity
        assertThat(s.at("/tables/hotloop/verdict").asText()).isEqualTo("unexpected");
        assertThat(s.at("/tables/hotloop/rows_per_min").asDouble()).isCloseTo(120, within(1e-6));
        assertThat(s.at("/tables/hotloop/reason").asText()).contains("120.0 rows/min is above hot_loop's limit of 100.0 rows/min");
        assertThat(s.at("/tables/slow/verdict").asText()).isEqualTo("expected");
        assertThat(s.at("/tables/slow/reason").asText()).contains("within slow_growth's limit of 100.0 rows/min");

        // a table that never changed: flat line, R² 1, expected
        JsonNode quiet = s.at("/tables/quiet");
        assertThat(quiet.get("verdict").asText()).isEqualTo("expected");
        assertThat(quiet.get("rows_per_min").asDouble()).isZero();
        assertThat(quiet.get("r2").asDouble()).isEqualTo(1.0);
        assertThat(quiet.get("projection_24h_rows").asLong()).isEqualTo(42);
        assertThat(quiet.get("reason").asText()).isEqualTo("Did not change (42 rows): no criterion names this table.");

        JsonNode run = s.get("run");
        assertThat(run.get("scenario").asText()).isEqualTo("fixture");
        assertThat(run.get("run_id").asText()).isEqualTo("fixture-20260105T100000Z");
        assertThat(run.get("start").asText()).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(run.get("end").asText()).isEqualTo("2026-01-05T10:10:03Z");
        assertThat(run.get("complete").asBoolean()).isTrue();
        assertThat(run.get("exit_code").asInt()).isZero();
        assertThat(run.at("/totals/accepted").asLong()).isEqualTo(6000);
        assertThat(run.at("/health/failures").asLong()).isEqualTo(1);
        assertThat(run.get("db_mb_per_hour").asDouble()).isCloseTo(360, within(1e-6));
        assertThat(run.get("criteria_fired").get(0).asText()).isEqualTo("deviations_static");
        assertThat(run.get("notes")).isEmpty();
        assertThat(run.has("db_size_limit_eta")).as("no limit given, none in the criteria").isFalse();

        assertThat(r.tableLines()).anyMatch(l -> l.startsWith("deviations: unexpected. "));
        String md = Files.readString(r.summaryMd());
        assertThat(md).contains("| table | rows start | rows end | rows/min |").contains("| deviations | 0 | 295 | 30.0 |").contains("**unexpected**");
    }

    @Test
    void samplesCsvHasOneRowPerTablePerSample() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 2, false);
        Report.write(log, dir, OptionalLong.empty());
        List<String> lines = Files.readAllLines(dir.resolve(Report.SAMPLES_CSV));
        assertThat(lines.get(0)).isEqualTo("time,elapsed_s,table,rows,bytes,db_bytes,accepted_events,method");
        assertThat(lines).hasSize(1 + 12 * FixtureLog.TABLES.size());
        // the second sample, 11.5 s in: 105 events accepted by then, interpolated within the tick
        assertThat(lines.get(1 + FixtureLog.TABLES.size())).isEqualTo("2026-01-05T10:00:11.500Z,11.500,events,105,18692,105906176,105,exact");
    }

    @Test
    void aDiskLimitGivesWhenTheDatabaseFillsIt() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 10, false);
        Report.write(log, dir, OptionalLong.of(ByteSize.parse("200MB").orElseThrow()));
        JsonNode run = summary(dir).get("run");
        // 100 MiB + 1 MiB per 10 s reaches 200 MiB at sample k = 100: 1001.5 s after run.start
        assertThat(run.get("disk_limit_bytes").asLong()).isEqualTo(200 * FixtureLog.MIB);
        assertThat(run.get("disk_limit_source").asText()).isEqualTo("--disk-limit");
        assertThat(Instant.parse(run.get("db_size_limit_eta").asText())).isEqualTo(FixtureLog.T0.plusMillis(1_001_500));
        assertThat(run.get("db_size_limit_hours").asDouble()).isCloseTo(410 / 3600.0, within(0.01));
        JsonNode events = summary(dir).at("/tables/events");
        assertThat(events.has("projection_disk_limit_at")).isTrue();
        // events alone grows 1000 bytes/s: the 41 MiB left take 42,991.616 s from the last sample (591.5 s)
        assertThat(Instant.parse(events.get("projection_disk_limit_at").asText())).isEqualTo(FixtureLog.T0.plusMillis(591_500 + 42_991_616));
        // and holds 5,905 + 10/s over the 410 s until the database is full
        assertThat(events.get("projection_disk_limit_rows").asLong()).isEqualTo(5905 + 4100);
        assertThat(summary(dir).at("/tables/quiet/projection_disk_limit_at").isNull()).as("a table that does not grow never fills it").isTrue();
    }

    @Test
    void aKilledRunsLogStillGivesAReport() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 10, true);
        assertThat(Files.readString(log)).endsWith("\"emitter\":\"mot").doesNotContain("run.end");
        Report.Result r = Report.write(log, dir, OptionalLong.empty());
        JsonNode run = summary(dir).get("run");
        assertThat(run.get("complete").asBoolean()).isFalse();
        assertThat(run.get("exit_code").isNull()).isTrue();
        assertThat(run.get("notes").get(0).asText()).startsWith("run log ends without run.end (killed?); its last line is cut mid-record");
        assertThat(r.notes()).hasSize(1);
        // what was there is all in: 30 samples of events, up to 291.5 s
        JsonNode events = summary(dir).at("/tables/events");
        assertThat(events.get("rows_end").asLong()).isEqualTo(2905);
        assertThat(events.get("verdict").asText()).isEqualTo("expected");
        assertThat(run.at("/totals/accepted").asLong()).as("from the ticks, without run.end").isEqualTo(10 * 298);
        String html = Files.readString(r.html());
        assertThat(html).contains("run log ends without run.end (killed?)");
        for (String id : List.of("chart-rate", "chart-outcomes", "chart-latency-intended", "chart-latency-service", "chart-health",
                "chart-table-events", "chart-table-deviations", "chart-db-size"))
            assertThat(html).contains("<div class=\"chart\" id=\"" + id + "\"");
    }

    @Test
    void theDurationOfARunOfOneHourAndThirtyTwoSecondsCannotBeMisread() throws Exception {
        Path log = dir.resolve("run.jsonl");
        try (FixtureLog f = new FixtureLog(log)) {
            f.start("1h", List.of("events"), List.of(FixtureLog.emitter("motion", 10, "0s", "0s")), List.of());
            f.tick(2, "motion", 10, 10, 0, 0, 0, 4);
            f.record("run.end", 3632.397, java.util.Map.of("verdict", "completed", "exit_code", 0, "elapsed_s", 3632.0,
                    "totals", java.util.Map.of("planned", 10, "sent", 10, "accepted", 10, "rejected", 0, "failed", 0, "dropped", 0)));
        }
        Report.Result r = Report.write(log, dir, OptionalLong.empty());
        // it read "1h32.397s (planned 1h)": a run of 1 h 0 min 32 s
        assertThat(Files.readString(r.html())).contains("<tr><th>duration</th><td>1h 0m 32s (planned 1h 0m 0s)</td></tr>");
    }

    @Test
    void aSixHourLogIsKeptToABoundedNumberOfPointsPerChart() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 360, false);
        Report.write(log, dir, OptionalLong.empty());
        String html = Files.readString(dir.resolve(Report.HTML));
        Matcher m = Pattern.compile("<script id=\"report-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        JsonNode data = JSON.readTree(m.group(1));
        assertThat(data.get("charts")).hasSize(5 + FixtureLog.TABLES.size() + 1);
        for (JsonNode c : data.get("charts")) {
            int points = c.get("data").get(0).size();
            // 21,600 ticks, 10,800 health checks, 2,160 samples: each series within its bucket count (plus the run's two ends)
            assertThat(points).as(c.get("id").asText()).isBetween(100, RunData.POINTS + 2);
        }
        // the fits see every sample, not the buckets
        JsonNode s = summary(dir);
        assertThat(s.at("/tables/deviations/rows_per_min").asDouble()).isCloseTo(30, within(1e-6));
        assertThat(s.at("/tables/events/ratio_to_accepted_eps").asDouble()).isCloseTo(1, within(1e-6));
    }

    @Test
    void whatIsNotARunLogIsBadInputNamingTheFile() throws Exception {
        Path missing = dir.resolve("nope.jsonl");
        assertThatThrownBy(() -> Report.write(missing, dir, OptionalLong.empty())).isInstanceOf(BadInput.class)
                .hasMessage(missing + ": no such file");
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        assertThatThrownBy(() -> Report.write(empty, dir, OptionalLong.empty())).isInstanceOf(BadInput.class)
                .hasMessage(empty + ": empty, not a run log");
        Path other = Files.writeString(dir.resolve("other.jsonl"), "{\"id\":1,\"timestamp\":\"2026-01-01T00:00:00Z\"}\n");
        assertThatThrownBy(() -> Report.write(other, dir, OptionalLong.empty())).isInstanceOf(BadInput.class)
                .hasMessage(other + ": not a longrun run log (line 1 is not a run.start record)");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\nworld\n");
        assertThatThrownBy(() -> Report.write(text, dir, OptionalLong.empty())).isInstanceOf(BadInput.class)
                .hasMessageContaining("not a longrun run log");
        assertThatThrownBy(() -> Report.write(dir, dir, OptionalLong.empty())).isInstanceOf(BadInput.class)
                .hasMessageContaining("a folder, not a run log");
        assertThat(dir.resolve(Report.HTML)).doesNotExist();
    }

    @Test
    void aLimitInTheCriteriaIsTheDefaultDiskLimit() throws Exception {
        Path log = dir.resolve("run.jsonl");
        try (FixtureLog f = new FixtureLog(log)) {
            f.start("1m", List.of("events"), List.of(FixtureLog.emitter("a", 1, "0s", "0s")),
                    List.of(FixtureLog.rule("db_size", "db_size_growth", "abort", java.util.Map.of("above_mb_per_hour", 500.0, "limit_mb", 150.0))));
            for (int k = 0; k < 4; k++) f.db(1 + 10 * k, "events", k, 8192, 100 * FixtureLog.MIB + k * FixtureLog.MIB);
        }
        Report.write(log, dir, OptionalLong.empty());
        JsonNode run = summary(dir).get("run");
        assertThat(run.get("disk_limit_bytes").asLong()).isEqualTo(150 * FixtureLog.MIB);
        assertThat(run.get("disk_limit_source").asText()).isEqualTo("db_size's limit_mb");
        // 103 MiB at 31 s, 1 MiB per 10 s: 47 MiB more at 501 s
        assertThat(Instant.parse(run.get("db_size_limit_eta").asText())).isEqualTo(FixtureLog.T0.plusSeconds(501));
        assertThat(run.get("notes").toString()).contains("no tick records").contains("run log ends without run.end (killed?)");
        JsonNode events = summary(dir).at("/tables/events");
        // rows but no accepted events in the log: grew while nothing was accepted, no criterion names it
        assertThat(events.get("verdict").asText()).isEqualTo("unexpected");
        assertThat(events.get("ratio_to_accepted_eps").isNull()).isTrue();
        assertThat(events.get("reason").asText()).contains("it changed while no events were accepted");
    }

    @Test
    void aSingleSampleHasNoGrowthLine() throws Exception {
        Path log = dir.resolve("run.jsonl");
        try (FixtureLog f = new FixtureLog(log)) {
            f.start("1m", List.of("events"), List.of(FixtureLog.emitter("a", 1, "0s", "0s")), List.of(
                    FixtureLog.rule("g", "table_growth", "abort", java.util.Map.of("table", "events", "above_per_min", 10.0))));
            f.db(1, "events", 7, 8192, 100 * FixtureLog.MIB);
        }
        Report.write(log, dir, OptionalLong.empty());
        JsonNode events = summary(dir).at("/tables/events");
        assertThat(events.get("rows_per_min").isNull()).isTrue();
        assertThat(events.get("r2").isNull()).isTrue();
        assertThat(events.get("projection_6h_rows").asLong()).isEqualTo(7);
        assertThat(events.get("verdict").asText()).isEqualTo("expected");
        assertThat(events.get("reason").asText()).isEqualTo("Did not change (7 rows): too few samples to measure against g's limit of 10.0 rows/min.");
    }
    @Test
    void phasesComeFromTheScenarioWarmUpAndDrain() throws Exception {
        Path log = dir.resolve("run.jsonl");
        try (FixtureLog f = new FixtureLog(log)) {
            java.util.Map<String, Object> staged = new java.util.LinkedHashMap<>();
            staged.put("name", "ramping");
            staged.put("start_rate", 0.0);
            staged.put("stages", List.of(java.util.Map.of("duration", "20s", "rate", 10.0), java.util.Map.of("duration", "40s", "rate", 10.0),
                    java.util.Map.of("duration", "20s", "rate", 0.0)));
            staged.put("schedule", java.util.Map.of("start_after", "10s", "ramp_up", "0s", "ramp_down", "0s", "jitter_pct", 0.0));
            f.start("2m", List.of("events"), List.of(FixtureLog.emitter("steady", 5, "30s", "15s"), staged), List.of());
            f.record("warmup", 0.8, java.util.Map.of("took_ms", 600));
            // the clock starts at 1 s; events are due until 121 s; run.end at 124 s
            for (int t = 2; t <= 122; t++) f.tick(t, "steady", t <= 121 ? 5 : 0, t <= 121 ? 5 : 0, 0, 0, 0, 3);
            f.record("run.end", 124, java.util.Map.of("verdict", "completed", "exit_code", 0, "elapsed_s", 121.0));
        }
        Report.write(log, dir, OptionalLong.empty());
        Matcher m = Pattern.compile("<script id=\"report-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL)
                .matcher(Files.readString(dir.resolve(Report.HTML)));
        assertThat(m.find()).isTrue();
        List<String> phases = new ArrayList<>();
        double t0 = FixtureLog.T0.getEpochSecond();
        for (JsonNode p : JSON.readTree(m.group(1)).get("phases"))
            phases.add(String.format(java.util.Locale.ROOT, "%s %s %.1f-%.1f", p.get("kind").asText(), p.get("label").asText(),
                    p.get("from").asDouble() - t0, p.get("to").asDouble() - t0));
        assertThat(phases).containsExactly(
                "warmup warm-up 0.2-0.8",
                "ramp ramp-up steady 1.0-31.0",       // the clock starts at 1 s
                "ramp ramp-down steady 106.0-121.0",
                "stage stage 1 → 10/s ramping 11.0-31.0",
                "stage stage 2 → 10/s ramping 31.0-71.0",
                "stage stage 3 → 0/s ramping 71.0-91.0",
                "drain drain and final checks 121.0-124.0");
    }
}
