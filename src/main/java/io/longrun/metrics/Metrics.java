package io.longrun.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

/** The management server's settings: Camel serves /observe/metrics (and /observe/health) on its own port. */
public final class Metrics {
    public static final int DEFAULT_PORT = 9876;

    /** The latency histograms' buckets (the run's and the reference target's), seconds: 1 ms to 30 s. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private Metrics() {}

    /**
     * The port to serve on: 0 when metrics are off, or when the port is taken (another run or a target on this
     * machine), which is said and is not fatal: a soak is not stopped for want of a dashboard.
     */
    public static int port(int wanted, Consumer<String> warn) {
        if (wanted <= 0) return 0;
        if (wanted > 65535) {
            warn.accept("--metrics-port " + wanted + " is not a port; metrics are off");
            return 0;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(wanted));
            return wanted;
        } catch (IOException e) {
            warn.accept("metrics are off: port " + wanted + " is in use (give another with --metrics-port, or 0)");
            return 0;
        }
    }

    /** Camel Main's properties for the management server with Prometheus metrics on {@code port}. */
    public static void properties(Properties p, int port) {
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.port", Integer.toString(port));
        p.setProperty("camel.management.metricsEnabled", "true");
        p.setProperty("camel.management.healthCheckEnabled", "true");
        p.setProperty("camel.metrics.enabled", "true");
        // per-exchange timers would cost on the delivery path; longrun's own meters say what matters
        p.setProperty("camel.metrics.enableRoutePolicy", "false");
        p.setProperty("camel.metrics.enableExchangeEventNotifier", "false");
        p.setProperty("camel.metrics.enableRouteEventNotifier", "false");
        p.setProperty("camel.metrics.enableMessageHistory", "false");
    }
}
