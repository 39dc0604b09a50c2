package io.longrun.experiment;

import io.longrun.pace.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The wait between two experiments of a suite: until the target is back within its baseline, so that one experiment
 * does not leak into the next. The baseline is a probe of the target's health endpoint taken before the suite's first
 * experiment: {@link #REQUESTS} GETs {@link #GAP} apart, their median and p95 and how many failed. Between experiments
 * the same probe repeats until no request fails and its median is within the tolerance of the baseline's:
 * median ≤ max(baseline × (1 + tolerance), baseline + {@link #FLOOR_MS} ms). The median, because a target still
 * degraded is slow on most requests, while a busy machine makes a few slow; the floor, because a local health
 * check of a few milliseconds varies by more than 25 % on its own. The wait is bounded; when it gives up it says so
 * and the suite goes on.
 */
public final class Settle {
    public static final int REQUESTS = 20;
    public static final Duration GAP = Duration.ofMillis(100);
    public static final double FLOOR_MS = 20;

    /** One probe: requests sent, how many failed (not 2xx, or no answer within the time-out), their median and p95 in ms. */
    public record Probe(int sent, int failed, double p50Ms, double p95Ms) {
        public String describe() {
            return String.format(Locale.ROOT, "health median %.1f ms (p95 %.1f ms), %d of %d failed", p50Ms, p95Ms, failed, sent);
        }
    }

    /**
     * What a wait found.
     *
     * @param settled whether the target came back within its baseline before the wait gave up
     * @param waitedS how long it waited, in seconds
     * @param last    the last probe
     * @param text    the same in words, for the console and suite.json
     */
    public record Waited(boolean settled, double waitedS, Probe last, String text) {}

    private final HttpClient http;
    private final URI health;
    private final Clock clock;
    private final Duration timeout;

    public Settle(URI health, Clock clock, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.health = health;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** One probe of the health endpoint. */
    public Probe probe() throws InterruptedException {
        double[] ms = new double[REQUESTS];
        int failed = 0;
        long next = clock.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            clock.parkUntil(next);
            next += GAP.toNanos();
            long t0 = clock.nanoTime();
            boolean ok;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
                ok = r.statusCode() / 100 == 2;
            } catch (java.io.IOException e) {
                ok = false;
            }
            ms[i] = (clock.nanoTime() - t0) / 1e6;
            if (!ok) failed++;
        }
        return new Probe(REQUESTS, failed, quantile(ms, 0.5), quantile(ms, 0.95));
    }

    /** A quantile, nearest rank. */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(q * s.length) - 1)];
    }

    /** Whether a probe is within the tolerance of the baseline's (any failure is not). */
    public static boolean within(Probe p, Optional<Probe> baseline, double tolerancePct) {
        if (p.failed() > 0) return false;
        if (baseline.isEmpty()) return true;
        double b = baseline.get().p50Ms();
        return p.p50Ms() <= Math.max(b * (1 + tolerancePct / 100), b + FLOOR_MS);
    }

    /**
     * Probes until the target is within its baseline, {@code max} at most, or until {@code stop} says so (Ctrl+C).
     * The baseline is empty when the suite's first probe failed: then health answering is enough.
     */
    public Waited await(Optional<Probe> baseline, double tolerancePct, Duration max, BooleanSupplier stop) throws InterruptedException {
        long t0 = clock.nanoTime(), deadline = t0 + max.toNanos();
        Probe p = probe();
        while (!within(p, baseline, tolerancePct) && clock.nanoTime() < deadline && !stop.getAsBoolean()) {
            clock.parkUntil(Math.min(deadline, clock.nanoTime() + 1_000_000_000L));
            p = probe();
        }
        double waited = (clock.nanoTime() - t0) / 1e9;
        boolean ok = within(p, baseline, tolerancePct);
        String against = baseline.map(b -> String.format(Locale.ROOT, " (baseline median %.1f ms)", b.p50Ms())).orElse("");
        String text = ok ? String.format(Locale.ROOT, "the target is back within its baseline after %.0f s: %s%s", waited, p.describe(), against)
                : stop.getAsBoolean() ? String.format(Locale.ROOT, "the wait was stopped after %.0f s: %s%s", waited, p.describe(), against)
                : String.format(Locale.ROOT, "gave up waiting after %.0f s: the target is not back within its baseline: %s%s", waited, p.describe(),
                        against);
        return new Waited(ok, waited, p, text);
    }
}
