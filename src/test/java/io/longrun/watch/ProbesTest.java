package io.longrun.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.db.Migrations;
import io.longrun.pace.Clock;
import io.longrun.scenario.Conditions.UtcSkew;
import io.longrun.scenario.Scenario;
import io.longrun.testing.TestDb;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The utc_skew probe reads stored timestamps without the JVM's time zone entering (real PostgreSQL). */
class ProbesTest {
    static final Instant SENT = Instant.parse("2026-11-29T10:00:00.123Z");

    /** Runs the utc_skew probe over one table whose rows hold the given stored timestamps for events sent at {@link #SENT}. */
    static ProbeSample skew(DbSettings db, String table) throws Exception {
        List<ProbeSample> samples = new ArrayList<>();
        Signals signals = new Signals() {
            public void onHealth(HealthSample s) {}

            public void onDb(DbSample s) {}

            public void onProbe(ProbeSample s) {
                samples.add(s);
            }
        };
        SentEvents sent = new SentEvents(1000, 1000);
        try (HikariDataSource ds = DataSources.open(db, Map.of(), "probe-test", 2); Connection c = ds.getConnection();
             Statement st = c.createStatement(); var rs = st.executeQuery("select id::text from " + table)) {
            while (rs.next())
                sent.offer(("{\"id\":\"" + rs.getString(1) + "\",\"timestamp\":\"" + SENT + "\"}").getBytes(StandardCharsets.UTF_8), 0);
            UtcSkew u = new UtcSkew(table, "id", "timestamp", Duration.ofMinutes(1), "id", "timestamp", Duration.ZERO);
            Probes p = new Probes(List.of(new Scenario.StopRule("utc_skew", Scenario.Severity.ABORT, Duration.ZERO, u)), ds, sent, "s",
                    at -> 0, () -> 0, Clock.SYSTEM, signals);
            p.check(c);
            p.last();
        }
        assertThat(samples).hasSize(1);
        return samples.get(0);
    }

