package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Stream;
import io.longrun.scenario.ProxySpec;
import io.longrun.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each network fault of the embedded proxy, measured from outside: a real client socket, the proxy, a real echo
 * upstream. Lower bounds on time are tight (a timer never fires early); upper bounds leave room for a loaded
 * 2-core machine.
 */
class ToxicEffectsTest {
    static final byte[] PING = "ping-0123456789".getBytes();

    Upstream upstream;
    EmbeddedEngine engine;
    String address;

    @BeforeEach
    void start() throws Exception {
        upstream = Upstream.echo();
        engine = startEngine(42);
    }

    EmbeddedEngine startEngine(long seed) throws Exception {
        EmbeddedEngine e = new EmbeddedEngine(seed, "test", Clock.SYSTEM);
        e.start(List.of(new ProxySpec("db", "127.0.0.1:0", upstream.address())));
        address = e.listen("db").orElseThrow();
        return e;
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        upstream.close();
    }

    static FaultSpec fault(Kind kind, Stream stream, Object... params) {
        Map<String, Double> p = new LinkedHashMap<>();
        for (FaultSpec.Param d : kind.params()) p.put(d.key(), d.dflt());
        for (int i = 0; i < params.length; i += 2) p.put((String) params[i], ((Number) params[i + 1]).doubleValue());
        return new FaultSpec(kind, "db", stream, p);
    }

