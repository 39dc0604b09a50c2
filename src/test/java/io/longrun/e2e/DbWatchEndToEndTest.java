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

/** The database watcher's counting methods through the command line, against the reference target. */
class DbWatchEndToEndTest {
    @TempDir
    Path dir;

    private Path scenario(TargetServer t, DbSettings db, String tables) throws Exception {
        Path f = dir.resolve("scenario.yaml");
        Files.writeString(f, """
                name: db-watch
                duration: 4s
                target: { url: "%s/event", timeout: 2s }
                database:
                  url: "%s"
                  tables: %s
                emitters: [ { name: motion, rate: 100 } ]
                watch: { db_every: 500ms }
                lag_allowance: 1s
                """.formatted(t.baseUrl(), db.url(), tables));
        return f;
    }

    @Test
    void eachTableIsCountedAsTheScenarioSaysAndTheEndsAreExact() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("hot_loop=20/s")), Map.of())) {
            Path sc = scenario(t, db, "[ { name: events, count: keyset, key: received_at }, deviations, { name: ingest_batches, count: exact } ]");
            Cli.Result plan = new Cli(dir).run("validate", sc.toString());
            assertThat(plan.code()).as(plan.all()).isZero();
            assertThat(plan.out()).contains("tables events (keyset on received_at), deviations (stats), ingest_batches (exact), every 500ms");

            Path log = dir.resolve("run.jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--log-file", log.toString(), "--quiet", "--metrics-port", "0");
            assertThat(r.code()).as(r.all()).isZero();
            List<JsonNode> records = RunLogs.read(log);
            JsonNode tables = records.get(0).at("/config/database/tables");
            assertThat(tables.get(0).get("count").asText()).isEqualTo("keyset");
            assertThat(tables.get(0).get("key").asText()).isEqualTo("received_at");
            assertThat(tables.get(1).get("count").asText()).isEqualTo("stats");

            JsonNode end = RunLogs.last(records, "run.end");
            long accepted = end.at("/totals/accepted").asLong();
            assertThat(accepted).isPositive();
            for (Map.Entry<String, String> e : Map.of("events", "keyset", "deviations", "stats", "ingest_batches", "exact").entrySet()) {
                List<String> methods = RunLogs.ofType(records, "db").stream().filter(d -> d.path("table").asText().equals(e.getKey()))
                        .map(d -> d.get("method").asText()).toList();
                assertThat(methods.get(0)).as(e.getKey()).isEqualTo("exact");
                assertThat(methods.subList(1, methods.size() - 1)).as(e.getKey()).isNotEmpty().containsOnly(e.getValue());
                // the last figure: count(*), or for keyset a recount past the marks of the lag allowance
                assertThat(methods.get(methods.size() - 1)).as(e.getKey()).isEqualTo(e.getValue().equals("keyset") ? "keyset" : "exact");
            }
            // events and ingest_batches are written only by the run; deviations by the hot loop, still going: it has more now
            assertThat(end.at("/tables/events/rows_end").asLong()).isEqualTo(TestDb.scalar(db, "select count(*) from events"));
            assertThat(end.at("/tables/ingest_batches/rows_end").asLong()).isZero();
            assertThat(end.at("/tables/deviations/rows_end").asLong()).isGreaterThan(end.at("/tables/deviations/rows_start").asLong())
                    .isLessThanOrEqualTo(TestDb.scalar(db, "select count(*) from deviations"));
            assertThat(end.at("/tables/events/rows_end").asLong() - end.at("/tables/events/rows_start").asLong()).isEqualTo(accepted);
            assertThat(r.out()).contains("rows end of events counted past its key's marks of the last lag allowance")
                    .contains("= accepted events");
        }
    }

    @Test
    void aKeyWithoutAnIndexIsExit2NamingItsKeyPath() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = scenario(t, db, "[ { name: deviations, count: keyset, key: created_at }, { name: events, count: keyset, key: nope } ]");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--log-file", dir.resolve("run.jsonl").toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("database.tables[0].key: no B-tree index of deviations starts with created_at")
                    .contains("create index on deviations (created_at)")
                    .contains("database.tables[1].key: table events has no column nope")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
