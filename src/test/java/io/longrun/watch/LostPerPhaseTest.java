package io.longrun.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.db.Migrations;
import io.longrun.experiment.LostTally;
import io.longrun.experiment.PhaseSpan;
import io.longrun.pace.Clock;
import io.longrun.scenario.Conditions.LostEvents;
import io.longrun.scenario.Scenario;
import io.longrun.testing.TestDb;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** lost_events' read-back, told event by event to a fault experiment, which counts each phase's missing events. */
class LostPerPhaseTest {
    static final long S = 1_000_000_000L;

    @Test
    void eachReadBackEventIsCountedInThePhaseItWasAcceptedIn() throws Exception {
        DbSettings db = TestDb.freshSchema();
        String[] stored = {UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString()};
        String[] missing = {UUID.randomUUID().toString(), UUID.randomUUID().toString()};
        long zero = 1000 * S; // the schedule's time zero, monotonic
        SentEvents sent = new SentEvents(1000, 1000);
        // phase 0 (0–30 s): two stored; phase 1 (30–60 s): one stored, two lost; phase 2 (60–120 s): nothing sampled
        sent.offer(body(stored[0]), zero + 5 * S);
        sent.offer(body(stored[1]), zero + 20 * S);
        sent.offer(body(stored[2]), zero + 31 * S);
        sent.offer(body(missing[0]), zero + 40 * S);
        sent.offer(body(missing[1]), zero + 59 * S);
        LostTally tally = new LostTally();
        try (HikariDataSource ds = DataSources.open(db, Map.of(), "probe-setup", 3); Connection c = ds.getConnection()) {
            Migrations.migrate(ds);
            try (Statement st = c.createStatement()) {
                for (String id : stored)
                    st.execute("insert into events (id, \"timestamp\", category, payload, scenario_id) values ('" + id + "', now(), 'motion', '{}', 's')");
            }
            Probes p = new Probes(List.of(new Scenario.StopRule("lost", Scenario.Severity.ABORT, Duration.ZERO,
                    new LostEvents("events", "id", 0, Optional.empty(), Duration.ZERO, "id"))), ds, sent, "s", at -> 5, () -> 5, Clock.SYSTEM, new Signals() {
                        public void onHealth(HealthSample s) {}

                        public void onDb(DbSample s) {}

                        public void onProbe(ProbeSample s) {}
                    });
            p.onReadBack(tally);
            p.check(c);
            p.last();
        }
        List<PhaseSpan> phases = List.of(new PhaseSpan("stabilize", 0, 0, 30, true, List.of(), false),
                new PhaseSpan("fault", 1, 30, 60, false, List.of(), false), new PhaseSpan("recover", 2, 60, 120, false, List.of(), false));
        long[][] per = tally.perPhase(phases, zero);
        assertThat(per[0]).containsExactly(2, 0);
        assertThat(per[1]).containsExactly(3, 2);
        assertThat(per[2]).containsExactly(0, 0);
    }

    private static byte[] body(String id) {
        return ("{\"id\":\"" + id + "\",\"category\":\"motion\"}").getBytes(StandardCharsets.UTF_8);
    }
}
