package io.longrun.deliver;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server in longrun's own process, on a free loopback port, that answers 204 to everything and keeps
 * nothing: the warm-up's events go here, so that the whole path (rendering, the route, the HTTP client) is
 * compiled before the first event, and the target sees none of them.
 */
public final class ThrowawaySink implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private static final String DATE = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));

    private final java.util.Set<io.vertx.core.http.HttpConnection> open;

    private ThrowawaySink(Vertx vertx, HttpServer server, java.util.Set<io.vertx.core.http.HttpConnection> open) {
        this.vertx = vertx;
        this.server = server;
        this.open = open;
    }

    /**
     * Closes every connection to this sink (the server stays up), once no request has come for {@link #QUIET}, and
     * returns once they are closed, {@code bound} at most: the client's next requests here go on new connections.
     */
    public void closeConnections(Duration bound) throws InterruptedException {
        // once no request has come for a while, none is on its way: closing a connection with a request in it
        // resets it, which Vert.x logs as an error (the caller holds the warm-up's sending meanwhile)
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() - lastRequest < QUIET.toNanos() && System.nanoTime() < deadline) Thread.sleep(5);
        java.util.List<io.vertx.core.Future<Void>> closing = new java.util.ArrayList<>();
        for (io.vertx.core.http.HttpConnection c : java.util.List.copyOf(open)) closing.add(c.close());
        try {
            io.vertx.core.Future.join(closing).toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a connection that does not close in time is closed by the client's next use of it, or by close()
        }
    }

    private volatile long lastRequest = System.nanoTime();
    /** How long no request has come before {@link #closeConnections} closes them. */
    static final Duration QUIET = Duration.ofMillis(50);

    /** One answer in this many closes its connection. */
    static final long CHURN = 2000;

    /** Starts one on 127.0.0.1, on a port the system picks. */
    public static ThrowawaySink start() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(true));
        ThrowawaySink[] self = new ThrowawaySink[1];
        java.util.Set<io.vertx.core.http.HttpConnection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        HttpServer server = vertx.createHttpServer().connectionHandler(c -> {
            open.add(c);
            c.closeHandler(v -> open.remove(c));
        }).requestHandler(req -> {
            long n = self[0].requests.incrementAndGet();
            self[0].lastRequest = System.nanoTime();
            req.end(); // the body is discarded; 204 below
            // headers as a typical server's (nginx: Server, Date, Connection), so that parsing them is compiled too
            io.vertx.core.http.HttpServerResponse response = req.response().setStatusCode(204)
                    .putHeader("Server", "longrun-warm-up").putHeader("Date", DATE);
            if (n % CHURN != 0) {
                response.putHeader("Connection", "keep-alive").end();
                return;
            }
            // Every CHURN-th answer ends its connection, saying so (as nginx does after keepalive_requests): the
            // client's ways of losing a connection and opening the next are then compiled too, not thrown away when
            // the run's first connections open. (Closing without saying so raced the client's next request on it:
            // a reset, which Vert.x logs as an error.)
            response.putHeader("Connection", "close");
            response.end().onComplete(v -> req.connection().close());
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
        self[0] = new ThrowawaySink(vertx, server, open);
        return self[0];
    }

    /** The URL to send to. */
    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/warm-up";
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a throwaway server that does not close quietly costs nothing: its threads are daemons
        }
    }
}
