package io.longrun.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.scenario.Assertions;
import io.longrun.scenario.Assertions.Bound;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Each assertion kind passes and fails on purpose, against a real PostgreSQL. */
class VerifierTest {
    HikariDataSource ds;
    Verifier v;

    @BeforeEach
    void setUp() throws Exception {
        DbSettings db = TestDb.freshSchema();
        ds = DataSources.open(db, Map.of(), "verify-test", 2);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("create table events (id int primary key, scenario_id text, emitter text, ts timestamptz, received_at timestamptz)");
            st.execute("insert into events values "
                    + "(1, 'run-1', 'a', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'),"
                    + "(2, 'run-1', 'a', '2026-01-01T00:00:05Z', '2026-01-01T00:00:06Z'),"
                    + "(3, 'run-1', 'b', '2026-01-01T00:00:03Z', '2026-01-01T00:00:07Z'),"
                    + "(4, 'run-2', 'a', '2026-01-01T00:00:09Z', '2026-01-01T00:00:08Z')");
        }
        v = new Verifier(ds, "run-1", Map.of("accepted", 3.0, "rejected", 0.0, "p95", 150.0, "error_rate", 2.5));
    }

    @AfterEach
    void tearDown() {
        ds.close();
    }

    static Optional<Bound> n(double d) {
        return Optional.of(new Bound(Optional.of(d), Optional.empty()));
    }

    static Optional<Bound> outcome(String o) {
        return Optional.of(new Bound(Optional.empty(), Optional.of(o)));
    }

    AssertionResult check(Assertions.Assertion a) {
        return v.run(List.of(a)).get(0);
    }

    @Test
    void countFromSqlWithTheScenarioIdBound() {
        String q = "select count(*) from events where scenario_id = :scenario_id";
        AssertionResult ok = check(new Assertions.Count("rows", Optional.of(q), Optional.empty(), outcome("accepted"), Optional.empty(), Optional.empty()));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.observed()).isEqualTo("3");
        assertThat(ok.expected()).isEqualTo("= 3 (accepted)");
        AssertionResult bad = check(new Assertions.Count("rows", Optional.of(q), Optional.empty(), n(4), Optional.empty(), Optional.empty()));
        assertThat(bad.passed()).isFalse();
        AssertionResult range = check(new Assertions.Count("r", Optional.of("select count(*) from events"), Optional.empty(), Optional.empty(), n(1), n(3)));
        assertThat(range.passed()).isFalse();
        assertThat(range.observed()).isEqualTo("4");
    }

    @Test
    void countFromADeliveryOutcome() {
        assertThat(check(new Assertions.Count("c", Optional.empty(), Optional.of("rejected"), Optional.empty(), Optional.empty(), n(0))).passed()).isTrue();
        assertThat(check(new Assertions.Count("c", Optional.empty(), Optional.of("accepted"), Optional.empty(), n(10), Optional.empty())).passed()).isFalse();
    }

    @Test
    void sequencePerEntity() {
        // per emitter by received_at: a = 00:00, 00:05, 00:09 in order; b alone
        assertThat(check(new Assertions.Sequence("s", "events", "emitter", "ts", "received_at", Optional.empty())).passed()).isTrue();
        // one stream for all: 00:05 is followed by 00:03 (stored after a later one)
        AssertionResult bad = check(new Assertions.Sequence("s", "events", "scenario_id", "ts", "received_at", Optional.empty()));
        assertThat(bad.passed()).isFalse();
        assertThat(bad.observed()).startsWith("1 row(s)");
        assertThat(check(new Assertions.Sequence("s", "events", "scenario_id", "ts", "received_at", Optional.of("emitter = 'a'"))).passed()).isTrue();
    }

    @Test
    void noRowsAndSql() {
        assertThat(check(new Assertions.NoRows("n", "select id from events where ts is null")).passed()).isTrue();
        AssertionResult bad = check(new Assertions.NoRows("n", "select id, emitter from events where emitter = 'b'"));
        assertThat(bad.passed()).isFalse();
        assertThat(bad.observed()).isEqualTo("1 row(s), first: 3, b");
        assertThat(check(new Assertions.Sql("q", "select count(*) = 4 from events")).passed()).isTrue();
        assertThat(check(new Assertions.Sql("q", "select count(*) = 5 from events")).passed()).isFalse();
    }

    @Test
    void thresholdOnDeliveryFigures() {
        assertThat(check(threshold("p95 < 200ms")).passed()).isTrue();
        assertThat(check(threshold("p95 < 0.1s")).passed()).isFalse();
        assertThat(check(threshold("error_rate < 1%")).passed()).isFalse();
        assertThat(check(threshold("error_rate <= 2.5%")).passed()).isTrue();
    }

    static Assertions.Threshold threshold(String text) {
        return (Assertions.Threshold) Assertions.Threshold.parse("t", text);
    }

    @Test
    void aBrokenQueryFailsTheAssertionWithItsError() {
        AssertionResult r = check(new Assertions.Sql("q", "select nonsense from nowhere"));
        assertThat(r.passed()).isFalse();
        assertThat(r.error()).contains("nowhere");
    }

    @Test
    void junitXmlListsEveryAssertionAndEveryStop(@TempDir Path dir) throws Exception {
        List<AssertionResult> results = v.run(List.of(
                new Assertions.Sql("all_four", "select count(*) = 4 from events"),
                new Assertions.Sql("five <&>", "select count(*) = 5 from events"),
                new Assertions.Sql("broken", "select nonsense")));
        Path xml = dir.resolve("out/junit.xml");
        JUnitReport.write(xml, "soak", results, List.of(new JUnitReport.Stop("lost_events", "1 of 20 \"lost\"")), 12.5);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(xml));
        var suite = d.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        var cases = d.getElementsByTagName("testcase");
        assertThat(cases.item(1).getAttributes().getNamedItem("name").getNodeValue()).isEqualTo("five <&>");
        assertThat(d.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message").getNodeValue())
                .isEqualTo("observed false, expected true");
        assertThat(d.getElementsByTagName("failure").item(1).getAttributes().getNamedItem("message").getNodeValue()).isEqualTo("1 of 20 \"lost\"");
    }

    @Test
    void aPhasesSqlBindsItsStartAndEndAsTimestamps() {
        // the phase ran from 00:00:02 to 00:00:06: rows 2 and 3 were stored in it (ts 00:00:05 and 00:00:03)
        Verifier phase = new Verifier(ds, "run-1", Map.of(), Map.of("phase_start", java.time.Instant.parse("2026-01-01T00:00:02Z"),
                "phase_end", java.time.Instant.parse("2026-01-01T00:00:06Z")));
        String q = "select count(*) from events where scenario_id = :scenario_id and ts >= :phase_start and ts < :phase_end";
        AssertionResult ok = phase.run(List.of(new Assertions.Count("in-phase", Optional.of(q), Optional.empty(), n(2), Optional.empty(), Optional.empty()))).get(0);
        assertThat(ok.passed()).as(ok.observed()).isTrue();
        AssertionResult sql = phase.run(List.of(new Assertions.Sql("casts", "select :phase_end::timestamptz - :phase_start::timestamptz = interval '4 seconds'"))).get(0);
        assertThat(sql.passed()).as(sql.observed() + " " + sql.error()).isTrue();
        // outside a phase the names are unknown, and the assertion says so
        AssertionResult outside = check(new Assertions.Sql("outside", "select now() > :phase_start"));
        assertThat(outside.passed()).isFalse();
        assertThat(outside.error()).isEqualTo(":phase_start is only known in a phase's assertions");
    }
}
