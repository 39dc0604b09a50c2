package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.db.DbSettings;
import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Stream;
import io.longrun.scenario.ProxySpec;
import io.longrun.testing.TestDb;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The place seed 001 puts faults: between a service and its PostgreSQL. The PostgreSQL driver, through the
 * embedded proxy to a real server: latency adds to each query, down breaks the open connection and refuses new
 * ones, and after the fault the driver connects and queries again.
 */
class PostgresThroughProxyTest {
    static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^/:]+):(\\d+)/");

    @Test
    void queriesFeelTheFaultsAndWorkAgainAfterThem() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Matcher m = HOST_PORT.matcher(db.url());
        assertThat(m.find()).as(db.url()).isTrue();
        try (EmbeddedEngine e = new EmbeddedEngine(1, "pg", Clock.SYSTEM)) {
            e.start(List.of(new ProxySpec("db", "127.0.0.1:0", m.group(1) + ":" + m.group(2))));
            String viaProxy = db.url().replace(m.group(1) + ":" + m.group(2), e.listen("db").orElseThrow());
            try (Connection c = TestDb.connect(viaProxy); Statement st = c.createStatement()) {
                assertThat(queryMs(st)).isLessThan(100.0);
                FaultHandle latency = e.apply(ToxicEffectsTest.fault(Kind.LATENCY, Stream.DOWNSTREAM, "ms", 100));
                assertThat(queryMs(st)).isGreaterThanOrEqualTo(100.0);
                e.remove(latency);
                FaultHandle down = e.apply(ToxicEffectsTest.fault(Kind.DOWN, Stream.DOWNSTREAM));
                assertThatThrownBy(() -> queryMs(st)).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> TestDb.connect(viaProxy)).isInstanceOf(SQLException.class);
                e.remove(down);
            }
            try (Connection again = TestDb.connect(viaProxy); Statement st = again.createStatement()) {
                assertThat(queryMs(st)).isLessThan(5000.0);
            }
            ProxyTraffic t = e.traffic("db").orElseThrow();
            assertThat(t.connections().getAsLong()).isEqualTo(2); // the refused one never reached the upstream
            assertThat(t.upstreamReceived()).isPositive();
        }
    }

    static double queryMs(Statement st) throws SQLException {
        long t0 = System.nanoTime();
        try (var rs = st.executeQuery("select 1")) {
            rs.next();
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
