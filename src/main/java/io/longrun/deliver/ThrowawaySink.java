package io.longrun.deliver;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
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

    private ThrowawaySink(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts one on 127.0.0.1, on a port the system picks. */
    public static ThrowawaySink start() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(true));
        ThrowawaySink[] self = new ThrowawaySink[1];
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            self[0].requests.incrementAndGet();
            req.end(); // the body is discarded; 204 below
            // headers as a typical server's (nginx: Server, Date, Connection), so that parsing them is compiled too
            req.response().setStatusCode(204).putHeader("Server", "longrun-warm-up").putHeader("Date", DATE)
                    .putHeader("Connection", "keep-alive").end();
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
        self[0] = new ThrowawaySink(vertx, server);
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
