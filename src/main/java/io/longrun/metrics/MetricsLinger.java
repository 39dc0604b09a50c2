package io.longrun.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.longrun.pace.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The metrics endpoint kept up after Camel stopped, so that a fault experiment's verdict can be scraped.
 *
 * <p>The verdict ({@code longrun_experiments_total{scenario,verdict}}, {@code longrun_recovery_seconds{scenario}}) is
 * judged from the whole run log, after the last phase, the drain and the lag allowance, when Camel and its management
 * server have stopped. This serves the same registry at the same address ({@code /observe/metrics} on the run's
 * metrics port) from then on, and {@link #hold} keeps it up until the first scrape after the verdict was set, so a
 * Prometheus that scrapes at any interval up to the bound sees it. A run whose endpoint nobody scraped has nobody
 * waiting for its verdict there: it does not linger.
 */
public final class MetricsLinger implements AutoCloseable {
    /** The default bound of {@link #hold}: Prometheus's default scrape interval. */
    public static final Duration DEFAULT = Duration.ofMinutes(1);
    /** How long to try to bind the port Camel's server has just let go. */
    static final Duration BIND_FOR = Duration.ofSeconds(3);
    /** Serves nothing and never waits. */
    public static final MetricsLinger NONE = new MetricsLinger(null, null, 0);

    private final HttpServer server;
    private final RunMetrics metrics;
    private final int port;
    /** Scrapes answered by this server, counted once the answer is written. */
    private final AtomicLong served = new AtomicLong();

    private MetricsLinger(HttpServer server, RunMetrics metrics, int port) {
        this.server = server;
        this.metrics = metrics;
        this.port = port;
    }

    /**
     * Serves {@code metrics} on {@code port} (all interfaces, as Camel's management server does); {@link #NONE}, with a
     * warning, when the port cannot be had again within {@link #BIND_FOR}.
     */
    public static MetricsLinger serve(RunMetrics metrics, int port, Clock clock, Consumer<String> warn) throws InterruptedException {
        long until = clock.nanoTime() + BIND_FOR.toNanos();
        while (true) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(port), 0);
                MetricsLinger l = new MetricsLinger(s, metrics, port);
                s.createContext("/observe/metrics", l::answer);
                s.start();
                return l;
            } catch (IOException e) {
                if (clock.nanoTime() >= until) {
                    warn.accept("the verdict's metrics are not served after the run: port " + port + " could not be had again (" + e.getMessage() + ")");
                    return NONE;
                }
                Thread.sleep(50);
            }
        }
    }

    private void answer(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = metrics.registry().scrape().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(200, -1);
                return;
            }
            x.sendResponseHeaders(200, body.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        }
        served.incrementAndGet();
    }

    /**
     * Once the verdict is in the registry: waits until this endpoint has answered one more scrape, at most {@code max}, or until
     * {@code cancelled} (a signal). Does not wait when {@code max} is zero or when nothing scraped the endpoint during the
     * run. Says what it waits for, and how it ended, through {@code say}.
     */
    public void hold(Duration max, BooleanSupplier cancelled, Clock clock, Consumer<String> say) throws InterruptedException {
        if (server == null || max.isZero() || metrics.scrapes() == 0 || cancelled.getAsBoolean()) return;
        long seen = served.get(), until = clock.nanoTime() + max.toNanos();
        say.accept("metrics: keeping http://127.0.0.1:" + port + "/observe/metrics up until the next scrape reads the verdict (at most "
                + io.longrun.scenario.Durations.format(max) + "; --metrics-linger)");
        while (served.get() == seen && clock.nanoTime() < until && !cancelled.getAsBoolean())
            Thread.sleep(Math.max(1, Math.min(50, (until - clock.nanoTime()) / 1_000_000)));
        if (served.get() == seen && !cancelled.getAsBoolean())
            say.accept("metrics: no scrape came within " + io.longrun.scenario.Durations.format(max) + "; the verdict was not scraped");
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
    }
}
