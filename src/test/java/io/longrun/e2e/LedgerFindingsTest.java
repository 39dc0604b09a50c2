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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reorder, corrupt and inject end to end against the reference target storing into PostgreSQL, and the ledger
 * assertion's findings proven against it: a clean target passes; one that accepts corrupted events (lenient), one
 * that stores every event twice (dup_events) and one that does not store a modified field fail, naming the ids,
 * which plain SQL confirms.
 */
class LedgerFindingsTest {
    @TempDir
    Path dir;

    static final String SCENARIO = """
            name: %s
            target: { url: "%s/event", timeout: 20s, max_in_flight: 256 }
            database: { url: "%s" }
            emitters: [ { name: a, rate: 60 }, { name: b, rate: 30 } ]
            lag_allowance: 500ms
            phases:
              - { name: stabilize, duration: 1s }
              - name: chaos
                duration: 3s
                faults:
                  %s
              - { name: settle, duration: 1s }
            assert:
              - ledger: { table: events, id_column: id }
                name: rows_as_ledger
            """;

    static final String NEW_FAULTS = """
            - reorder: { window: 6, emitters: [a] }
                      - corrupt: { pct: 4, how: bad_json }
                      - corrupt: { pct: 4, how: wrong_type, emitters: [b] }
                      - inject: { rate: 5, template: { id: "{{uuid}}", timestamp: "{{now}}", category: failure, payload: { of: "{{seq}}" } } }
                      - inject: { rate: 3, template: { id: "{{uuid}}", kind: failure }, store: false }
                      - modify: { pct: 5, path: payload.room, value: chaos-room }""";

    record Run(Cli.Result cli, List<JsonNode> log, List<JsonNode> ledger, Map<String, List<String>> byFault, JsonNode asserted, String scenarioId) {}

    Run run(String name, Faults faults, DbSettings db, String faultsYaml) throws Exception {
        try (TargetServer t = TargetServer.start(0, db, faults, Map.of())) {
            Path sc = dir.resolve(name + ".yaml");
            String list = faultsYaml.lines().map(String::strip).collect(Collectors.joining("\n      "));
            Files.writeString(sc, SCENARIO.formatted(name, t.baseUrl(), db.url(), list));
            Path folder = dir.resolve(name);
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--seed", "11", "--log-file", folder.resolve("run.jsonl").toString());
            assertThat(folder.resolve("run.jsonl")).as(r.all()).exists();
            List<JsonNode> rec = RunLogs.read(folder.resolve("run.jsonl"));
            List<JsonNode> ledger = RunLogs.read(folder.resolve("chaos.ndjson"));
            Map<String, List<String>> byFault = ledger.stream().collect(Collectors.groupingBy(n -> n.get("fault").asText() + (n.has("how") ? ":" + n.get("how").asText() : "")
                            + (n.get("fault").asText().equals("inject") ? ":" + n.get("expect").asText() : ""),
                    Collectors.mapping(n -> n.get("id").asText(), Collectors.toList())));
            return new Run(r, rec, ledger, byFault, RunLogs.last(rec, "assert"), RunLogs.last(rec, "run.start").get("scenario_id").asText());
        }
    }

