package io.longrun.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.longrun.generate.AgingosEvent;
import io.longrun.pace.Clock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** longrun-http against a real HTTP server: headers, bodies, per-request URLs, statuses, time-outs, the pool bound. */
class HttpSinkTest {
    HttpServer server;
    final Map<String, String> seen = new ConcurrentHashMap<>();
    final AtomicInteger concurrent = new AtomicInteger(), maxConcurrent = new AtomicInteger();
    final java.util.concurrent.ScheduledExecutorService responder = Executors.newScheduledThreadPool(4);

    int start(int status, long delayMs) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", ex -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.put(ex.getRequestURI().toString(), ex.getRequestHeaders().getFirst("X-Emitter") + "|" + ex.getRequestHeaders().getFirst("X-Tenant")
                    + "|" + ex.getRequestHeaders().getFirst("Content-Type") + "|" + body);
            // a slow server: the response goes out delayMs later, from the scheduler
            responder.schedule(() -> {
                try {
                    ex.sendResponseHeaders(status, -1);
                } catch (java.io.IOException e) {
                    // the client gave up (a time-out): nothing to answer
                } finally {
                    concurrent.decrementAndGet();
                    ex.close();
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        });
        server.start();
        return server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
        responder.shutdownNow();
    }

    Outcomes send(int port, int count, int maxInFlight, Duration timeout, String urlOverride) throws Exception {
        Outcomes outcomes = new Outcomes(List.of("e"));
        Delivery delivery = new Delivery(List.of(new Delivery.Lane("e", new AgingosEvent(), 1, urlOverride, Map.of("X-Tenant", "t1"))),
                1, "sc", Clock.SYSTEM, outcomes);
        HttpSink sink = new HttpSink("http://127.0.0.1:" + port + "/event", "POST", maxInFlight, timeout, delivery, Clock.SYSTEM);
        sink.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
        sink.start();
        try {
            CountDownLatch done = new CountDownLatch(count);
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(maxInFlight);
            for (int i = 0; i < count; i++) {
                slots.acquire();
                Request r = new Request(new Dispatcher.Ticket(0, i, System.nanoTime()), ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                        Map.of("X-Emitter", "e", "X-Tenant", "t1", "Content-Type", "application/json"), urlOverride, () -> {
                            slots.release();
                            done.countDown();
                        });
                outcomes.sent(0);
                sink.context().runOnContext(v -> sink.send(r, () -> {}));
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            sink.stop();
        }
        return outcomes;
    }

    @Test
    void sendsBodiesAndHeadersToTheTargetOrTheEmittersOwnUrl() throws Exception {
        int port = start(201, 0);
        Outcomes o = send(port, 20, 4, Duration.ofSeconds(5), null);
        assertThat(o.totals().get(0).accepted()).isEqualTo(20);
        assertThat(seen).containsEntry("/event", seen.get("/event"));
        assertThat(seen.get("/event")).startsWith("e|t1|application/json|{\"n\":");
        send(port, 3, 4, Duration.ofSeconds(5), "http://127.0.0.1:" + port + "/other?x=1");
        assertThat(seen).containsKey("/other?x=1");
    }

    @Test
    void statusesAreOutcomesAndTimeOutsAreFailures() throws Exception {
        int port = start(503, 0);
        Outcomes o = send(port, 5, 4, Duration.ofSeconds(5), null);
        assertThat(o.totals().get(0).failed()).isEqualTo(5);
        assertThat(o.totals().get(0).failedBy()).containsEntry("503", 5L);
        server.stop(0);
        int slow = start(200, 1500);
        Outcomes t = send(slow, 3, 4, Duration.ofMillis(300), null);
        assertThat(t.totals().get(0).failedBy()).containsEntry("timeout", 3L);
    }

    @Test
    void neverMoreConnectionsInFlightThanMaxInFlight() throws Exception {
        int port = start(200, 50);
        Outcomes o = send(port, 60, 5, Duration.ofSeconds(5), null);
        assertThat(o.totals().get(0).accepted()).isEqualTo(60);
        assertThat(maxConcurrent.get()).isBetween(2, 5);
    }
}
