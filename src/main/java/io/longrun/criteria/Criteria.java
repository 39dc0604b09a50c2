package io.longrun.criteria;

import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Evaluates the stop criteria on every watcher sample and every tick, as a Prometheus alert rule does: a rule
 * fires when its condition has held throughout its window ({@code for}), never during its grace period
 * ({@code after}), and resolves when the condition stops holding. Each change of state is an {@link Alert}.
 * Memory per rule is bounded by its window, whatever the run's length.
 */
public final class Criteria {
    /** A rule's state, for the console and the summary. */
    public record State(String name, String kind, Scenario.Severity severity, boolean firing, double observed, String text) {}

    private static final class Slot {
        final Rule rule;
        long since = -1;    // monotonic time the condition started holding, or -1
        boolean firing;
        Reading last;

        Slot(Rule rule) {
            this.rule = rule;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final long start;
    private final Consumer<Alert> alerts;

    /**
     * @param start  monotonic nanoseconds of the run's start, for the grace periods
     * @param alerts receives every state change
     */
    public Criteria(List<Scenario.StopRule> rules, long start, Consumer<Alert> alerts) {
        this(rules, start, java.time.Duration.ofDays(3650), alerts);
    }

    /** @param runLength the run's planned length, for projections to its end */
    public Criteria(List<Scenario.StopRule> rules, long start, java.time.Duration runLength, Consumer<Alert> alerts) {
        for (Scenario.StopRule r : rules) slots.add(new Slot(Rule.of(r, runLength)));
        this.start = start;
        this.alerts = alerts;
    }

    public synchronized void onHealth(HealthSample s) {
        evaluate(s.at(), s.time(), r -> r.onHealth(s));
    }

    public synchronized void onDb(DbSample s) {
        onDb(s, 0);
    }

    /** @param accepted events accepted so far when the sample was taken */
    public synchronized void onDb(DbSample s, long accepted) {
        evaluate(s.at(), s.time(), r -> r.onDb(s, accepted));
    }

    public synchronized void onLog(io.longrun.watch.LogSample s) {
        evaluate(s.at(), s.time(), r -> r.onLog(s));
    }

    public synchronized void onProbe(io.longrun.watch.ProbeSample s) {
        evaluate(s.at(), s.time(), r -> r.onProbe(s));
    }

    public synchronized void onTick(TickSample s, Instant time) {
        evaluate(s.at(), time, r -> r.onTick(s));
    }

    private void evaluate(long at, Instant time, Function<Rule, Reading> read) {
        for (Slot slot : slots) {
            Reading r = read.apply(slot.rule);
            if (r == null) continue;
            slot.last = r;
            boolean inGrace = at - start < slot.rule.spec().after().toNanos();
            boolean holds = r.breached() && !inGrace;
            if (!holds) {
                slot.since = -1;
                if (slot.firing) {
                    slot.firing = false;
                    alerts.accept(alert(slot, time, "resolved", r));
                }
                continue;
            }
            if (slot.since < 0) slot.since = at;
            if (!slot.firing && at - slot.since >= slot.rule.window().toNanos()) {
                slot.firing = true;
                alerts.accept(alert(slot, time, "firing", r));
            }
        }
    }

    private static Alert alert(Slot slot, Instant time, String state, Reading r) {
        Scenario.StopRule spec = slot.rule.spec();
        return new Alert(time, spec.name(), spec.condition().kind(), spec.severity(), state, r.observed(), r.threshold(), r.text());
    }

    public synchronized List<State> states() {
        List<State> out = new ArrayList<>();
        for (Slot s : slots) {
            Scenario.StopRule spec = s.rule.spec();
            out.add(new State(spec.name(), spec.condition().kind(), spec.severity(), s.firing,
                    s.last == null ? Double.NaN : s.last.observed(), s.last == null ? "no sample yet" : s.last.text()));
        }
        return out;
    }

    /** One line per rule for the plan: "health_failures [abort]: consecutive 3". */
    public static String describe(Scenario.StopRule r) {
        return r.name() + " [" + r.severity().name().toLowerCase(Locale.ROOT) + "]: " + r.condition().describe()
                + (r.after().isZero() ? "" : " after " + io.longrun.scenario.Durations.format(r.after()));
    }
}