    @Test
    void aCleanTargetHoldsExactlyWhatTheLedgerPredictsUnderReorderCorruptAndInject() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Run run = run("clean", Faults.NONE, db, NEW_FAULTS);
        assertThat(run.cli().code()).as(run.cli().all()).isIn(0, 5, 6); // not 4: the ledger assertion passed
        assertThat(run.asserted().get("passed").asBoolean()).as(run.asserted().toString()).isTrue();
        JsonNode end = RunLogs.last(run.log(), "run.end"), chaos = end.get("chaos"), tot = end.get("totals");
        Map<String, List<String>> f = run.byFault();
        // run.end's figures and the ledger's lines agree
        assertThat(chaos.get("reordered").asLong()).isEqualTo(f.get("reorder").size()).isPositive();
        assertThat(chaos.get("corrupted").asLong()).isEqualTo(f.get("corrupt:bad_json").size() + f.get("corrupt:wrong_type").size());
        assertThat(chaos.get("injected").asLong()).isEqualTo(f.get("inject:once").size() + f.get("inject:absent").size());
        assertThat(chaos.get("corrupted_accepted").asLong()).as("the target rejected every corrupted event").isZero();
        assertThat(chaos.get("corrupted_other").asLong()).isEqualTo(chaos.get("corrupted").asLong());
        assertThat(chaos.get("injected_accepted").asLong()).isEqualTo(f.get("inject:once").size());
        assertThat(run.ledger()).filteredOn(n -> n.get("fault").asText().equals("reorder"))
                .allMatch(n -> n.get("emitter").asText().equals("a") && n.get("moved_by").asInt() != 0 && Math.abs(n.get("moved_by").asInt()) < 6);
        // a corrupted event is in none of the outcomes: planned = accepted + rejected + failed + dropped + chaos.corrupted
        assertThat(tot.get("rejected").asLong()).as("the designed rejections are chaos figures, not outcomes").isZero();
        assertThat(tot.get("planned").asLong()).as(end.toString()).isEqualTo(tot.get("accepted").asLong() + tot.get("rejected").asLong()
                + tot.get("failed").asLong() + tot.get("dropped").asLong() + chaos.get("corrupted").asLong());
        assertThat(tot.get("sent").asLong()).isEqualTo(tot.get("planned").asLong() - tot.get("dropped").asLong() - chaos.get("corrupted").asLong());
        assertThat(end.path("failed_by").has("abandoned")).as("a corrupted event's answer is no abandoned request").isFalse();
        try (Connection c = TestDb.connect(db)) { // independently: plain SQL
            assertThat(perId(c, f.get("corrupt:bad_json"))).isEmpty();
            assertThat(perId(c, f.get("corrupt:wrong_type"))).isEmpty();
            assertThat(perId(c, f.get("inject:absent"))).isEmpty();
            assertThat(perId(c, f.get("inject:once"))).hasSize(f.get("inject:once").size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            List<String> reordered = f.get("reorder").stream().filter(id -> !f.get("corrupt:bad_json").contains(id)).toList();
            assertThat(perId(c, reordered)).as("each reordered event once, unless it was also corrupted").hasSize(reordered.size());
            assertThat(scalar(c, "select count(*) from events where category = 'failure' and scenario_id = '" + run.scenarioId() + "'"))
                    .isEqualTo(f.get("inject:once").size());
            if (tot.get("failed").asLong() == 0)
                assertThat(scalar(c, "select count(*) from events where scenario_id = '" + run.scenarioId() + "'"))
                        .isEqualTo(tot.get("accepted").asLong() + f.get("inject:once").size());
        }
    }

