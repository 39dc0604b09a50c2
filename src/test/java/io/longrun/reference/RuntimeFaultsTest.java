package io.longrun.reference;

import static io.longrun.reference.FaultApiTest.off;
import static io.longrun.reference.FaultApiTest.on;
import static io.longrun.reference.TargetFaultsTest.event;
import static io.longrun.reference.TargetFaultsTest.health;
import static io.longrun.reference.TargetFaultsTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.testing.Await;
import io.longrun.testing.TestDb;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault of the reference target switched on through the runtime fault API of a running target, its effect
 * seen from outside (HTTP answers, rows in PostgreSQL, lines in the log file), then switched off and the effect gone,
 * all without a restart. {@code no_reconnect} is in {@link NoReconnectTest}.
 */
class RuntimeFaultsTest {
    static final String TS = "2026-11-29T10:00:00Z";

    @TempDir
    Path dir;

    static int send(TargetServer t, UUID id) throws Exception {
        return post(t, "/event", event(id, TS, "hall")).statusCode();
    }

    static long ms(Callable<?> c) throws Exception {
        long t0 = System.nanoTime();
        c.call();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static long rows(DbSettings db, String sql) throws Exception {
        return TestDb.scalar(db, sql);
    }

    /** A count that grows while a loop fault is on and stays still once it is off. */
    static void growsThenStops(Callable<Long> count) throws Exception {
        long before = count.call();
        assertThat(Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), count, c -> c >= before + 5)).isGreaterThanOrEqualTo(before + 5);
    }

    static void stays(Callable<Long> count) throws Exception {
        Thread.sleep(300); // a tick under way may still write
        long settled = count.call();
        Thread.sleep(700);
        assertThat(count.call()).as("nothing more once off").isEqualTo(settled);
    }

    @Test
    void requestFaultsSwitchOnAndOff() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = FaultApiTest.start(db)) {
            on(t, "latency=400ms");
            assertThat(ms(() -> send(t, UUID.randomUUID()))).isGreaterThanOrEqualTo(400);
            off(t, "latency");
            assertThat(ms(() -> send(t, UUID.randomUUID()))).isLessThan(400);

            on(t, "error_rate=1");
            assertThat(send(t, UUID.randomUUID())).isEqualTo(500);
            off(t, "error_rate");
            assertThat(send(t, UUID.randomUUID())).isEqualTo(201);

            on(t, "error_ramp=100%/s"); // 100% a second: none at first, all after a second
            // counted from the start of the target (seconds ago) it would be at 100% already; from its switch, at a few %
            int ok = 0;
            for (int i = 0; i < 3; i++) if (send(t, UUID.randomUUID()) == 201) ok++;
            assertThat(ok).as("the ramp starts from 0 when switched on").isPositive();
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(100), () -> send(t, UUID.randomUUID()), s -> s == 500)).isEqualTo(500);
            Thread.sleep(1000);
            for (int i = 0; i < 5; i++) assertThat(send(t, UUID.randomUUID())).isEqualTo(500);
            off(t, "error_ramp");
            assertThat(send(t, UUID.randomUUID())).isEqualTo(201);

            on(t, "down_after=500ms");
            assertThat(health(t).statusCode()).isEqualTo(200);
            assertThat(Await.until(Duration.ofSeconds(5), Duration.ofMillis(50), () -> health(t).statusCode(), s -> s == 503)).isEqualTo(503);
            assertThat(send(t, UUID.randomUUID())).isEqualTo(503);
            off(t, "down_after");
            assertThat(health(t).statusCode()).isEqualTo(200);

            on(t, "rate_limit=2/s");
            int limited = 0;
            for (int i = 0; i < 10; i++) if (send(t, UUID.randomUUID()) == 429) limited++;
            assertThat(limited).isPositive();
            off(t, "rate_limit");
            for (int i = 0; i < 10; i++) assertThat(send(t, UUID.randomUUID())).isEqualTo(201);

            on(t, "slow_after=0s", "slow_latency=400ms");
            assertThat(ms(() -> health(t))).isGreaterThanOrEqualTo(400);
            off(t, "slow_after");
            assertThat(ms(() -> health(t))).isLessThan(400);
        }
    }

    @Test
    void storageFaultsSwitchOnAndOff() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = FaultApiTest.start(db)) {
            on(t, "non_utc=3");
            UUID early = UUID.randomUUID(), exact = UUID.randomUUID();
            assertThat(send(t, early)).isEqualTo(201);
            off(t, "non_utc");
            assertThat(send(t, exact)).isEqualTo(201);
            String at = "select (extract(epoch from \"timestamp\"))::bigint from events where id = '%s'";
            assertThat(Instant.ofEpochSecond(rows(db, at.formatted(early)))).isEqualTo(Instant.parse(TS).minus(Duration.ofHours(3)));
            assertThat(Instant.ofEpochSecond(rows(db, at.formatted(exact)))).isEqualTo(Instant.parse(TS));

            on(t, "lose=1");
            UUID lost = UUID.randomUUID(), kept = UUID.randomUUID();
            assertThat(send(t, lost)).isEqualTo(201);
            off(t, "lose");
            assertThat(send(t, kept)).isEqualTo(201);
            assertThat(rows(db, "select count(*) from events where id = '" + lost + "'")).isZero();
            assertThat(rows(db, "select count(*) from events where id = '" + kept + "'")).isEqualTo(1);

            on(t, "dup_events");
            UUID twice = UUID.randomUUID(), once = UUID.randomUUID();
            assertThat(send(t, twice)).isEqualTo(201);
            off(t, "dup_events");
            assertThat(send(t, once)).isEqualTo(201);
            assertThat(rows(db, "select count(*) from events where id = '" + twice + "'")).isEqualTo(2);
            assertThat(rows(db, "select count(*) from events where id = '" + once + "'")).isEqualTo(1);

            on(t, "lenient");
            HttpResponse<String> accepted = post(t, "/event", "{\"id\": 42}");
            assertThat(accepted.statusCode()).isEqualTo(201);
            off(t, "lenient");
            assertThat(post(t, "/event", "{\"id\": 43}").statusCode()).isEqualTo(400);
            assertThat(rows(db, "select count(*) from events where payload->>'raw' like '{\"id\": 4%'")).isEqualTo(1);

            TargetFaultsTest.quietKitchen(db);
            on(t, "dup_deviations");
            TargetFaultsTest.evaluate(t);
            TargetFaultsTest.evaluate(t);
            off(t, "dup_deviations");
            TargetFaultsTest.evaluate(t);
            assertThat(rows(db, "select count(*) from deviations where subject = 'cellar'")).as("two inserts, then an upsert").isEqualTo(2);
            assertThat(rows(db, "select max(hits) from deviations where subject = 'cellar'")).isEqualTo(2);
        }
    }

    @Test
    void loopFaultsStartWhenSwitchedOnAndStopWhenSwitchedOff() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("target.log");
        try (TargetServer t = TargetServer.start(TargetFaultsTest.config(db).withFaultApi("127.0.0.1", 0).withLogFile(log))) {
            Callable<Long> deviations = () -> rows(db, "select count(*) from deviations");
            Callable<Long> noise = () -> Files.readAllLines(log).stream().filter(l -> l.contains("retrying") || l.contains("slow request")
                    || l.contains("no result") || l.contains("validation failed") || l.contains("longer than its period")).count();
            Callable<Long> exceptions = () -> Files.readAllLines(log).stream().filter(l -> l.startsWith("java.lang.IllegalStateException")).count();
            Callable<Long> bloat = () -> rows(db, "select count(*) from bloat");
            Thread.sleep(300);
            assertThat(deviations.call() + noise.call() + exceptions.call() + bloat.call()).as("nothing before").isZero();

            on(t, "hot_loop=50/s");
            growsThenStops(deviations);
            off(t, "hot_loop");
            stays(deviations);

            on(t, "log_noise=1200/m");
            growsThenStops(noise);
            off(t, "log_noise");
            stays(noise);

            on(t, "repeated_exception=1200/m");
            growsThenStops(exceptions);
            off(t, "repeated_exception");
            stays(exceptions);

            on(t, "db_bloat=1MB/s");
            growsThenStops(bloat);
            off(t, "db_bloat");
            stays(bloat);
        }
    }
}
