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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream faults end to end: longrun drops, duplicates, delays and modifies its own events in a phase, against the
 * reference target storing into PostgreSQL; the database is checked with SQL, independently of longrun, against
 * the ledger longrun wrote (chaos.ndjson), and the ledger assertion passes or fails naming the ids.
 */
class StreamFaultsTest {
    @TempDir
    Path dir;

    /** LedgerFindingsTest's scenario with the faults of this test: drop, duplicate, delay and modify. */
    static final String SCENARIO = LedgerFindingsTest.SCENARIO.formatted("%s", "%s", "%s", String.join("\n      ",
            "- drop: { pct: 10 }",
            "- duplicate: { pct: 5, after_ms: 50 }",
            "- delay: { pct: 5, ms: 300 }",
            "- modify: { pct: 5, path: payload.room, value: chaos-room, emitters: [a] }"));

    @Test
    void dropTenPercentDuplicateFivePercentRowsAreExactlyWhatTheLedgerPredicts() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("s.yaml");
            Files.writeString(sc, SCENARIO.formatted("chaos-clean", t.baseUrl(), db.url()));
            Path folder = dir.resolve("run");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--seed", "7", "--log-file", folder.resolve("run.jsonl").toString());
            // not 4: the ledger assertion passed (a 1 s baseline on a loaded machine may leave the verdict inconclusive, 6)
            assertThat(r.code()).as(r.all()).isIn(0, 5, 6);
            List<JsonNode> rec = RunLogs.read(folder.resolve("run.jsonl"));
            JsonNode end = RunLogs.last(rec, "run.end");
            List<JsonNode> ledger = RunLogs.read(folder.resolve("chaos.ndjson"));
            Map<String, List<String>> byFault = ledger.stream().collect(Collectors.groupingBy(n -> n.get("fault").asText(),
                    Collectors.mapping(n -> n.get("id").asText(), Collectors.toList())));
            // the ledger's lines and run.end's chaos figures agree, and the faults touched about their share
            JsonNode chaos = end.get("chaos");
            assertThat(chaos.get("dropped").asLong()).isEqualTo(byFault.get("drop").size());
            assertThat(chaos.get("duplicated").asLong()).isEqualTo(byFault.get("duplicate").size());
            assertThat(chaos.get("delayed").asLong()).isEqualTo(byFault.get("delay").size());
            assertThat(chaos.get("modified").asLong()).isEqualTo(byFault.get("modify").size());
            assertThat(chaos.get("duplicates_accepted").asLong()).isEqualTo(chaos.get("duplicated").asLong()); // 200: already stored
            long chaosEvents = 3 * 90;
            assertThat(byFault.get("drop").size()).isBetween((int) (chaosEvents * 0.05), (int) (chaosEvents * 0.15));
            assertThat(byFault.get("duplicate").size()).isBetween(5, (int) (chaosEvents * 0.10));
            assertThat(ledger).allMatch(n -> n.get("phase").asText().equals("chaos"));
            assertThat(ledger).filteredOn(n -> n.get("fault").asText().equals("modify")).allMatch(n -> n.get("emitter").asText().equals("a"));
            // planned = accepted + rejected + failed + dropped + chaos.dropped; a chaos drop is not the pacer's (dropped)
            JsonNode tot = end.get("totals");
            assertThat(tot.get("planned").asLong()).isEqualTo(tot.get("accepted").asLong() + tot.get("rejected").asLong()
                    + tot.get("failed").asLong() + tot.get("dropped").asLong() + chaos.get("dropped").asLong());
            assertThat(tot.get("sent").asLong()).isEqualTo(tot.get("planned").asLong() - tot.get("dropped").asLong() - chaos.get("dropped").asLong());

            // the database, with SQL: rows == accepted events, none of the dropped, each duplicate once, modified values stored
            String scenarioId = RunLogs.last(rec, "run.start").get("scenario_id").asText();
            try (Connection c = TestDb.connect(db)) {
                long rows = count(c, "select count(*) from events where scenario_id = ?", scenarioId);
                if (tot.get("failed").asLong() == 0 && tot.get("dropped").asLong() == 0) // the usual case: exact
                    assertThat(rows).isEqualTo(tot.get("accepted").asLong()).isEqualTo(tot.get("planned").asLong() - chaos.get("dropped").asLong());
                else // a loaded machine: a timed-out event may still have been stored
                    assertThat(rows).isBetween(tot.get("accepted").asLong(), tot.get("sent").asLong());
                assertThat(perId(c, byFault.get("drop"))).isEmpty();
                assertThat(perId(c, byFault.get("duplicate"))).hasSize(byFault.get("duplicate").size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
                assertThat(perId(c, byFault.get("delay"))).hasSize(byFault.get("delay").size());
                try (PreparedStatement ps = c.prepareStatement("select count(*) from events where id::text = any(?) and payload->>'room' = 'chaos-room'")) {
                    ps.setArray(1, c.createArrayOf("text", byFault.get("modify").toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(byFault.get("modify").size());
                    }
                }
                assertThat(count(c, "select count(*) from events where scenario_id = ? and payload->>'room' = 'chaos-room'", scenarioId))
                        .isEqualTo(byFault.get("modify").size());
            }
            JsonNode asserted = RunLogs.last(rec, "assert");
            assertThat(asserted.get("kind").asText()).isEqualTo("ledger");
            assertThat(asserted.get("passed").asBoolean()).as(asserted.toString()).isTrue();
        }
    }

