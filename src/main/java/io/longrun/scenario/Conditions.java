package io.longrun.scenario;

import io.longrun.scenario.Scenario.Condition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stop criteria of seed 003's runbook beyond the first four: log noise, repeated exceptions, a rising error
 * rate, a slow backend, growth against a model, duplicate rows, cadence, database size and load, UTC skew and
 * lost events. Each is its YAML key's settings, validated; the logic is in {@code io.longrun.criteria}.
 */
public final class Conditions {
    private Conditions() {}

    /** {@code error_rate_rising: { for: W, min_rise_pct: P }}: the error rate rose over W and is still rising at its end. */
    public record ErrorRateRising(Duration window, double minRisePct) implements Condition {
        public String kind() { return "error_rate_rising"; }

        public String describe() {
            return "error rate rising by at least " + Num.text(minRisePct) + " points over " + Durations.format(window) + " without settling";
        }

        public Map<String, Object> params() { return Conditions.params("for", window, "min_rise_pct", minRisePct); }
    }

    /** {@code log_errors: { above_per_min: N, for: W, levels: [ERROR, WARN] }}: lines of those levels in the watched logs. */
    public record LogErrors(double abovePerMin, Duration window, List<String> levels) implements Condition {
        public LogErrors {
            levels = List.copyOf(levels);
        }

        public String kind() { return "log_errors"; }

        public String describe() {
            return String.join("/", levels) + " log lines above " + Num.text(abovePerMin) + "/min for " + Durations.format(window);
        }

        public Map<String, Object> params() { return Conditions.params("above_per_min", abovePerMin, "for", window, "levels", levels); }
    }

    /** {@code repeated_exception: { times: N, within: W }}: the same exception (first line, digits aside) N times within W. */
    public record RepeatedException(int times, Duration within) implements Condition {
        public String kind() { return "repeated_exception"; }

        public String describe() {
            return "the same exception " + times + " times within " + Durations.format(within);
        }

        public Map<String, Object> params() { return Conditions.params("times", times, "within", within); }
    }

    /** {@code slow_backend: { p95_above: 500ms, for: W, source: delivery|health }}. */
    public record SlowBackend(Duration p95Above, Duration window, String source) implements Condition {
        public String kind() { return "slow_backend"; }

        public String describe() {
            return (source.equals("health") ? "health check latency" : "delivery p95 (service time)") + " above "
                    + Durations.format(p95Above) + " for " + Durations.format(window);
        }

        public Map<String, Object> params() { return Conditions.params("p95_above", p95Above, "for", window, "source", source); }
    }

    /**
     * {@code unexpected_growth: { table: T, per_accepted_event: K, tolerance_pct: P, for: W }}: between database
     * samples, T grew by K rows per accepted event, within P%; K = 0 is a table that must stay static.
     */
    public record UnexpectedGrowth(String table, double perAcceptedEvent, double tolerancePct, Duration window) implements Condition {
        public String kind() { return "unexpected_growth"; }

        public String describe() {
            return perAcceptedEvent == 0 ? "table " + table + " growing at all (expected static) for " + Durations.format(window)
                    : "table " + table + " growing other than " + Num.text(perAcceptedEvent) + " row(s) per accepted event ±"
                    + Num.text(tolerancePct) + "% for " + Durations.format(window);
        }

        public Map<String, Object> params() {
            return Conditions.params("table", table, "per_accepted_event", perAcceptedEvent, "tolerance_pct", tolerancePct, "for", window);
        }
    }

    /** {@code duplicate_rows: { sql: "select count(*) - count(distinct ...) ...", above: N, for: W }}. */
    public record DuplicateRows(String sql, double above, Duration window) implements Condition {
        public String kind() { return "duplicate_rows"; }

        public String describe() {
            return "duplicate rows above " + Num.text(above) + " (" + sql + ")" + (window.isZero() ? "" : " for " + Durations.format(window));
        }

        public Map<String, Object> params() { return Conditions.params("sql", sql, "above", above, "for", window); }
    }

