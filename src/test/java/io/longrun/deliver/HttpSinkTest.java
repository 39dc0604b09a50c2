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
import java.util.Set;
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

    /**
     * Sends {@code count} requests through the sink as fast as the test thread can hand them over: no bound on the
     * test's side, so that only the sink's own pool limits what reaches the server.
     */
    Outcomes send(int port, int count, int maxInFlight, Duration timeout, String urlOverride) throws Exception {
        Outcomes outcomes = new Outcomes(List.of("e"));
        Delivery delivery = new Delivery(List.of(new Delivery.Lane("e", new AgingosEvent(), 1, urlOverride, Map.of("X-Tenant", "t1"))),
                1, "sc", Clock.SYSTEM, outcomes);
        HttpSink sink = new HttpSink("http://127.0.0.1:" + port + "/event", "POST", maxInFlight, timeout, delivery, Clock.SYSTEM);
        sink.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
        sink.start();
        try {
            CountDownLatch done = new CountDownLatch(count);
            for (int i = 0; i < count; i++) {
                Request r = new Request(new Dispatcher.Ticket(0, i, System.nanoTime()), ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                        Map.of("X-Emitter", "e", "X-Tenant", "t1", "Content-Type", "application/json"), urlOverride, done::countDown);
                outcomes.sent(0);
                sink.context().runOnContext(v -> sink.send(r, () -> {}));
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).as("all %d requests completed", count).isTrue();
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

    /**
     * A server that holds every request until {@code wave} of them are held (or every request of the test has
     * arrived), then answers them together. It never limits concurrency itself (64 threads, none blocked), so what
     * it has open at once is what the client sent at once. It notes each request's connection (the client's port)
     * and the most requests open at any moment (arrived, not yet answered).
     */
    int startHolding(int wave, int total) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(64));
        List<com.sun.net.httpserver.HttpExchange> held = new java.util.ArrayList<>();
        AtomicInteger arrived = new AtomicInteger();
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            connections.add(ex.getRemoteAddress().getPort());
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            List<com.sun.net.httpserver.HttpExchange> release = List.of();
            synchronized (held) {
                held.add(ex);
                boolean last = arrived.incrementAndGet() == total;
                if (held.size() >= wave || last) {
                    release = List.copyOf(held);
                    held.clear();
                }
            }
            for (var x : release) {
                concurrent.decrementAndGet();
                x.sendResponseHeaders(200, -1);
                x.close();
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    final Set<Integer> connections = ConcurrentHashMap.newKeySet();

    @Test
    void neverMoreConnectionsInFlightThanMaxInFlight() throws Exception {
        // 60 requests handed to the sink at once; the server answers only once 5 are held, so a client that opened
        // a sixth connection would have it held beside the other five
        int port = startHolding(5, 60);
        Outcomes o = send(port, 60, 5, Duration.ofSeconds(10), null);
        assertThat(o.totals().get(0).accepted()).isEqualTo(60);
        assertThat(maxConcurrent.get()).as("requests open at once at the server").isEqualTo(5);
        assertThat(connections).as("connections the server saw (client ports): five, kept alive for all 60").hasSize(5);
    }

    /** A Vert.x server (HTTP/1 only, so that it meets a connection when it opens) counting connections and requests. */
    record Counting(io.vertx.core.Vertx vertx, io.vertx.core.http.HttpServer server, AtomicInteger connections, AtomicInteger requests)
            implements AutoCloseable {
        static Counting start() throws Exception {
            io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx();
            AtomicInteger c = new AtomicInteger(), r = new AtomicInteger();
            io.vertx.core.http.HttpServer s = v.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
                    .connectionHandler(x -> c.incrementAndGet())
                    .requestHandler(req -> {
                        r.incrementAndGet();
                        req.response().setStatusCode(204).end();
                    });
            s.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new Counting(v, s, c, r);
        }

        String url() {
            return "http://127.0.0.1:" + server.actualPort() + "/event";
        }

        @Override
        public void close() throws Exception {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    void sendOne(HttpSink sink, long seq) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Request r = new Request(new Dispatcher.Ticket(0, seq, System.nanoTime()), "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"), null, done::countDown);
        sink.context().runOnContext(v -> sink.send(r, () -> {}));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void connectionsArePreOpenedWithNothingSentOnThemAndTheRunsRequestsUseThem() throws Exception {
        try (Counting target = Counting.start()) {
            Outcomes outcomes = new Outcomes(List.of("e"));
            Delivery delivery = new Delivery(List.of(new Delivery.Lane("e", new AgingosEvent(), 1)), 1, "sc", Clock.SYSTEM, outcomes);
            HttpSink sink = new HttpSink(target.url(), "POST", 8, Duration.ofSeconds(5), delivery, Clock.SYSTEM);
            sink.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
            sink.start();
            try {
                assertThat(sink.preOpen(4, Duration.ofSeconds(5))).isEqualTo(4);
                io.longrun.testing.Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> target.connections().get(), n -> n == 4);
                Thread.sleep(200);
                assertThat(target.requests().get()).as("nothing sent on them").isZero();
                for (int i = 0; i < 4; i++) sendOne(sink, i);
                assertThat(target.requests().get()).isEqualTo(4);
                assertThat(target.connections().get()).as("the requests went on the opened connections").isEqualTo(4);
            } finally {
                sink.stop();
            }
        }
    }

    @Test
    void aWarmUpEventGoesToTheThrowawaySinkAndNeverToTheTarget() throws Exception {
        try (Counting target = Counting.start(); ThrowawaySink throwaway = ThrowawaySink.start()) {
            Outcomes outcomes = new Outcomes(List.of("e"));
            Delivery delivery = new Delivery(List.of(new Delivery.Lane("e", new AgingosEvent(), 1)), 1, "sc", Clock.SYSTEM, outcomes);
            HttpSink sink = new HttpSink(target.url(), "POST", 8, Duration.ofSeconds(5), delivery, Clock.SYSTEM);
            sink.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
            sink.start();
            try {
                sendOne(sink, -1); // no throwaway sink set: not sent at all
                sink.warmTarget(throwaway.url());
                for (int i = 1; i <= 5; i++) sendOne(sink, -1 - i);
                sendOne(sink, 0); // the run's own event goes to the target
                assertThat(throwaway.requests()).isEqualTo(5);
                assertThat(target.requests().get()).isEqualTo(1);
                assertThat(outcomes.totals().get(0).accepted()).as("a warm-up event counts in no outcome").isEqualTo(1);
                assertThat(outcomes.totals().get(0).failed()).isZero();
            } finally {
                sink.stop();
            }
        }
    }

    @Test
    void theClassesNettyLoadsOnATwoBufferWriteArePreloadedAndStillExist() throws Exception {
        HttpSink.preload(); // a Netty that renamed them would leave the run's first request to load its own again
        for (String c : List.of("io.netty.util.concurrent.PromiseCombiner", "io.netty.util.concurrent.PromiseCombiner$1",
                "io.netty.channel.unix.IovArray"))
            assertThat(Class.forName(c, false, HttpSink.class.getClassLoader())).as(c).isNotNull();
    }
}
