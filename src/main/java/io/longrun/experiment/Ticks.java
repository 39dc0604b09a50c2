package io.longrun.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.deliver.Outcomes;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * The tick records gathered into one tick for all emitters (they share elapsed_s), each added to its phase's
 * figures and kept as a few numbers for the judge.
 */
final class Ticks {
    private boolean open, first = true;
    private double gElapsed = Double.NaN, gTime, prevElapsed;
    private long planned, sent, accepted, rejected, failed, dropped;
    private double effEps, p50Max, p95Max, p99Max;
    private boolean histAll;
    private final Histogram tickIntended = Outcomes.emptyHistogram(), tickService = Outcomes.emptyHistogram();

    // per kept tick: end (elapsed), length, time (epoch s), settled, accepted/s, error %, p95 ms, planned/s
    private int n;
    private double[] t = new double[256], dt = new double[256], abs = new double[256], settled = new double[256], eps = new double[256],
            err = new double[256], p95 = new double[256], rate = new double[256];

    double groupElapsed() {
        return open ? gElapsed : Double.NaN;
    }

    double lastElapsed() {
        return n == 0 ? Double.NaN : t[n - 1];
    }

    /** The wall-clock time (epoch s) of an elapsed second, from the first tick at or after it (a resume shifts the clock); NaN without ticks. */
    double wall(double elapsed) {
        if (n == 0) return Double.NaN;
        int i = 0;
        while (i < n - 1 && t[i] < elapsed) i++;
        return elapsed + (abs[i] - t[i]);
    }

    /** After a resume the next tick counts from the resume point. */
    void resume(double elapsed) {
        if (!Double.isNaN(elapsed)) prevElapsed = elapsed;
    }

    void add(JsonNode r, double time, double elapsed) {
        if (Double.isNaN(elapsed)) return;
        if (!open) {
            open = true;
            gElapsed = elapsed;
            gTime = time;
            planned = sent = accepted = rejected = failed = dropped = 0;
            effEps = 0;
            p50Max = p95Max = p99Max = Double.NaN;
            histAll = true;
            tickIntended.reset();
            tickService.reset();
        }
        planned += r.path("planned").asLong(0);
        sent += r.path("sent").asLong(0);
        long a = r.path("accepted").asLong(0), rj = r.path("rejected").asLong(0), f = r.path("failed").asLong(0);
        accepted += a;
        rejected += rj;
        failed += f;
        dropped += r.path("dropped").asLong(0);
        effEps += r.path("eff_eps").asDouble(0);
        if (a + rj + f == 0) return; // an emitter that completed nothing has no latency (the log says 0)
        p50Max = max(p50Max, r.path("p50").asDouble(Double.NaN));
        p95Max = max(p95Max, r.path("p95").asDouble(Double.NaN));
        p99Max = max(p99Max, r.path("p99").asDouble(Double.NaN));
        Histogram hi = ExperimentLog.decode(r.path("hist").get("intended")), hs = ExperimentLog.decode(r.path("hist").get("service"));
        if (hi == null) histAll = false;
        else tickIntended.add(hi);
        if (hs != null) tickService.add(hs);
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    void close(ExperimentLog x) {
        if (!open) return;
        open = false;
        double d = first ? gElapsed : gElapsed - prevElapsed;
        first = false;
        prevElapsed = gElapsed;
        if (!(d > 0)) return; // a repeated elapsed_s: no time to judge it over
        int phase = x.phaseAt(gElapsed - d / 2);
        PhaseFigures f = x.figuresOf(phase);
        if (f == null) return; // before the first phase or after the last: the drain
        f.planned += planned;
        f.sent += sent;
        f.accepted += accepted;
        f.rejected += rejected;
        f.failed += failed;
        f.dropped += dropped;
        f.seconds += d;
        boolean hasHist = histAll && tickIntended.getTotalCount() > 0;
        if (hasHist) f.add(tickIntended, tickService.getTotalCount() > 0 ? tickService : null);
        else {
            f.p50Max = max(f.p50Max, p50Max);
            f.p95Max = max(f.p95Max, p95Max);
            f.p99Max = max(f.p99Max, p99Max);
        }
        if (n == t.length) grow();
        long s = accepted + rejected + failed;
        t[n] = gElapsed;
        dt[n] = d;
        abs[n] = gTime;
        settled[n] = s;
        eps[n] = accepted / d;
        err[n] = s == 0 ? Double.NaN : 100.0 * (rejected + failed) / s;
        p95[n] = s == 0 ? Double.NaN : hasHist ? Math.round(tickIntended.getValueAtPercentile(95) / 10.0) / 100.0 : p95Max;
        rate[n] = effEps > 0 ? effEps : planned / d;
        n++;
    }

    private void grow() {
        int m = t.length * 2;
        t = Arrays.copyOf(t, m);
        dt = Arrays.copyOf(dt, m);
        abs = Arrays.copyOf(abs, m);
        settled = Arrays.copyOf(settled, m);
        eps = Arrays.copyOf(eps, m);
        err = Arrays.copyOf(err, m);
        p95 = Arrays.copyOf(p95, m);
        rate = Arrays.copyOf(rate, m);
    }

    /** The series: throughput and ingest as shares of the planned/s; ingest from the last database sample by the tick's time. */
    Series series(Ingest ingest) {
        double[] thr = new double[n], ing = new double[n], ingEps = new double[n];
        for (int i = 0; i < n; i++) {
            thr[i] = rate[i] > 0 ? eps[i] / rate[i] : Double.NaN;
            ingEps[i] = ingest.at(abs[i]);
            ing[i] = rate[i] > 0 && !Double.isNaN(ingEps[i]) ? ingEps[i] / rate[i] : Double.NaN;
        }
        return new Series(Arrays.copyOf(t, n), Arrays.copyOf(dt, n), Arrays.copyOf(settled, n), Arrays.copyOf(eps, n), ingEps,
                ExperimentLog.signals(Arrays.copyOf(err, n), Arrays.copyOf(p95, n), thr, ing));
    }
}
