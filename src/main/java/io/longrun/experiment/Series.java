package io.longrun.experiment;

import io.longrun.scenario.Experiment.Signal;
import java.util.EnumMap;
import java.util.Map;

/**
 * The run's ticks, all emitters summed, as the judge reads them. Tick {@code i} covers {@code (t[i] - dt[i], t[i]]}
 * on the schedule's clock. A value of NaN means "no figure in this tick" (no request settled, nothing scheduled, no
 * database sample yet) and is never out of tolerance.
 *
 * <p>The judged values: {@link Signal#ERROR_RATE} in % of the settled events ((rejected + failed) / settled),
 * {@link Signal#P95} in ms from the intended send time, {@link Signal#THROUGHPUT} as accepted/s over the schedule's
 * planned/s (so that a phase's {@code rate:} is not read as an impact), {@link Signal#INGEST} as rows/s of the watched
 * tables over the planned/s. {@code eps} and {@code ingestEps} keep the plain per-second figures for the words.
 */
public record Series(double[] t, double[] dt, double[] settled, double[] eps, double[] ingestEps, Map<Signal, double[]> values) {
    public Series {
        values = new EnumMap<>(values);
    }

    public int size() {
        return t.length;
    }

    public double value(Signal s, int i) {
        double[] v = values.get(s);
        return v == null ? Double.NaN : v[i];
    }

    /** When tick {@code i} began. */
    public double from(int i) {
        return t[i] - dt[i];
    }
}