    @Test
    void aLenientTargetFailsTheLedgerNamingTheCorruptedEventsItAccepted() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Run run = run("lenient", Faults.parse(List.of("lenient")), db, """
                - corrupt: { pct: 5, how: truncate }
                          - corrupt: { pct: 5, how: wrong_type, emitters: [b] }""");
        assertThat(run.cli().code()).as(run.cli().all()).isEqualTo(4);
        String observed = run.asserted().get("observed").asText();
        assertThat(observed).contains("accepted (2xx) though corrupted or to be rejected").contains("present though corrupted or to be rejected");
        List<String> corrupted = new ArrayList<>(run.byFault().get("corrupt:truncate"));
        corrupted.addAll(run.byFault().get("corrupt:wrong_type"));
        List<String> named = ids(observed);
        assertThat(named).isNotEmpty().allMatch(corrupted::contains);
        JsonNode chaos = RunLogs.last(run.log(), "run.end").get("chaos");
        assertThat(chaos.get("corrupted_accepted").asLong()).isEqualTo(corrupted.size());
        assertThat(chaos.get("corrupted_accepted_ids")).isNotEmpty();
        try (Connection c = TestDb.connect(db)) { // a wrong_type event keeps its id: the lenient target stored it under it
            assertThat(perId(c, run.byFault().get("corrupt:wrong_type"))).hasSize(run.byFault().get("corrupt:wrong_type").size());
        }
        assertThat(run.cli().out()).contains("rows_as_ledger");
    }

    @Test
    void aTargetThatStoresEventsTwiceFailsNamingTheDuplicatedIds() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Run run = run("dup", Faults.parse(List.of("dup_events")), db, """
                - drop: { pct: 10 }
                          - duplicate: { pct: 5, after_ms: 50 }""");
        assertThat(run.cli().code()).as(run.cli().all()).isEqualTo(4);
        String observed = run.asserted().get("observed").asText();
        assertThat(observed).contains("stored twice or more").doesNotContain("expected but missing").doesNotContain("dropped by design (");
        List<String> named = ids(observed);
        assertThat(named).hasSize(10);
        try (Connection c = TestDb.connect(db)) {
            assertThat(perId(c, named)).hasSize(10).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
            assertThat(perId(c, run.byFault().get("drop"))).as("dropped by design: absent").isEmpty();
        }
        // the report shows the chaos figures and the ledger's findings, with the ids
        Cli.Result rep = new Cli(dir).run("report", dir.resolve("dup/run.jsonl").toString(), "--out", dir.resolve("dup-report").toString());
        assertThat(rep.code()).as(rep.all()).isZero();
        JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("dup-report/summary.json").toFile()).get("run");
        assertThat(summary.at("/chaos/dropped").asLong()).isEqualTo(run.byFault().get("drop").size());
        assertThat(summary.at("/chaos/duplicated").asLong()).isEqualTo(run.byFault().get("duplicate").size());
        assertThat(summary.at("/ledger/passed").asBoolean()).isFalse();
        assertThat(summary.at("/ledger/observed").asText()).isEqualTo(observed);
        String html = Files.readString(dir.resolve("dup-report/report.html"));
        assertThat(html).contains("stream chaos").contains(run.byFault().get("drop").size() + " dropped").contains("stored twice or more").contains(named.get(0));
    }

    @Test
    void aModifiedValueTheTargetDidNotStoreIsAFindingNamedWithItsId() throws Exception {
        DbSettings db = TestDb.freshSchema();
        // the reference target stores id, timestamp, category and payload; a top-level field of another name is dropped
        Run run = run("unstored", Faults.NONE, db, """
                - modify: { pct: 10, path: payload.room, value: chaos-room }
                          - modify: { pct: 10, path: source, value: chaos, emitters: [a] }""");
        assertThat(run.cli().code()).as(run.cli().all()).isEqualTo(4);
        String observed = run.asserted().get("observed").asText();
        assertThat(observed).contains("modified value not stored").doesNotContain("expected but missing");
        List<String> named = ids(observed);
        List<String> source = run.ledger().stream().filter(n -> n.path("path").asText().equals("source")).map(n -> n.get("id").asText()).toList();
        List<String> room = run.ledger().stream().filter(n -> n.path("path").asText().equals("payload.room")).map(n -> n.get("id").asText()).toList();
        assertThat(named).isNotEmpty().allMatch(source::contains);
        long notStored = Long.parseLong(observed.substring(0, observed.indexOf(' ')));
        assertThat(notStored).isEqualTo(source.size());
        try (Connection c = TestDb.connect(db); PreparedStatement ps = c.prepareStatement(
                "select count(*) from events where id::text = any(?) and payload->>'room' = 'chaos-room'")) {
            ps.setArray(1, c.createArrayOf("text", room.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("payload.room was stored: not a finding").isEqualTo(room.size());
            }
        }
    }

    static List<String> ids(String observed) {
        Matcher m = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").matcher(observed);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group());
        return out;
    }

    static long scalar(Connection c, String sql) throws Exception {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, Long> perId(Connection c, List<String> ids) throws Exception {
        Map<String, Long> out = new HashMap<>();
        if (ids == null) return out;
        try (PreparedStatement ps = c.prepareStatement("select id::text, count(*) from events where id::text = any(?) group by 1")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
