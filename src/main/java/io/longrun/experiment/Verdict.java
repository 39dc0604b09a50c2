package io.longrun.experiment;

import io.longrun.run.ExitCodes;
import io.longrun.scenario.Experiment.Signal;
import java.util.List;
import java.util.Map;

/**
 * What the judge concluded about an experiment.
 *
 * @param recoveryS seconds from the last fault's confirmed removal until every signal had stayed within tolerance for
 *                  {@code hold}; null unless {@link Kind#RECOVERED}
 * @param phases    one per phase, in order
 * @param judged    the signals judged (those asked for that the baseline has figures of)
 * @param notes     what the judge left aside and why, in words
 */
public record Verdict(Kind kind, String reason, Double recoveryS, Baseline baseline, List<PhaseVerdict> phases, List<Signal> judged,
                      List<String> notes) {
    public Verdict {
        phases = List.copyOf(phases);
        judged = List.copyOf(judged);
        notes = List.copyOf(notes);
    }

    /** The four verdicts, with their exit codes. */
    public enum Kind {
        PASSED("passed", ExitCodes.OK), RECOVERED("recovered", ExitCodes.OK), NOT_RECOVERED("not_recovered", ExitCodes.NOT_RECOVERED),
        INCONCLUSIVE("inconclusive", ExitCodes.INCONCLUSIVE);

        private final String key;
        private final int exitCode;

        Kind(String key, int exitCode) {
            this.key = key;
            this.exitCode = exitCode;
        }

        public String key() {
            return key;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * The baseline: the median of each signal over the baseline phase, its first {@code hold} left out as warm-up.
     *
     * @param median      per signal, in the judged units (see {@link Series})
     * @param shareWithin per signal, the share (0..1) of the baseline's ticks within tolerance of the median
     * @param from        elapsed seconds where the judged part begins
     * @param settled     events settled in the judged part
     */
    public record Baseline(Map<Signal, Double> median, Map<Signal, Double> shareWithin, double from, double to, long settled, int ticks,
                           double eps, double ingestEps) {
        public Baseline {
            median = Map.copyOf(median);
            shareWithin = Map.copyOf(shareWithin);
        }

        public double median(Signal s) {
            Double v = median.get(s);
            return v == null ? Double.NaN : v;
        }
    }

    /**
     * One phase, judged.
     *
     * @param impactS   seconds from its first fault's confirmed start to the first tick out of tolerance; null without a
     *                  fault or an impact
     * @param worst     the worst per-tick figure of each signal: eps, throughput_pct, error_pct, p95_ms, ingest_eps
     * @param effective whether a fault took effect (see {@link Judge}); null for a phase without faults
     */
    public record PhaseVerdict(Double impactS, Map<String, Double> worst, Boolean effective) {}
}