    @Test
    void latencyAddsItsDelayToEveryRoundTripAndGoesWhenRemoved() throws Exception {
        try (Peer c = new Peer(address)) {
            c.roundTrip(PING); // the connection is up before the fault
            FaultHandle h = engine.apply(fault(Kind.LATENCY, Stream.DOWNSTREAM, "ms", 200, "jitter_ms", 50));
            List<Double> rtts = new ArrayList<>();
            for (int i = 0; i < 10; i++) rtts.add(c.roundTrip(PING));
            assertThat(rtts).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(150.0)); // 200 - 50 jitter
            assertThat(rtts.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).isBetween(170.0, 1500.0);
            FaultHandle both = engine.apply(fault(Kind.LATENCY, Stream.BOTH, "ms", 100));
            assertThat(both.toxics()).hasSize(2);
            // 200 ± 50 downstream, and 100 each way: at least 350 ms
            assertThat(c.roundTrip(PING)).isGreaterThanOrEqualTo(350.0);
            engine.remove(h);
            engine.remove(both);
            double after = c.roundTrip(PING);
            assertThat(after).isLessThan(150.0);
        }
        // a new connection gets the toxics that are on
        engine.apply(fault(Kind.LATENCY, Stream.UPSTREAM, "ms", 300));
        try (Peer c = new Peer(address)) {
            assertThat(c.roundTrip(PING)).isGreaterThanOrEqualTo(300.0);
        }
    }

    @Test
    void bandwidthCapsThroughput() throws Exception {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        try (Peer c = new Peer(address)) {
            engine.apply(fault(Kind.BANDWIDTH, Stream.DOWNSTREAM, "kb_per_s", 50));
            long t0 = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    c.socket.getOutputStream().write(data);
                } catch (IOException e) {
                    // the read below fails then
                }
            });
            writer.start();
            byte[] back = c.readExactly(data.length);
            double seconds = (System.nanoTime() - t0) / 1e9;
            writer.join();
            assertThat(back).isEqualTo(data);
            // 100,000 bytes at 50,000 bytes/s: 2 s at least; the upper bound is for the machine, not the proxy
            assertThat(seconds).isBetween(1.95, 20.0);
            assertThat(data.length / seconds).isLessThanOrEqualTo(50_000 * 1.03);
        }
    }

    @Test
    void timeoutHoldsTheDataThenClosesTheConnection() throws Exception {
        try (Peer c = new Peer(address)) {
            c.roundTrip(PING);
            long t0 = System.nanoTime();
            engine.apply(fault(Kind.TIMEOUT, Stream.DOWNSTREAM, "ms", 500));
            c.socket.getOutputStream().write(PING);
            String outcome = c.readOutcome(20_000);
            double ms = (System.nanoTime() - t0) / 1e6;
            assertThat(outcome).isEqualTo("eof"); // no byte got through, then the close
            assertThat(ms).isBetween(500.0, 15_000.0);
        }
    }

    @Test
    void timeoutZeroHoldsUntilRemovedAndThenTheHeldBytesGoOn() throws Exception {
        try (Peer c = new Peer(address)) {
            c.roundTrip(PING);
            FaultHandle h = engine.apply(fault(Kind.TIMEOUT, Stream.DOWNSTREAM, "ms", 0));
            c.socket.getOutputStream().write(PING);
            assertThat(c.readOutcome(1500)).isEqualTo("timeout"); // held, and the connection stays open
            assertThat(upstream.read.get()).isEqualTo(2L * PING.length); // the request went up; the answer is held
            engine.remove(h);
            assertThat(c.readExactly(PING.length)).isEqualTo(PING);
        }
    }

    @Test
    void resetGivesTheClientAConnectionReset() throws Exception {
        try (Peer c = new Peer(address)) {
            c.roundTrip(PING);
            engine.apply(fault(Kind.RESET, Stream.DOWNSTREAM, "after_ms", 0));
            c.socket.getOutputStream().write(PING);
            assertThat(c.readOutcome(20_000)).isEqualTo("Connection reset");
        }
    }

    @Test
    void downRefusesNewConnectionsClosesOpenOnesAndTheProxyServesAgainAfter() throws Exception {
        try (Peer open = new Peer(address)) {
            open.roundTrip(PING);
            FaultHandle h = engine.apply(fault(Kind.DOWN, Stream.DOWNSTREAM));
            assertThat(open.readOutcome(20_000)).isEqualTo("eof");
            assertThatThrownBy(() -> new Peer(address)).isInstanceOf(ConnectException.class);
            engine.remove(h);
        }
        try (Peer again = new Peer(address)) {
            assertThat(again.roundTrip(PING)).isLessThan(5000.0);
        }
    }

    @Test
    void slicerDeliversTheBytesIntactInSmallPieces() throws Exception {
        byte[] data = new byte[64 * 1024];
        new Random(7).nextBytes(data);
        try (Peer c = new Peer(address)) {
            engine.apply(fault(Kind.SLICER, Stream.DOWNSTREAM, "avg_bytes", 100, "jitter_bytes", 50, "delay_us", 1000));
            long t0 = System.nanoTime();
            c.socket.getOutputStream().write(data);
            CRC32 crc = new CRC32();
            InputStream in = c.socket.getInputStream();
            byte[] buf = new byte[65536];
            int reads = 0;
            for (int got = 0; got < data.length; ) {
                int n = in.read(buf);
                assertThat(n).as("bytes before the end").isPositive();
                crc.update(buf, 0, n);
                got += n;
                reads++;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            CRC32 sent = new CRC32();
            sent.update(data);
            assertThat(crc.getValue()).isEqualTo(sent.getValue());
            // at most 150 bytes a slice, 1 ms apart: 437 slices at least, so 436 ms at least
            assertThat(ms).isGreaterThanOrEqualTo(436.0);
            assertThat(reads).isGreaterThan(50); // without the slicer: a handful of reads
        }
    }

    @Test
    void limitDataClosesAfterTheGivenBytes() throws Exception {
        try (Peer c = new Peer(address)) {
            engine.apply(fault(Kind.LIMIT_DATA, Stream.DOWNSTREAM, "bytes", 1000));
            c.socket.getOutputStream().write(new byte[3000]);
            InputStream in = c.socket.getInputStream();
            long got = 0;
            for (int n; (n = in.read(new byte[4096])) > 0; ) got += n;
            assertThat(got).isEqualTo(1000);
        }
    }

    @Test
    void countsBytesAndConnectionsPerDirection() throws Exception {
        try (Peer c = new Peer(address)) {
            c.roundTrip(new byte[1234]);
        }
        ProxyTraffic t = Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> engine.traffic("db").orElseThrow(),
                x -> x.downstreamSent() == 1234);
        assertThat(t).isEqualTo(new ProxyTraffic(1234, 1234, 1234, 1234, java.util.OptionalLong.of(1), true));
        assertThat(upstream.read.get()).isEqualTo(1234);
    }
}
