package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run log of the statistics watcher: figures estimated while running are marked ≈ with a legend, the exact ends
 * are not, and a table estimated in between takes its rows per accepted event from its exact ends.
 */
class ReportEstimatesTest {
    @TempDir
    Path dir;

    /**
     * 40 s at 10 accepted events a second, a sample every 2 s. events: counted exactly at both ends (0 and 400 rows),
     * estimated in between with a lag that grows from 0 to 3 s (so the fitted slope is too low); audit: exact
     * throughout, 2 rows per event; orders: its last count failed, so its end is an estimate too.
     */
    private Path log() throws Exception {
        Path file = dir.resolve("run.jsonl");
        try (FixtureLog f = new FixtureLog(file)) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("name", "estimates");
            config.put("duration", "40s");
            config.put("database", Map.of("url", "jdbc:postgresql://127.0.0.1/x", "tables", List.of(
                    Map.of("name", "events", "count", "stats"), Map.of("name", "audit", "count", "exact"), Map.of("name", "orders", "count", "stats"))));
            config.put("emitters", List.of(FixtureLog.emitter("motion", 10, "0s", "0s")));
            config.put("stop_when", List.of());
            f.record("run.start", 0, Map.of("scenario", "estimates", "run_id", "estimates-1", "scenario_id", "estimates-1", "seed", 1, "config", config));
            for (int t = 1; t <= 41; t++) {
                if (t > 1) f.tick(t, "motion", 10, 10, 0, 0, 0, 5);
                if ((t - 1) % 2 == 0) {
                    double s = t; // after the tick of the same second: 10 × (t - 1) accepted by then
                    long accepted = 10L * (t - 1);
                    boolean first = t == 1, last = t == 41;
                    String middle = first || last ? "exact" : "stats";
                    long lagged = first || last ? accepted : Math.max(0, accepted - 10L * (t - 1) * 3 / 40); // 0 .. 3 s behind
                    // orders (written first, so the scenario's order has to come from run.start's tables)
                    db(f, s, "orders", lagged / 2, first ? "exact" : "stats");
                    db(f, s, "events", lagged, middle);
                    db(f, s, "audit", 2 * accepted, "exact");
                    if (t == 21) f.record("db", s, Map.of("table", "events", "skipped", "locked")); // no figure: left out
                }
            }
            f.record("run.end", 42, Map.of("verdict", "completed", "exit_code", 0, "elapsed_s", 41.0,
                    "totals", Map.of("planned", 400, "sent", 400, "accepted", 400, "rejected", 0, "failed", 0, "dropped", 0)));
        }
        return file;
    }

    private static void db(FixtureLog f, double t, String table, long rows, String method) {
        f.record("db", t, Map.of("table", table, "rows", rows, "bytes", 8192 + rows * 100, "db_bytes", 1L << 30, "method", method));
    }

    /** The cells of a table's row in the report's growth table. */
    private static List<String> cells(String html, String table) {
        Matcher row = Pattern.compile("<tr class=\"[a-z]+\"><td>" + table + "</td>(.*?)</tr>").matcher(html);
        assertThat(row.find()).as("a row for " + table).isTrue();
        Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(row.group(1));
        List<String> out = new java.util.ArrayList<>();
        while (cell.find()) out.add(cell.group(1));
        return out;
    }

    @Test
    void estimatesAreMarkedAndTheExactEndsAreNot() throws Exception {
        Report.write(log(), dir, OptionalLong.empty());
        JsonNode s = new ObjectMapper().readTree(dir.resolve(Report.SUMMARY_JSON).toFile());
        assertThat(s.get("tables").fieldNames()).toIterable().containsExactly("events", "audit", "orders");

        JsonNode events = s.at("/tables/events");
        assertThat(events.get("rows_start_method").asText()).isEqualTo("exact");
        assertThat(events.get("rows_end_method").asText()).isEqualTo("exact");
        assertThat(events.get("rows_estimated").asBoolean()).isTrue();
        assertThat(events.get("rows_end").asLong()).isEqualTo(400);
        // the lagging estimates tilt the fitted line; the ratio comes from the exact ends: 400 rows for 400 events
        assertThat(events.get("rows_per_min").asDouble()).isLessThan(570);
        assertThat(events.get("ratio_to_accepted_eps").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(s.at("/tables/audit/rows_estimated").asBoolean()).isFalse();
        assertThat(s.at("/tables/orders/rows_end_method").asText()).isEqualTo("stats");

        String html = Files.readString(dir.resolve(Report.HTML));
        // rows start, rows end, rows/min, MB/h, R², rows per accepted event, in 6 h, in 24 h
        List<String> e = cells(html, "events");
        assertThat(e.subList(0, 2)).containsExactly("0", "400");
        assertThat(e.get(2)).startsWith("≈");
        assertThat(e.get(3)).doesNotStartWith("≈"); // sizes are never estimates
        assertThat(e.get(5)).isEqualTo("1.000");
        assertThat(e.get(6)).startsWith("≈");
        assertThat(cells(html, "audit").subList(0, 8)).noneMatch(c -> c.startsWith("≈"));
        List<String> o = cells(html, "orders");
        assertThat(o.get(0)).isEqualTo("0");
        assertThat(o.get(1)).startsWith("≈");
        assertThat(o.get(5)).startsWith("≈");
        assertThat(html).contains("id=\"estimates\">≈ an estimate: fitted over samples read from PostgreSQL&#39;s statistics");

        assertThat(Files.readString(dir.resolve(Report.SUMMARY_MD))).contains("| events | 0 | 400 | ≈").contains("≈ an estimate: ");
        List<String> csv = Files.readAllLines(dir.resolve(Report.SAMPLES_CSV));
        assertThat(csv).filteredOn(l -> l.contains(",events,")).hasSize(21).first().asString().endsWith(",exact");
        assertThat(csv).filteredOn(l -> l.contains(",events,") && l.endsWith(",stats")).hasSize(19);
    }

    @Test
    void aReportOfExactSamplesOnlyHasNoMarkAndNoLegend() throws Exception {
        FixtureLog.steady(dir.resolve("run.jsonl"), 2, false);
        Report.write(dir.resolve("run.jsonl"), dir, OptionalLong.empty());
        String html = Files.readString(dir.resolve(Report.HTML));
        assertThat(html).doesNotContain("id=\"estimates\"");
        assertThat(cells(html, "events")).noneMatch(c -> c.startsWith("≈"));
    }
}