    @Test
    void theLedgerAssertionFailsNamingTheIdsATargetLost() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("lose=0.05")), Map.of())) {
            Path sc = dir.resolve("s.yaml");
            Files.writeString(sc, SCENARIO.formatted("chaos-lose", t.baseUrl(), db.url()));
            Path folder = dir.resolve("run");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--seed", "7", "--log-file", folder.resolve("run.jsonl").toString());
            assertThat(r.code()).as(r.all()).isEqualTo(4);
            List<JsonNode> rec = RunLogs.read(folder.resolve("run.jsonl"));
            JsonNode asserted = RunLogs.last(rec, "assert");
            assertThat(asserted.get("passed").asBoolean()).isFalse();
            String observed = asserted.get("observed").asText();
            assertThat(observed).contains("expected but missing").doesNotContain("dropped by design (");
            // the ids named are those the target lost: crc32(id) / 2^32 < 0.05, and not in the database
            String scenarioId = RunLogs.last(rec, "run.start").get("scenario_id").asText();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f-]{27}").matcher(observed);
            int named = 0;
            try (Connection c = TestDb.connect(db)) {
                while (m.find()) {
                    String id = m.group();
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    assertThat(crc.getValue() / Math.pow(2, 32)).as(id).isLessThan(0.05);
                    assertThat(perId(c, List.of(id))).isEmpty();
                    named++;
                }
                long missing = Long.parseLong(observed.substring(0, observed.indexOf(' ')));
                JsonNode tot = RunLogs.last(rec, "run.end").get("totals");
                long rows = count(c, "select count(*) from events where scenario_id = ?", scenarioId);
                if (tot.get("failed").asLong() == 0) // a timed-out event may have been stored: then not exact
                    assertThat(missing).isEqualTo(tot.get("accepted").asLong() - rows);
                assertThat(missing).isPositive();
            }
            assertThat(named).isBetween(1, 10);
            assertThat(r.out()).contains("rows_as_ledger");
        }
    }

    @Test
    void aModifiedTimestampIsCaughtByUtcSkew() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("s.yaml");
            Files.writeString(sc, """
                    name: chaos-skew
                    target: { url: "%s/event", timeout: 20s }
                    database: { url: "%s" }
                    emitters: [ { name: a, rate: 40 } ]
                    stop_when:
                      - utc_skew: { table: events, id_column: id, ts_column: timestamp, above: 1m, lag: 1s }
                    phases:
                      - { name: stabilize, duration: 1s }
                      - name: chaos
                        duration: 20s
                        faults: [ { modify: { pct: 50, path: timestamp, value: "2020-01-01T00:00:00Z" } } ]
                    """.formatted(t.baseUrl(), db.url()));
            Path folder = dir.resolve("run");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--seed", "7", "--log-file", folder.resolve("run.jsonl").toString());
            assertThat(r.code()).as(r.all()).isEqualTo(3);
            List<JsonNode> rec = RunLogs.read(folder.resolve("run.jsonl"));
            JsonNode end = RunLogs.last(rec, "run.end");
            assertThat(end.get("stopped_by").asText()).startsWith("utc_skew");
            assertThat(end.at("/chaos/modified").asLong()).isPositive();
            String scenarioId = RunLogs.last(rec, "run.start").get("scenario_id").asText();
            try (Connection c = TestDb.connect(db)) { // the modified events were stored with the time they were sent with
                assertThat(count(c, "select count(*) from events where scenario_id = ? and \"timestamp\" = '2020-01-01T00:00:00Z'", scenarioId)).isPositive();
            }
        }
    }

    private static long count(Connection c, String sql, String arg) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Long> perId(Connection c, List<String> ids) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id::text, count(*) from events where id::text = any(?) group by 1")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
