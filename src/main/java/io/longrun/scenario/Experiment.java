package io.longrun.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fault experiment: the scenario's {@code phases:} (or the {@code experiment:} shorthand, which writes seed 001's
 * stabilize, fault and recover phases) and how recovery is judged ({@code recovery:}). The run's duration is the
 * sum of the phases.
 *
 * @param phases   in order; exactly one is the baseline (the first unless one says {@code baseline: true})
 * @param recovery the signals judged against the baseline, their tolerance and how long they must hold
 */
public record Experiment(List<Phase> phases, Recovery recovery) {
    public Experiment {
        phases = List.copyOf(phases);
    }

    /**
     * One phase.
     *
     * @param name     unique within the scenario
     * @param duration how long it lasts
     * @param faults   the network faults on for this phase only: applied at its start, removed at its end
     * @param rate     overrides each emitter's rate (events/s) for this phase, when present
     * @param asserts  the existing assertion kinds, evaluated on this phase's own figures
     * @param baseline whether this is the baseline phase the others are judged against
     * @param until    ends the phase early when it holds; then {@code duration} is its timeout (its planned length)
     * @param onStart  actions run when the phase starts, after its faults are on
     * @param onEnd    actions run when the phase ends, after its faults are off
     * @param stream   the stream faults on for this phase only: drop, duplicate, delay, reorder, modify, corrupt, inject of longrun's own events
     */
    public record Phase(String name, Duration duration, List<FaultSpec> faults, Optional<Double> rate,
                        List<Assertions.Assertion> asserts, boolean baseline, Optional<Step.Until> until,
                        List<Step.Action> onStart, List<Step.Action> onEnd, List<StreamFault> stream) {
        public Phase {
            faults = List.copyOf(faults);
            asserts = List.copyOf(asserts);
            onStart = List.copyOf(onStart);
            onEnd = List.copyOf(onEnd);
            stream = List.copyOf(stream);
        }

        /** A phase that lasts its duration and runs no action. */
        public Phase(String name, Duration duration, List<FaultSpec> faults, Optional<Double> rate, List<Assertions.Assertion> asserts, boolean baseline) {
            this(name, duration, faults, rate, asserts, baseline, Optional.empty(), List.of(), List.of(), List.of());
        }

        /** A phase without stream faults. */
        public Phase(String name, Duration duration, List<FaultSpec> faults, Optional<Double> rate, List<Assertions.Assertion> asserts, boolean baseline,
                     Optional<Step.Until> until, List<Step.Action> onStart, List<Step.Action> onEnd) {
            this(name, duration, faults, rate, asserts, baseline, until, onStart, onEnd, List.of());
        }

        /** A phase that lasts its duration, runs no action, with stream faults. */
        public Phase(String name, Duration duration, List<FaultSpec> faults, Optional<Double> rate, List<Assertions.Assertion> asserts, boolean baseline,
                     List<StreamFault> stream) {
            this(name, duration, faults, rate, asserts, baseline, Optional.empty(), List.of(), List.of(), stream);
        }

        /** The same phase, as the baseline. */
        public Phase asBaseline() {
            return new Phase(name, duration, faults, rate, asserts, true, until, onStart, onEnd, stream);
        }
    }

    /** Whether a phase with {@code until:} comes before phase i: then phase i starts at a time known only at run time. */
    public boolean startsLate(int i) {
        for (int k = 0; k < i; k++) if (phases.get(k).until().isPresent()) return true;
        return false;
    }

    /** Whether any phase has a stream fault. */
    public boolean hasStreamFaults() {
        return phases.stream().anyMatch(p -> !p.stream().isEmpty());
    }

    /** The signals a verdict reads. */
    public enum Signal {
        ERROR_RATE("error_rate"), P95("p95"), THROUGHPUT("throughput"), INGEST("ingest");

        private final String yaml;

        Signal(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }

        public static Optional<Signal> of(String yaml) {
            for (Signal s : values()) if (s.yaml.equals(yaml)) return Optional.of(s);
            return Optional.empty();
        }
    }

    /**
     * {@code recovery: { signals: [...], tolerance_pct: 25, hold: 10s }}: a signal is within tolerance of the baseline
     * when it is no more than {@code tolerancePct} worse than it; recovered means every signal stayed within for
     * {@code hold}.
     */
    public record Recovery(List<Signal> signals, double tolerancePct, Duration hold) {
        public static final Recovery DEFAULT = new Recovery(List.of(Signal.values()), 25, Duration.ofSeconds(10));

        public Recovery {
            signals = List.copyOf(signals);
        }
    }

    /** The index of the baseline phase. */
    public int baselineIndex() {
        for (int i = 0; i < phases.size(); i++) if (phases.get(i).baseline()) return i;
        return 0;
    }

    /** The sum of the phases' durations: the run's duration. */
    public Duration total() {
        return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** When each phase starts, from the run's start, in order; one more entry at the end: the total. */
    public List<Duration> starts() {
        List<Duration> out = new ArrayList<>();
        Duration t = Duration.ZERO;
        for (Phase p : phases) {
            out.add(t);
            t = t.plus(p.duration());
        }
        out.add(t);
        return out;
    }
}
