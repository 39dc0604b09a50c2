package io.longrun.experiment;

import io.longrun.scenario.Step;
import java.util.OptionalDouble;

/**
 * One phase's {@code until:} while the phase is on: whether its condition holds now. Counts are from the phase's
 * start (accepted events, matching log lines); an SQL condition runs at most once per {@link #SQL_EVERY_NANOS},
 * whatever the poll's pace. A condition that cannot be read (an SQL error) does not hold: its last error is kept
 * for the timeout's reason.
 */
final class UntilCheck {
    static final long SQL_EVERY_NANOS = 1_000_000_000L;

    private final Step.Until until;
    private final StepSources src;
    private final long acceptedAtStart, logAtStart;
    private long lastSql = Long.MIN_VALUE;
    private String lastError;
    private String observed = "";

    UntilCheck(Step.Until until, StepSources src) {
        this.until = until;
        this.src = src;
        this.acceptedAtStart = src.acceptedNow();
        this.logAtStart = until instanceof Step.Log l ? src.logMatches(l.regex().pattern()) : 0;
    }

    /** Whether the condition holds at {@code now} (monotonic nanoseconds). */
    boolean holds(long now) {
        if (until instanceof Step.Sql s) {
                if (lastSql != Long.MIN_VALUE && now - lastSql < SQL_EVERY_NANOS) return false;
                lastSql = now;
                try {
                    boolean v = src.sql(s.query());
                    lastError = null;
                    observed = "the query answered " + (v ? "true" : "false");
                    return v;
                } catch (Exception e) {
                    lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    observed = "the query failed: " + lastError;
                    return false;
                }
        }
        if (until instanceof Step.Health h) {
                int streak = src.healthStreak(h.up());
                observed = streak + " check" + (streak == 1 ? "" : "s") + " in a row " + (h.up() ? "up" : "down");
                return streak >= h.checks();
        }
        if (until instanceof Step.Accepted a) {
                long n = src.acceptedNow() - acceptedAtStart;
                observed = n + " accepted";
                return n >= a.count();
        }
        if (until instanceof Step.Log l) {
                long n = src.logMatches(l.regex().pattern()) - logAtStart;
                observed = n + " matching line" + (n == 1 ? "" : "s");
                return n > 0;
        }
        Step.Metric m = (Step.Metric) until;
        {
                OptionalDouble v = src.metric(m.name());
                if (v.isEmpty()) {
                    observed = "no metric " + m.name();
                    return false;
                }
                observed = m.name() + " was " + io.longrun.scenario.Num.text(v.getAsDouble());
                return m.above() ? v.getAsDouble() > m.value() : v.getAsDouble() < m.value();
        }
    }

    /** What was last seen, in words: for the console and the timeout's reason. */
    String observed() {
        return observed;
    }

    Step.Until until() {
        return until;
    }
}
