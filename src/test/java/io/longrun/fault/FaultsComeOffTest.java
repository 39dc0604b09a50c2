package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Stream;
import io.longrun.scenario.ProxySpec;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Faults always come off: close() after an exception, and the shutdown hook's path, leave the proxy path clean. */
class FaultsComeOffTest {
    static final IllegalStateException BOOM = new IllegalStateException("the run failed mid-phase");

    @Test
    void embeddedCloseAfterAnExceptionStopsTheProxies() throws Exception {
        try (Upstream up = Upstream.echo()) {
            String[] address = new String[1];
            assertThatThrownBy(() -> {
                try (EmbeddedEngine e = new EmbeddedEngine(1, "x", Clock.SYSTEM)) {
                    e.start(List.of(new ProxySpec("db", "127.0.0.1:0", up.address())));
                    address[0] = e.listen("db").orElseThrow();
                    e.apply(ToxicEffectsTest.fault(Kind.LATENCY, Stream.BOTH, "ms", 100));
                    throw BOOM;
                }
            }).isSameAs(BOOM);
            assertThatThrownBy(() -> new Peer(address[0])).isInstanceOf(ConnectException.class); // stopped: nothing listens
        }
    }

    @Test
    void aProxyThatCannotListenIsAnErrorInWordsAndNothingIsLeftRunning() throws Exception {
        try (Upstream up = Upstream.echo(); java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String busy = "127.0.0.1:" + taken.getLocalPort(), ok = "127.0.0.1:" + free.getLocalPort();
            free.close(); // a port that was free a moment ago: the first proxy gets it
            EmbeddedEngine e = new EmbeddedEngine(1, "x", Clock.SYSTEM);
            assertThatThrownBy(() -> e.start(List.of(new ProxySpec("api", ok, up.address()), new ProxySpec("db", busy, up.address()))))
                    .isInstanceOf(FaultException.class).hasMessage("proxy db: cannot listen on " + busy + ": address already in use");
            assertThatThrownBy(() -> new Peer(ok)).isInstanceOf(ConnectException.class); // the one that started is stopped again
            e.close();
        }
    }

    @Test
    void toxiproxyCloseAfterAnExceptionRemovesItsToxicsEnablesTheProxyAndDeletesWhatItCreated() throws Exception {
        try (Upstream up = Upstream.echo(); ProxyServer server = ProxyServer.start("127.0.0.1", 0, List.of(), 1, "longrun-test")) {
            ToxiproxyClient client = new ToxiproxyClient("http://127.0.0.1:" + server.apiPort(), Duration.ofSeconds(5));
            String db = client.createProxy("db", "127.0.0.1:0", up.address(), true).listen(); // there before the run
            assertThatThrownBy(() -> {
                try (ToxiproxyEngine e = new ToxiproxyEngine(client, "x", Clock.SYSTEM)) {
                    e.start(List.of(new ProxySpec("db", db, up.address()), new ProxySpec("api", "127.0.0.1:0", up.address())));
                    e.apply(ToxicEffectsTest.fault(Kind.LATENCY, Stream.DOWNSTREAM, "ms", 300));
                    e.apply(ToxicEffectsTest.fault(Kind.DOWN, Stream.DOWNSTREAM));
                    assertThat(client.proxy("db").orElseThrow().enabled()).isFalse();
                    throw BOOM;
                }
            }).isSameAs(BOOM);
            assertClean(client, db);
        }
    }

    @Test
    void theShutdownHooksPathTakesEveryFaultOffOnce() throws Exception {
        try (Upstream up = Upstream.echo(); ProxyServer server = ProxyServer.start("127.0.0.1", 0, List.of(), 1, "longrun-test")) {
            ToxiproxyClient client = new ToxiproxyClient("http://127.0.0.1:" + server.apiPort(), Duration.ofSeconds(5));
            String db = client.createProxy("db", "127.0.0.1:0", up.address(), true).listen();
            ToxiproxyEngine e = new ToxiproxyEngine(client, "hook", Clock.SYSTEM);
            List<String> reported = new ArrayList<>();
            FaultCleanup cleanup = FaultCleanup.onShutdown(e, reported::add);
            e.start(List.of(new ProxySpec("db", db, up.address())));
            e.apply(ToxicEffectsTest.fault(Kind.TIMEOUT, Stream.BOTH, "ms", 0));
            e.apply(ToxicEffectsTest.fault(Kind.DOWN, Stream.DOWNSTREAM));
            cleanup.run(); // what the hook (or the run, on SIGTERM) runs
            assertClean(client, db);
            assertThat(reported).isEmpty();
            assertThatThrownBy(() -> e.apply(ToxicEffectsTest.fault(Kind.DOWN, Stream.DOWNSTREAM))).hasMessageContaining("closed");
            cleanup.close(); // the normal end after it: nothing more to do, and the hook is gone
            assertThat(client.toxics("db")).isEmpty();
        }
    }

    @Test
    void whatCouldNotComeOffIsReportedNotThrown() throws Exception {
        List<String> reported = new ArrayList<>();
        try (Upstream up = Upstream.echo()) {
            ProxyServer server = ProxyServer.start("127.0.0.1", 0, List.of(), 1, "longrun-test");
            ToxiproxyClient client = new ToxiproxyClient("http://127.0.0.1:" + server.apiPort(), Duration.ofSeconds(2));
            ToxiproxyEngine e = new ToxiproxyEngine(client, "gone", Clock.SYSTEM);
            try (FaultCleanup cleanup = FaultCleanup.onShutdown(e, reported::add)) {
                e.start(List.of(new ProxySpec("db", "127.0.0.1:0", up.address())));
                e.apply(ToxicEffectsTest.fault(Kind.LATENCY, Stream.DOWNSTREAM, "ms", 10));
                server.close(); // the server went away with the toxic on it
            }
        }
        assertThat(reported).singleElement().asString().startsWith("faults: could not take off: latency 10 ms on db (downstream): cannot reach Toxiproxy at");
    }

    static void assertClean(ToxiproxyClient client, String db) throws Exception {
        assertThat(client.toxics("db")).isEmpty();
        assertThat(client.proxy("db").orElseThrow().enabled()).isTrue();
        assertThat(client.proxy("api")).isEmpty();
        try (Peer c = new Peer(db)) {
            assertThat(c.roundTrip(ToxicEffectsTest.PING)).isLessThan(300.0); // serving, without the latency
        }
    }
}
