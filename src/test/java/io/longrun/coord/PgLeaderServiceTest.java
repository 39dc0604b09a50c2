package io.longrun.coord;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.testing.Await;
import io.longrun.testing.TestDb;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The advisory-lock cluster service against real PostgreSQL, two members in two Camel contexts: one leads, the other
 * takes over when the leader stops (its lead released first) or when its session is killed (the server frees the
 * lock; the old leader steps down at its next check).
 */
class PgLeaderServiceTest {
    record Member(CamelContext ctx, PgLeaderService service, CamelClusterView view, List<String> events) {
        boolean leads() {
            return view.getLocalMember().isLeader();
        }
    }

    static Member member(String id, DbSettings db, String runKey) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        PgLeaderService s = new PgLeaderService(id, db, System.getenv(), runKey, Duration.ofMillis(200));
        ctx.addService(s, true, true);
        ctx.start();
        CamelClusterView view = s.getView(Coordinator.NAMESPACE);
        List<String> events = new CopyOnWriteArrayList<>();
        view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                record(events, leader != null && leader.isLocal()));
        return new Member(ctx, s, view, events);
    }

    /** Changes only: the listener is told the current state when it is added, which may be "no leader yet". */
    static void record(List<String> events, boolean mine) {
        boolean was = !events.isEmpty() && events.get(events.size() - 1).startsWith("acquired");
        if (mine != was) events.add((mine ? "acquired" : "lost") + "@" + System.nanoTime());
    }

    static boolean leads(Member m) {
        return m.leads();
    }

    @Test
    void oneLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Member a = member("a", db, "run-stop");
        assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> leads(a), x -> x)).isTrue();
        Member b = member("b", db, "run-stop");
        Member other = member("c", db, "another-run"); // another run's lock is another key
        try {
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> leads(other), x -> x)).isTrue();
            // b has tried the lock: its session is connected and named; it does not lead
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(50), () -> TestDb.scalar(db,
                    "select count(*) from pg_stat_activity where application_name = 'longrun-leader b'"), n -> n == 1)).isEqualTo(1);
            assertThat(leads(b)).isFalse();
            long stopped = System.nanoTime();
            a.ctx().stop();
            assertThat(a.events()).hasSize(2);
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> leads(b), x -> x)).isTrue();
            long lost = at(a.events().get(1)), acquired = at(b.events().get(0));
            assertThat(lost).isLessThan(acquired); // never two leaders: a released before b acquired
            System.out.printf("[PgLeaderServiceTest] takeover after a stop: %d ms%n", (acquired - stopped) / 1_000_000);
        } finally {
            b.ctx().stop();
            other.ctx().stop();
        }
    }

    @Test
    void aLeaderWhoseSessionIsKilledStepsDownAndTheOtherTakesOver() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Member a = member("a2", db, "run-kill");
        Member b = null;
        try {
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> leads(a), x -> x)).isTrue();
            b = member("b2", db, "run-kill");
            Member bb = b;
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(50), () -> TestDb.scalar(db,
                    "select count(*) from pg_stat_activity where application_name = 'longrun-leader b2'"), n -> n == 1)).isEqualTo(1);
            try (Connection c = TestDb.connect(db); Statement st = c.createStatement()) {
                st.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'longrun-leader a2'");
            }
            long killed = System.nanoTime();
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> leads(bb), x -> x)).isTrue();
            System.out.printf("[PgLeaderServiceTest] takeover after the leader's session was killed: %d ms%n", (System.nanoTime() - killed) / 1_000_000);
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> leads(a), x -> !x)).isFalse();
            assertThat(a.events()).extracting(e -> e.split("@")[0]).containsExactly("acquired", "lost");
        } finally {
            a.ctx().stop();
            if (b != null) b.ctx().stop();
        }
    }

    static long at(String event) {
        return Long.parseLong(event.split("@")[1]);
    }
}