    @Test
    void zeroSkewOnCorrectDataWhateverTheJvmTimeZone() throws Exception {
        TimeZone before = TimeZone.getDefault();
        DbSettings db = TestDb.freshSchema();
        try {
            // the driver sends the JVM's zone as the session TimeZone: set it before any connection is made
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            try (HikariDataSource ds = DataSources.open(db, Map.of(), "probe-setup", 3); Connection c = ds.getConnection()) {
                Migrations.migrate(ds);
                try (Statement st = c.createStatement()) {
                    st.execute("create table naive (id uuid primary key, \"timestamp\" timestamp not null)");
                }
                for (int i = 0; i < 3; i++) {
                    try (PreparedStatement ps = c.prepareStatement("insert into events (id, \"timestamp\", category, payload) values (?, ?, 'motion', '{}')")) {
                        ps.setObject(1, UUID.randomUUID());
                        ps.setObject(2, OffsetDateTime.ofInstant(SENT, ZoneOffset.UTC));
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("insert into naive (id, \"timestamp\") values (?, ?)")) {
                        ps.setObject(1, UUID.randomUUID());
                        ps.setObject(2, LocalDateTime.ofInstant(SENT, ZoneOffset.UTC)); // a UTC writer into a naive column
                        ps.executeUpdate();
                    }
                }
            }
            ProbeSample tz = skew(db, "events");
            assertThat(tz.checked()).isEqualTo(3);
            assertThat(tz.value()).as(tz.text()).isZero();
            ProbeSample naive = skew(db, "naive");
            assertThat(naive.checked()).isEqualTo(3);
            assertThat(naive.value()).as(naive.text()).isZero();
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void aWholeHourOffsetIsMeasuredAndNamed() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (HikariDataSource ds = DataSources.open(db, Map.of(), "probe-setup", 3); Connection c = ds.getConnection()) {
            Migrations.migrate(ds);
            try (PreparedStatement ps = c.prepareStatement("insert into events (id, \"timestamp\", category, payload) values (?, ?, 'motion', '{}')")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, OffsetDateTime.ofInstant(SENT.minus(Duration.ofHours(2)), ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
        ProbeSample s = skew(db, "events");
        assertThat(s.value()).isEqualTo(7200.0);
        assertThat(s.text()).contains("a whole-hour offset (-2 h)");
    }

    /** A clock that moves 10 ms at every reading, so that every statement between two readings seems to take 10 ms. */
    static final class TickingClock implements Clock {
        long t;

        public synchronized long nanoTime() {
            return t += 10_000_000L;
        }

        public Instant now() {
            return SENT;
        }

        public void parkUntil(long deadline) {}

        public boolean tryAcquire(java.util.concurrent.Semaphore permits, long deadline) {
            return permits.tryAcquire();
        }
    }

    @Test
    void theReferenceTargetsTablesHaveTheProbesIndexesAndAnUnindexedColumnIsAWarning() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (HikariDataSource ds = DataSources.open(db, Map.of(), "probe-setup", 3); Connection c = ds.getConnection()) {
            Migrations.migrate(ds);
            try (Statement st = c.createStatement()) {
                st.execute("create table bare (id uuid, \"timestamp\" timestamptz, scenario_id text)");
            }
            List<Scenario.StopRule> rules = new ArrayList<>();
            for (String table : List.of("events", "bare")) {
                rules.add(new Scenario.StopRule("skew_" + table, Scenario.Severity.ABORT, Duration.ZERO,
                        new UtcSkew(table, "id", "timestamp", Duration.ofMinutes(1), "id", "timestamp", Duration.ZERO)));
                rules.add(new Scenario.StopRule("lost_" + table, Scenario.Severity.ABORT, Duration.ZERO,
                        new io.longrun.scenario.Conditions.LostEvents(table, "id", 0, Optional.of("scenario_id"), Duration.ZERO, "id")));
            }
            List<String> warnings = new Probes(rules, ds, null, "s", at -> 0, () -> 0, Clock.SYSTEM, new Signals() {
                public void onHealth(HealthSample s) {}

                public void onDb(DbSample s) {}
            }).check(c);
            // seed 003's events: id is its primary key, scenario_id has its index; bare has neither
            assertThat(warnings).noneMatch(w -> w.contains("of events"));
            assertThat(warnings).containsExactlyInAnyOrder(
                    "skew_bare reads accepted events back by id, and no index of bare starts with it: every probe reads the whole table; "
                            + "create one: create index on bare (id)",
                    "lost_bare reads accepted events back by id, and no index of bare starts with it: every probe reads the whole table; "
                            + "create one: create index on bare (id)",
                    "lost_bare counts this run's rows by scenario_id, and no index of bare starts with it: every probe reads the whole table; "
                            + "create one: create index on bare (scenario_id)");
        }
    }

    @Test
    void theCountByScenarioColumnWaitsAHundredTimesItsOwnDurationButTheLastIsAlwaysMade() throws Exception {
        DbSettings db = TestDb.freshSchema();
        List<ProbeSample> samples = new ArrayList<>();
        TickingClock clock = new TickingClock();
        try (HikariDataSource ds = DataSources.open(db, Map.of(), "probe-setup", 3); Connection c = ds.getConnection()) {
            Migrations.migrate(ds);
            try (Statement st = c.createStatement()) {
                st.execute("insert into events (id, \"timestamp\", category, payload, scenario_id) select gen_random_uuid(), now(), 'motion', '{}', 's' "
                        + "from generate_series(1, 3)");
            }
            Probes p = new Probes(List.of(new Scenario.StopRule("lost", Scenario.Severity.ABORT, Duration.ZERO,
                    new io.longrun.scenario.Conditions.LostEvents("events", "id", 0, Optional.of("scenario_id"), Duration.ZERO, "id"))),
                    ds, null, "s", at -> 3, () -> 3, clock, new Signals() {
                        public void onHealth(HealthSample s) {}

                        public void onDb(DbSample s) {}

                        public void onProbe(ProbeSample s) {
                            samples.add(s);
                        }
                    });
            p.check(c);
            p.poll(); // counted: it "took" 10 ms, so the next count waits 1 s
            p.poll();
            p.poll();
            assertThat(samples).hasSize(1);
            assertThat(samples.get(0).text()).contains("3 row(s) of this run in events");
            clock.t += 1_000_000_000L;
            p.poll();
            assertThat(samples).hasSize(2);
            p.poll();
            p.last(); // the last count is made whatever the spacing
            assertThat(samples).hasSize(3);
            assertThat(samples.get(2).last()).isTrue();
            assertThat(samples.get(2).text()).contains("3 row(s) of this run in events").contains("final");
        }
    }
}
