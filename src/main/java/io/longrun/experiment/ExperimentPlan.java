package io.longrun.experiment;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.Experiment.Phase;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.Num;
import io.longrun.scenario.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An experiment as the run log's {@code experiment} record holds it, and as validate and the dry run print it. */
public final class ExperimentPlan {
    private ExperimentPlan() {}

    /**
     * The {@code experiment} record: each phase with its planned start and end (seconds from time zero), whether it
     * is the baseline, its rate, faults and assertions; how recovery is judged; and the engine in words.
     */
    public static Map<String, Object> record(Experiment exp, String engine) {
        List<Duration> starts = exp.starts();
        List<Object> phases = new ArrayList<>();
        for (int i = 0; i < exp.phases().size(); i++) {
            Phase p = exp.phases().get(i);
            Map<String, Object> r = PhaseRunner.map("name", p.name(), "index", i, "start_s", Durations.seconds(starts.get(i)),
                    "end_s", Durations.seconds(starts.get(i + 1)), "baseline", p.baseline());
            p.rate().ifPresent(x -> r.put("rate", x));
            List<Object> faults = new ArrayList<>();
            for (FaultSpec f : p.faults())
                faults.add(PhaseRunner.map("kind", f.kind().yaml(), "proxy", f.proxy(), "stream", f.stream().yaml(), "params", f.params(),
                        "desc", f.describe()));
            r.put("faults", faults);
            if (!p.stream().isEmpty())
                r.put("stream", p.stream().stream().map(f -> PhaseRunner.map("kind", f.kind().yaml(), "pct", f.pct(), "desc", f.describe())).toList());
            r.put("asserts", p.asserts().stream().map(a -> a.name() + ": " + a.describe()).toList());
            if (p.until().isPresent()) { // end_s is then the latest it may end: its timeout
                r.put("until", p.until().get().describe());
                r.put("timeout_s", Durations.seconds(p.duration()));
            }
            if (!p.onStart().isEmpty()) r.put("on_start", p.onStart().stream().map(Step.Action::describe).toList());
            if (!p.onEnd().isEmpty()) r.put("on_end", p.onEnd().stream().map(Step.Action::describe).toList());
            phases.add(r);
        }
        Experiment.Recovery rc = exp.recovery();
        return PhaseRunner.map("phases", phases, "recovery", PhaseRunner.map("signals", rc.signals().stream().map(Experiment.Signal::yaml).toList(),
                "tolerance_pct", rc.tolerancePct(), "hold_s", Durations.seconds(rc.hold())), "engine", engine);
    }

    /** The phases in words, one a line: {@code  fault      30s – 1m30s  rate 200/s  latency 200 ms on db (downstream)}. */
    public static List<String> lines(Experiment exp) {
        List<Duration> starts = exp.starts();
        List<String> out = new ArrayList<>();
        boolean waits = exp.phases().stream().anyMatch(p -> p.until().isPresent());
        out.add("phases (" + exp.phases().size() + ", " + (waits ? "at most " : "") + Durations.format(exp.total()) + " in all"
                + (waits ? "; a phase with until: ends when its condition holds, and the phases after it start then" : "") + "):");
        int width = exp.phases().stream().mapToInt(p -> p.name().length()).max().orElse(4);
        for (int i = 0; i < exp.phases().size(); i++) {
            Phase p = exp.phases().get(i);
            StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "  %-" + width + "s  %s – %s", p.name(),
                    Durations.format(starts.get(i)), Durations.format(starts.get(i + 1))));
            if (p.baseline()) b.append("  baseline");
            p.rate().ifPresent(r -> b.append("  rate ").append(Num.text(r)).append("/s"));
            List<String> all = new ArrayList<>(p.faults().stream().map(FaultSpec::describe).toList());
            p.stream().forEach(f -> all.add(f.describe()));
            b.append(all.isEmpty() ? "  no faults" : "  " + String.join("; ", all));
            String pad = "\n  " + " ".repeat(width) + "  ";
            p.until().ifPresent(u -> b.append(pad).append("until ").append(u.describe()).append(", at most ").append(Durations.format(p.duration())));
            for (Step.Action a : p.onStart()) b.append(pad).append("on_start ").append(a.describe()).append(" (timeout ").append(Durations.format(a.timeout())).append(")");
            for (Step.Action a : p.onEnd()) b.append(pad).append("on_end ").append(a.describe()).append(" (timeout ").append(Durations.format(a.timeout())).append(")");
            for (var a : p.asserts()) b.append(pad).append("assert ").append(a.name()).append(": ").append(a.describe());
            out.add(b.toString());
        }
        Experiment.Recovery rc = exp.recovery();
        out.add("recovery: " + String.join(", ", rc.signals().stream().map(Experiment.Signal::yaml).toList()) + " within "
                + Num.text(rc.tolerancePct()) + "% of the baseline for " + Durations.format(rc.hold()));
        return out;
    }
}