    /**
     * {@code cadence: { log_regex: R | table: T, max_per_min: N, min_per_min: M, for: W }}: log lines matching R
     * (or rows of T) per minute stay within the scheduler's rate.
     */
    public record Cadence(Optional<String> logRegex, Optional<String> table, double maxPerMin, double minPerMin, Duration window)
            implements Condition {
        public String kind() { return "cadence"; }

        public String what() {
            return logRegex.map(r -> "log lines matching /" + r + "/").orElse("rows of " + table.orElse("?"));
        }

        public String describe() {
            return what() + " per minute outside " + (minPerMin > 0 ? Num.text(minPerMin) + ".." : "at most ") + Num.text(maxPerMin)
                    + (window.isZero() ? "" : " for " + Durations.format(window));
        }

        public Map<String, Object> params() {
            Map<String, Object> m = new LinkedHashMap<>();
            logRegex.ifPresent(r -> m.put("log_regex", r));
            table.ifPresent(t -> m.put("table", t));
            m.putAll(Conditions.params("max_per_min", maxPerMin, "min_per_min", minPerMin, "for", window));
            return m;
        }
    }

    /**
     * {@code db_size_growth: { above_mb_per_hour: X, limit_mb: L, over: 5m, for: W }}: the database grows faster than
     * X MB/h (least squares over the last {@code over}), or is projected to pass L before the run ends.
     */
    public record DbSizeGrowth(double aboveMbPerHour, Optional<Double> limitMb, Duration over, Duration window) implements Condition {
        public String kind() { return "db_size_growth"; }

        public String describe() {
            return "database growing faster than " + Num.text(aboveMbPerHour) + " MB/h"
                    + limitMb.map(l -> " or projected past " + Num.text(l) + " MB by the end").orElse("") + " (fit over "
                    + Durations.format(over) + ")" + (window.isZero() ? "" : " for " + Durations.format(window));
        }

        public Map<String, Object> params() {
            Map<String, Object> m = Conditions.params("above_mb_per_hour", aboveMbPerHour, "over", over, "for", window);
            limitMb.ifPresent(l -> m.put("limit_mb", l));
            return m;
        }
    }

    /** {@code db_load: { connections_above: N, long_queries_above: M, long_query: 30s, for: W }} from pg_stat_activity. */
    public record DbLoad(int connectionsAbove, int longQueriesAbove, Duration longQuery, Duration window) implements Condition {
        public String kind() { return "db_load"; }

        public String describe() {
            return "database load: more than " + connectionsAbove + " connections or " + longQueriesAbove + " queries running over "
                    + Durations.format(longQuery) + ", for " + Durations.format(window);
        }

        public Map<String, Object> params() {
            return Conditions.params("connections_above", connectionsAbove, "long_queries_above", longQueriesAbove, "long_query", longQuery, "for", window);
        }
    }

    /**
     * {@code utc_skew: { table, id_column, ts_column, above: 1m, id_field, ts_field }}: accepted events read back by
     * id; the stored timestamp differs from the one sent by more than {@code above}.
     */
    public record UtcSkew(String table, String idColumn, String tsColumn, Duration above, String idField, String tsField,
                          Duration lag) implements Condition {
        public String kind() { return "utc_skew"; }

        public String describe() {
            return "stored " + table + "." + tsColumn + " off the sent " + tsField + " by more than " + Durations.format(above);
        }

        public Map<String, Object> params() {
            return Conditions.params("table", table, "id_column", idColumn, "ts_column", tsColumn, "above", above, "id_field", idField,
                    "ts_field", tsField, "lag", lag);
        }
    }

    /**
     * {@code lost_events: { table, id_column, above_pct: 0, scenario_column, lag: 10s, id_field }}: accepted events
     * that are not stored after the lag: sampled ids read back, and, with {@code scenario_column}, the exact count
     * of this run's rows against the events accepted.
     */
    public record LostEvents(String table, String idColumn, double abovePct, Optional<String> scenarioColumn, Duration lag,
                             String idField) implements Condition {
        public String kind() { return "lost_events"; }

        public String describe() {
            return "accepted events missing from " + table + " after " + Durations.format(lag) + " above " + Num.text(abovePct) + "%";
        }

        public Map<String, Object> params() {
            Map<String, Object> m = Conditions.params("table", table, "id_column", idColumn, "above_pct", abovePct, "lag", lag, "id_field", idField);
            scenarioColumn.ifPresent(c -> m.put("scenario_column", c));
            return m;
        }
    }

    /** A map of YAML keys to values, durations written as in a scenario ("2m"). */
    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof Duration d ? Durations.format(d) : v);
        }
        return m;
    }
}
