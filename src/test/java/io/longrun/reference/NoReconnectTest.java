package io.longrun.reference;

import static io.longrun.reference.TargetFaultsTest.JSON;
import static io.longrun.reference.TargetFaultsTest.event;
import static io.longrun.reference.TargetFaultsTest.health;
import static io.longrun.reference.TargetFaultsTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.fault.EmbeddedEngine;
import io.longrun.fault.FaultHandle;
import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Stream;
import io.longrun.scenario.ProxySpec;
import io.longrun.testing.Await;
import io.longrun.testing.TestDb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A database outage with the reference target's PostgreSQL behind longrun's embedded proxy (real sockets, the real
 * driver and pool): the proxy goes down (open connections closed, new ones refused), then up again. Without a fault
 * the target comes back by itself; with {@code no_reconnect} it keeps failing (POST /event 500, health 503) and
 * never opens a connection again, until the fault is switched off.
 */
class NoReconnectTest {
    static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^/:]+):(\\d+)/");
    static final Duration OUTAGE_SEEN = Duration.ofSeconds(15), RECOVERY = Duration.ofSeconds(30);

    static FaultSpec down() {
        return new FaultSpec(Kind.DOWN, "db", Stream.BOTH, Map.of());
    }

    /** The target's database settings through the proxy "db" of {@code e}. */
    static DbSettings through(EmbeddedEngine e, DbSettings db) throws Exception {
        Matcher m = HOST_PORT.matcher(db.url());
        assertThat(m.find()).as(db.url()).isTrue();
        e.start(List.of(new ProxySpec("db", "127.0.0.1:0", m.group(1) + ":" + m.group(2))));
        return new DbSettings(db.url().replace(m.group(1) + ":" + m.group(2), e.listen("db").orElseThrow()), db.user(), db.passwordEnv());
    }

    static int send(TargetServer t) throws Exception {
        return post(t, "/event", event(UUID.randomUUID(), "2026-11-29T10:00:00Z", "hall")).statusCode();
    }

    static long connections(EmbeddedEngine e) {
        return e.traffic("db").orElseThrow().connections().getAsLong();
    }

    @Test
    void withoutTheFaultTheTargetReconnectsByItselfAfterAnOutage() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (EmbeddedEngine e = new EmbeddedEngine(1, "no-reconnect", Clock.SYSTEM)) {
            DbSettings via = through(e, db);
            try (TargetServer t = TargetServer.start(TargetServer.Config.of(via).withScheduler(false))) {
                assertThat(send(t)).isEqualTo(201);
                FaultHandle outage = e.apply(down());
                assertThat(Await.until(OUTAGE_SEEN, Duration.ofMillis(100), () -> health(t).statusCode(), s -> s == 503)).isEqualTo(503);
                assertThat(send(t)).as("the database is away").isEqualTo(503);
                long before = connections(e);
                e.remove(outage);
                assertThat(Await.until(RECOVERY, Duration.ofMillis(200), () -> health(t).statusCode(), s -> s == 200)).isEqualTo(200);
                assertThat(send(t)).isEqualTo(201);
                assertThat(connections(e)).as("new connections through the proxy").isGreaterThan(before);
            }
        }
    }

    @Test
    void withNoReconnectTheTargetKeepsFailingAfterTheOutageUntilTheFaultIsOff() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (EmbeddedEngine e = new EmbeddedEngine(1, "no-reconnect", Clock.SYSTEM)) {
            DbSettings via = through(e, db);
            try (TargetServer t = TargetServer.start(TargetServer.Config.of(via).withScheduler(false)
                    .withFaults(Faults.parse(List.of("no_reconnect"))).withFaultApi("127.0.0.1", 0))) {
                assertThat(send(t)).isEqualTo(201);
                assertThat(health(t).statusCode()).as("no outage yet: nothing to trip").isEqualTo(200);
                FaultHandle outage = e.apply(down());
                assertThat(Await.until(OUTAGE_SEEN, Duration.ofMillis(100), () -> health(t).statusCode(), s -> s == 503)).isEqualTo(503);
                e.remove(outage);
                long after = connections(e);
                // the database is back; a pool would have reconnected within a second or two (see the test above)
                long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (System.nanoTime() < until) {
                    assertThat(send(t)).as("POST /event after the outage").isEqualTo(500);
                    assertThat(health(t).statusCode()).as("health after the outage").isEqualTo(503);
                    Thread.sleep(250);
                }
                assertThat(JSON.readTree(health(t).body()).get("reason").asText()).contains("never re-opened (fault no_reconnect)");
                assertThat(connections(e)).as("never a new connection").isEqualTo(after);
                assertThat(JSON.readTree(FaultApiTest.api(t, "GET", "/faults", null).body()).get("database_lost").asBoolean()).isTrue();

                FaultApiTest.off(t, "no_reconnect"); // as a restart would
                assertThat(Await.until(RECOVERY, Duration.ofMillis(200), () -> health(t).statusCode(), s -> s == 200)).isEqualTo(200);
                assertThat(send(t)).isEqualTo(201);
            }
        }
    }

    @Test
    void noReconnectSwitchedOnAtRunTimeTripsAtTheNextOutage() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (EmbeddedEngine e = new EmbeddedEngine(1, "no-reconnect", Clock.SYSTEM)) {
            DbSettings via = through(e, db);
            try (TargetServer t = TargetServer.start(TargetServer.Config.of(via).withScheduler(false).withFaultApi("127.0.0.1", 0))) {
                FaultApiTest.on(t, "no_reconnect");
                assertThat(send(t)).isEqualTo(201);
                FaultHandle outage = e.apply(down());
                assertThat(Await.until(OUTAGE_SEEN, Duration.ofMillis(100), () -> send(t), s -> s == 500)).isEqualTo(500);
                e.remove(outage);
                Thread.sleep(3000);
                assertThat(health(t).statusCode()).isEqualTo(503);
                assertThat(send(t)).isEqualTo(500);
            }
        }
    }
}
