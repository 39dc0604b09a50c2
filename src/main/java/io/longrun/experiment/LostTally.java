package io.longrun.experiment;

import io.longrun.watch.Probes;
import java.util.Arrays;

/**
 * The accepted events that lost_events read back during an experiment, each with when it was accepted and whether
 * the database had it, so that each phase can say how many of its accepted events never arrived. lost_events
 * samples the accepted events (a few a second) and reads each back by primary key once its lag has passed, the last
 * ones after the drain and the lag allowance; a phase's {@code lost} is its sample's missing share times the
 * events it accepted.
 */
public final class LostTally implements Probes.ReadBack {
    private long[] at = new long[1024];
    private boolean[] found = new boolean[1024];
    private int n;

    @Override
    public synchronized void checked(long acceptedAt, boolean wasFound) {
        if (n == at.length) {
            at = Arrays.copyOf(at, n * 2);
            found = Arrays.copyOf(found, n * 2);
        }
        at[n] = acceptedAt;
        found[n] = wasFound;
        n++;
    }

    /**
     * Per phase, {checked, missing} among the sampled events accepted in it.
     *
     * @param timeZero the schedule's time zero (monotonic ns): elapsed = (acceptedAt - timeZero) / 1e9
     */
    public synchronized long[][] perPhase(java.util.List<PhaseSpan> phases, long timeZero) {
        long[][] out = new long[phases.size()][2];
        for (int i = 0; i < n; i++) {
            double e = (at[i] - timeZero) / 1e9;
            for (int k = phases.size() - 1; k >= 0; k--)
                if (e >= phases.get(k).start()) { // accepted in the drain after the last phase: sent in it
                    out[k][0]++;
                    if (!found[i]) out[k][1]++;
                    break;
                }
        }
        return out;
    }
}
