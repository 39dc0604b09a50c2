package io.longrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.longrun.pace.Clock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wait between experiments, against a real HTTP health endpoint whose latency and status the test sets. */
class SettleTest {
    HttpServer server;
    final AtomicInteger delayMs = new AtomicInteger(), status = new AtomicInteger(200);
    URI health;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/health", ex -> {
            try {
                Thread.sleep(delayMs.get()); // the endpoint's own latency, as a slow database behind it would give
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
        health = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void withinTheBaselineMeansNoFailureAndAMedianWithinTheToleranceOrTheFloor() {
        Optional<Settle.Probe> base = Optional.of(new Settle.Probe(20, 0, 100, 150));
        assertThat(Settle.within(new Settle.Probe(20, 0, 125, 900), base, 25)).as("a few slow ones are a busy machine").isTrue();
        assertThat(Settle.within(new Settle.Probe(20, 0, 126, 130), base, 25)).isFalse();
        assertThat(Settle.within(new Settle.Probe(20, 1, 90, 90), base, 25)).as("a failure is never within").isFalse();
        Optional<Settle.Probe> fast = Optional.of(new Settle.Probe(20, 0, 2, 3));
        assertThat(Settle.within(new Settle.Probe(20, 0, 21.9, 50), fast, 25)).as("the 20 ms floor").isTrue();
        assertThat(Settle.within(new Settle.Probe(20, 0, 22.1, 23), fast, 25)).isFalse();
        assertThat(Settle.within(new Settle.Probe(20, 0, 5000, 5000), Optional.empty(), 25)).as("no baseline: answering is enough").isTrue();
    }

    @Test
    void aProbeMeasuresTheEndpointsLatencyAndFailures() throws Exception {
        Settle s = new Settle(health, Clock.SYSTEM, Duration.ofSeconds(2));
        Settle.Probe fast = s.probe();
        assertThat(fast.failed()).isZero();
        delayMs.set(60);
        Settle.Probe slow = s.probe();
        assertThat(slow.p50Ms()).isBetween(60.0, 1000.0);
        assertThat(slow.p95Ms()).isGreaterThanOrEqualTo(slow.p50Ms());
        status.set(503);
        assertThat(s.probe().failed()).isEqualTo(Settle.REQUESTS);
    }

    @Test
    void theWaitEndsWhenTheTargetIsBackAndGivesUpWhenItIsNotSayingSo() throws Exception {
        Settle s = new Settle(health, Clock.SYSTEM, Duration.ofSeconds(2));
        Optional<Settle.Probe> base = Optional.of(s.probe());
        status.set(503);
        Settle.Waited gaveUp = s.await(base, 25, Duration.ofSeconds(3), () -> false);
        assertThat(gaveUp.settled()).isFalse();
        assertThat(gaveUp.waitedS()).isBetween(3.0, 8.0);
        assertThat(gaveUp.text()).startsWith("gave up waiting after").contains("20 of 20 failed", "baseline");
        // back after a while: the wait sees it
        new Thread(() -> {
            try {
                Thread.sleep(2500);
            } catch (InterruptedException e) {
                return;
            }
            status.set(200);
        }).start();
        Settle.Waited back = s.await(base, 25, Duration.ofSeconds(30), () -> false);
        assertThat(back.settled()).isTrue();
        assertThat(back.waitedS()).isBetween(2.0, 15.0);
        assertThat(back.text()).startsWith("the target is back within its baseline after");
        status.set(503);
        Settle.Waited stopped = s.await(base, 25, Duration.ofSeconds(60), () -> true);
        assertThat(stopped.settled()).isFalse();
        assertThat(stopped.waitedS()).as("Ctrl+C ends the wait").isLessThan(10);
        assertThat(stopped.text()).startsWith("the wait was stopped");
    }
}
