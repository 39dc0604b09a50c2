package io.longrun.experiment;

import io.longrun.deliver.Histograms;

import io.longrun.deliver.Outcomes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One phase's own figures, from the ticks that fall in it: counts, the seconds they cover, the latency histograms
 * merged (percentiles of the phase are exact, not an average of the ticks'), and the rows ingested.
 */
public final class PhaseFigures {
    long planned, sent, accepted, rejected, failed, dropped;
    double seconds;
    double ingestRows, ingestSeconds;
    Histogram intended, service;
    /** The highest tick percentile seen, for logs written before ticks carried histograms. */
    double p50Max = Double.NaN, p95Max = Double.NaN, p99Max = Double.NaN;

    /** The phase's latencies from the intended send time, created at the first tick that has any. */
    Histogram intendedHist() {
        if (intended == null) intended = Histograms.empty();
        return intended;
    }

    Histogram serviceHist() {
        if (service == null) service = Histograms.empty();
        return service;
    }

    public long settled() {
        return accepted + rejected + failed;
    }

    /** accepted/s over the phase's ticks; NaN without ticks. */
    public double eps() {
        return seconds > 0 ? accepted / seconds : Double.NaN;
    }

    /** (rejected + failed) / settled, in %; NaN when nothing settled. */
    public double errorPct() {
        long n = settled();
        return n == 0 ? Double.NaN : 100.0 * (rejected + failed) / n;
    }

    /** rows/s of the watched tables; NaN without database samples in the phase. */
    public double ingestEps() {
        return ingestSeconds > 0 ? ingestRows / ingestSeconds : Double.NaN;
    }

    /** A percentile from the intended send time, in ms; NaN without latencies. */
    public double intended(double pct) {
        return percentile(intended, pct, pct <= 50 ? p50Max : pct <= 95 ? p95Max : p99Max);
    }

    public double service(double pct) {
        return percentile(service, pct, Double.NaN);
    }

    private static double percentile(Histogram h, double pct, double otherwise) {
        if (h == null || h.getTotalCount() == 0) return otherwise;
        return Math.round(h.getValueAtPercentile(pct) / 10.0) / 100.0;
    }

    /**
     * The figures a phase's assertions can name: the same names as the end-of-run assertions' (see
     * Assertions.Threshold), on this phase only.
     */
    public Map<String, Double> assertable() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", zero(intended(50)));
        m.put("p95", zero(intended(95)));
        m.put("p99", zero(intended(99)));
        m.put("max", intended == null || intended.getTotalCount() == 0 ? 0 : Math.round(intended.getMaxValue() / 10.0) / 100.0);
        m.put("service_p50", zero(service(50)));
        m.put("service_p95", zero(service(95)));
        m.put("service_p99", zero(service(99)));
        m.put("service_max", service == null || service.getTotalCount() == 0 ? 0 : Math.round(service.getMaxValue() / 10.0) / 100.0);
        m.put("error_rate", zero(errorPct()));
        m.put("dropped_pct", planned == 0 ? 0 : 100.0 * dropped / planned);
        m.put("accepted", (double) accepted);
        m.put("rejected", (double) rejected);
        m.put("failed", (double) failed);
        m.put("dropped", (double) dropped);
        m.put("sent", (double) sent);
        m.put("planned", (double) planned);
        m.put("rate", zero(eps()));
        return m;
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
