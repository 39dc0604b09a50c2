package io.longrun.experiment;

import java.util.List;

/**
 * One phase as the run log tells it: its times (the actual ones from {@code phase.start}/{@code phase.end} when the
 * log has them, else the planned ones) and its faults.
 *
 * @param start elapsed seconds (the schedule's clock, as in tick records)
 * @param end   elapsed seconds; the run's last tick when the run stopped before the phase's planned end
 * @param cut   the run stopped before the phase's planned end
 */
public record PhaseSpan(String name, int index, double start, double end, boolean baseline, List<FaultSpan> faults, boolean cut) {
    public PhaseSpan {
        faults = List.copyOf(faults);
    }

    /** The moment its first fault was confirmed on; NaN without one. */
    public double firstOn() {
        double t = Double.NaN;
        for (FaultSpan f : faults) if (f.applied() && (Double.isNaN(t) || f.on() < t)) t = f.on();
        return t;
    }
}
