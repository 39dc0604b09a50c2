package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Stream;
import io.longrun.scenario.ProxySpec;
import io.longrun.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Emulated loss, measured from outside: the share of round trips that stall by a retransmission timeout, the
 * same stalls for the same seed, a hang at 100 %; and back-pressure: a client that does not read stops the upstream
 * instead of filling the proxy's memory.
 */
class LossAndBackPressureTest {
    static final int ROUND_TRIPS = 40;
    static final double STALL_MS = 200; // Linux's TCP_RTO_MIN: a timer never fires early

    /** The round trips (one small message each, so one segment each) that stalled, by index, at 20 % loss. */
    static List<Integer> stalls(long seed) throws Exception {
        try (Upstream up = Upstream.echo(); EmbeddedEngine e = new EmbeddedEngine(seed, "loss", Clock.SYSTEM)) {
            e.start(List.of(new ProxySpec("db", "127.0.0.1:0", up.address())));
            e.apply(ToxicEffectsTest.fault(Kind.LOSS, Stream.DOWNSTREAM, "pct", 20));
            List<Integer> stalled = new ArrayList<>();
            try (Peer c = new Peer(e.listen("db").orElseThrow())) {
                for (int i = 0; i < ROUND_TRIPS; i++) if (c.roundTrip(ToxicEffectsTest.PING) >= STALL_MS) stalled.add(i);
            }
            return stalled;
        }
    }

    @Test
    void lossStallsAboutItsShareOfSegmentsAndTheSameSeedGivesTheSameStalls() throws Exception {
        List<Integer> first = stalls(7), again = stalls(7), other = stalls(8);
        // 40 segments at 20 %: 8 expected; binomial 1st to 99.9th percentile is about 2 to 16
        assertThat(first.size()).isBetween(2, 16);
        assertThat(other.size()).isBetween(2, 16);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void totalLossHangsTheConnectionUntilTheFaultIsRemoved() throws Exception {
        try (Upstream up = Upstream.echo(); EmbeddedEngine e = new EmbeddedEngine(1, "loss", Clock.SYSTEM)) {
            e.start(List.of(new ProxySpec("db", "127.0.0.1:0", up.address())));
            try (Peer c = new Peer(e.listen("db").orElseThrow())) {
                c.roundTrip(ToxicEffectsTest.PING);
                FaultHandle h = e.apply(ToxicEffectsTest.fault(Kind.LOSS, Stream.DOWNSTREAM, "pct", 100));
                c.socket.getOutputStream().write(ToxicEffectsTest.PING);
                assertThat(c.readOutcome(2000)).isEqualTo("timeout"); // neither data nor a close: a hang
                e.remove(h);
                assertThat(c.readExactly(ToxicEffectsTest.PING.length)).isEqualTo(ToxicEffectsTest.PING);
            }
        }
    }

    @Test
    void aClientThatDoesNotReadStopsTheUpstreamInsteadOfFillingTheProxy() throws Exception {
        try (Upstream flood = Upstream.flood(); EmbeddedEngine e = new EmbeddedEngine(1, "bp", Clock.SYSTEM)) {
            e.start(List.of(new ProxySpec("db", "127.0.0.1:0", flood.address())));
            try (Peer idle = new Peer(e.listen("db").orElseThrow())) {
                // the upstream writes as fast as it can; the client never reads. Wait until the upstream is stuck:
                // its count has not moved for a second.
                AtomicLong last = new AtomicLong(-1), since = new AtomicLong(System.nanoTime());
                long stuckAt = Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), flood.written::get, w -> {
                    if (w != last.getAndSet(w)) since.set(System.nanoTime());
                    return System.nanoTime() - since.get() > 1_000_000_000L;
                });
                assertThat(System.nanoTime() - since.get()).as("the upstream stopped").isGreaterThan(1_000_000_000L);
                // what is stuck: the kernel's socket buffers on three sockets (a few MB each at most) and the link's
                // 256 KiB; without back-pressure the proxy would read on until its heap ran out
                assertThat(stuckAt).isLessThan(48L << 20);
                ProxyTraffic t = e.traffic("db").orElseThrow();
                assertThat(t.downstreamReceived() - t.downstreamSent()).isLessThanOrEqualTo(Link.HIGH_WATER + 64 * 1024);
                assertThat(idle.readExactly(1024)).hasSize(1024); // and the data still flows when the client reads
            }
        }
    }
}
