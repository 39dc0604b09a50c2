package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import io.longrun.pace.FakeClock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.WatchedTable.Counting;
import io.longrun.watch.DbSample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database watcher's figures as the run log, run.end and the summary show them: each says how it was counted. */
class TableFiguresTest {
    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();

    DbSample sample(Map<String, DbSample.Table> tables, Map<String, String> unread) {
        clock.advance(1_000_000_000L);
        return new DbSample(clock.nanoTime(), clock.now(), tables, 1 << 20, 3, 0, Optional.empty(), unread, 1.5);
    }

    @Test
    void theEndsSayHowTheyWereCountedAndAnEstimatedEndIsMarked() throws Exception {
        Path file = dir.resolve("run.jsonl");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, true);
        Outcomes outcomes = new Outcomes(List.of("a"));
        RunMonitor m;
        try (RunLog log = new RunLog(file)) {
            m = new RunMonitor(log, console, outcomes, List.of(), List.of(), List.of(), clock, Duration.ofSeconds(10), new RunControl());
            m.onDb(sample(Map.of("events", new DbSample.Table(10, 8192), "audit", new DbSample.Table(0, 8192)), Map.of()));
            m.onDb(sample(Map.of("events", new DbSample.Table(15, 8192, Counting.STATS, true, false),
                    "audit", new DbSample.Table(4, 8192, Counting.KEYSET, false, false)), Map.of()));
            // the last poll: audit's recount is done; events' count met a lock, so its figure is the statistics' estimate
            m.onDb(sample(Map.of("events", new DbSample.Table(20, 16384, Counting.STATS, false, true),
                    "audit", new DbSample.Table(6, 8192, Counting.KEYSET, false, false)), Map.of("orders", "locked")));
        }
        Map<String, RunResult.TableGrowth> g = m.tableGrowth();
        assertThat(g.get("events")).isEqualTo(new RunResult.TableGrowth(10, 20, 16384, "exact", "stats"));
        assertThat(g.get("events").counted()).isFalse();
        assertThat(g.get("audit").counted()).isTrue();

        Outcomes.Stats total = new Outcomes.Stats("all", 6, 6, 6, 0, 0, 0, Map.of(), Map.of(), Latency.NONE, Latency.NONE);
        RunResult r = new RunResult(0, "completed", Optional.empty(), Duration.ofSeconds(10), file, List.of(total), total, Latency.NONE,
                Latency.NONE, g);
        List<String> lines = RunSummary.lines(r, m);
        assertThat(lines).anyMatch(l -> l.matches("events +10 +≈20 +\\+10 .*"));
        assertThat(lines).anyMatch(l -> l.matches("audit +0 +6 +\\+6 .*= accepted events"));
        assertThat(lines).contains("rows start and end are exact, but where marked ≈ (count(*) before the first event and after the drain); "
                        + "rows end of audit counted past its key's marks of the last lag allowance",
                "≈ events: a count failed at that end (a lock or an error); the figure is estimated from PostgreSQL's statistics");

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> db = Files.readAllLines(file).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> n.get("type").asText().equals("db")).toList();
        assertThat(db).hasSize(7);
        List<JsonNode> events = db.stream().filter(n -> n.get("table").asText().equals("events")).toList();
        assertThat(events).extracting(n -> n.get("method").asText()).containsExactly("exact", "stats", "stats");
        assertThat(events).extracting(n -> n.path("reset").asBoolean()).containsExactly(false, true, false);
        assertThat(events).extracting(n -> n.path("skipped").asText()).containsExactly("", "", "locked");
        assertThat(events.get(1).get("poll_ms").asDouble()).isEqualTo(1.5);
        JsonNode orders = db.stream().filter(n -> n.get("table").asText().equals("orders")).findFirst().orElseThrow();
        assertThat(orders.get("skipped").asText()).isEqualTo("locked");
        assertThat(orders.has("rows")).isFalse();
    }
}
