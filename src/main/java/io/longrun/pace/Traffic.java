package io.longrun.pace;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Scenario;
import java.time.Duration;

/**
 * An emitter's traffic as the run needs it: the {@link Schedule} (its expected rate, for plans and for each tick's
 * {@code eff_eps}) and its {@link DueTimes} (when each event is due).
 */
public record Traffic(Schedule schedule, DueTimes dueTimes) {
    /** An emitter's traffic in a scenario: its own schedule, with each phase's {@code rate:} held over that phase. */
    public static Traffic of(Scenario.Emitter e, Scenario sc, long seed, long stream) {
        return of(e, sc.duration(), sc.tick(), seed, stream, sc.experiment().orElse(null));
    }

    public static Traffic of(Scenario.Emitter e, Duration run, Duration tick, long seed, long stream) {
        return of(e, run, tick, seed, stream, null);
    }

    private static Traffic of(Scenario.Emitter e, Duration run, Duration tick, long seed, long stream, io.longrun.scenario.Experiment exp) {
        double tickSeconds = Durations.seconds(tick);
        Scenario.Schedule s = e.schedule();
        if (e.replay().isPresent()) {
            io.longrun.replay.ReplaySpec spec = e.replay().get();
            RateCurve curve = spec.rate().map(r -> RateCurve.of(r, Scenario.Schedule.ALWAYS, run)).orElse(RateCurve.of(0, Scenario.Schedule.ALWAYS, Duration.ZERO));
            return new Traffic(new Schedule(curve, tickSeconds, 0, seed, stream), new io.longrun.replay.ReplaySource(spec, new io.longrun.replay.Skips()));
        }
        if (e.interval().isPresent()) {
            Scenario.Interval iv = e.interval().get();
            double start = Durations.seconds(s.startAfter());
            double end = Math.min(Durations.seconds(run), s.stopAfter().map(Durations::seconds).orElse(Double.MAX_VALUE));
            Scenario.Schedule window = new Scenario.Schedule(s.startAfter(), s.stopAfter(), Duration.ZERO, Duration.ZERO, 0);
            Schedule expected = new Schedule(RateCurve.of(1 / Durations.seconds(iv.every()), window, run), tickSeconds, 0, seed, stream);
            return new Traffic(expected, new IntervalPacer(Durations.seconds(iv.every()), Durations.seconds(iv.jitter()), start, end, seed, stream));
        }
        RateCurve curve = e.stages().isEmpty() ? RateCurve.of(e.rate(), s, run) : RateCurve.ofStages(e.startRate(), e.stages(), s.startAfter(), run);
        if (!e.stages().isEmpty() && s.stopAfter().isPresent()) curve = curve.clip(Durations.seconds(s.stopAfter().get()));
        if (exp != null) {
            java.util.List<Duration> starts = exp.starts();
            for (int i = 0; i < exp.phases().size(); i++) {
                java.util.Optional<Double> r = exp.phases().get(i).rate();
                if (r.isPresent()) curve = curve.hold(Durations.seconds(starts.get(i)), Durations.seconds(starts.get(i + 1)), r.get());
            }
        }
        Schedule schedule = new Schedule(curve, tickSeconds, s.jitterPct(), seed, stream);
        return new Traffic(schedule, new Pacer(schedule, e.arrivals(), seed, stream));
    }
}
