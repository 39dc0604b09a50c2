package io.longrun.scenario;

import io.longrun.db.Tables;
import io.longrun.scenario.Conditions.Cadence;
import io.longrun.scenario.Conditions.DbLoad;
import io.longrun.scenario.Conditions.DbSizeGrowth;
import io.longrun.scenario.Conditions.DuplicateRows;
import io.longrun.scenario.Conditions.ErrorRateRising;
import io.longrun.scenario.Conditions.LogErrors;
import io.longrun.scenario.Conditions.LostEvents;
import io.longrun.scenario.Conditions.RepeatedException;
import io.longrun.scenario.Conditions.SlowBackend;
import io.longrun.scenario.Conditions.UnexpectedGrowth;
import io.longrun.scenario.Conditions.UtcSkew;
import io.longrun.scenario.Scenario.Condition;
import io.longrun.scenario.Scenario.Severity;
import io.longrun.scenario.Scenario.StopRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code stop_when}: one criterion per item, with its common keys ({@code name}, {@code severity}, {@code after}). */
final class StopRuleReader {
    static final List<String> KINDS = List.of("health_failures", "error_rate", "error_rate_rising", "log_errors", "repeated_exception",
            "slow_backend", "table_growth", "unexpected_growth", "duplicate_rows", "cadence", "db_size_growth", "db_load", "utc_skew",
            "lost_events", "schedule_not_met");
    static final List<String> LEVELS = List.of("ERROR", "WARN", "CRITICAL", "FATAL");
    static final Duration DEFAULT_LAG = Duration.ofSeconds(5);

    private StopRuleReader() {}

    static List<StopRule> read(Fields top) {
        List<StopRule> out = new ArrayList<>();
        List<Fields> items = top.objects("stop_when");
        Set<String> names = new HashSet<>();
        for (Fields item : items) {
            List<String> keys = item.keys();
            List<String> kinds = keys.stream().filter(KINDS::contains).toList();
            if (kinds.size() != 1) {
                String unknown = keys.stream().filter(k -> !KINDS.contains(k) && !List.of("name", "severity", "after").contains(k))
                        .findFirst().orElse(null);
                String hint = unknown == null ? "" : "unknown criterion \"" + unknown + "\""
                        + Fields.closest(unknown, KINDS).map(c -> " (did you mean '" + c + "'?)").orElse("") + "; ";
                item.problem(null, hint + "each item names exactly one criterion: " + String.join(", ", KINDS));
                continue;
            }
            String kind = kinds.get(0);
            Fields c = item.object(kind);
            // name, severity and after may sit beside the criterion or inside it
            Fields common = c.has("name") || c.has("severity") || c.has("after") ? c : item;
            String name = common.text("name").orElse(kind);
            if (!names.add(name)) common.problem("name", "two criteria are named \"" + name + "\": give one a name");
            Severity severity = Severity.ABORT;
            Optional<String> sev = common.text("severity");
            if (sev.isPresent()) {
                try {
                    severity = Severity.valueOf(sev.get().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    common.problem("severity", "must be warn or abort, got \"" + sev.get() + "\"");
                }
            }
            Duration after = common.duration("after", Duration.ZERO);
            Condition condition = condition(kind, c);
            c.done();
            item.done();
            if (condition != null) out.add(new StopRule(name, severity, after, condition));
        }
        return out;
    }

    private static Condition condition(String kind, Fields c) {
        Duration window = c.duration("for", Duration.ZERO);
        return switch (kind) {
            case "health_failures" -> {
                boolean byCount = c.has("consecutive"), byShare = c.has("share_pct");
                Optional<Long> consecutive = c.integer("consecutive", 1, 1_000_000);
                Optional<Double> share = c.number("share_pct", 0, 100);
                if (!byCount && !byShare) c.problem("consecutive", "missing: give consecutive: N, or share_pct: X with for: W");
                if (byCount && byShare) c.problem("share_pct", "give consecutive or share_pct, not both");
                if (byShare && window.isZero()) c.problem("for", "missing: share_pct needs the window it is counted over, e.g. for: 1m");
                yield byShare && share.isPresent() ? new Scenario.HealthFailures(0, share.get(), window)
                        : new Scenario.HealthFailures(consecutive.orElse(1L).intValue());
            }
            case "error_rate" -> new Scenario.ErrorRate(required(c, "above_pct", c.number("above_pct", 0, 100)).orElse(0.0), window);
            case "schedule_not_met" -> new Scenario.ScheduleNotMet(required(c, "dropped_pct_above",
                    c.number("dropped_pct_above", 0, 100)).orElse(0.0), window);
            case "table_growth" -> new Scenario.TableGrowth(table(c, "table"),
                    required(c, "above_per_min", c.number("above_per_min", 0, 1e12)).orElse(0.0), window);
            case "error_rate_rising" -> {
                if (window.isZero()) c.problem("for", "missing: the window the error rate must keep rising over, e.g. for: 10m");
                yield new ErrorRateRising(window, c.number("min_rise_pct", 0, 100).orElse(1.0));
            }
            case "log_errors" -> {
                List<String> levels = c.has("levels") ? c.texts("levels").stream().map(s -> s.toUpperCase(Locale.ROOT)).toList() : List.of("ERROR", "WARN");
                for (String l : levels) if (!LEVELS.contains(l)) c.problem("levels", "unknown level \"" + l + "\"; known: " + String.join(", ", LEVELS));
                yield new LogErrors(required(c, "above_per_min", c.number("above_per_min", 0, 1e9)).orElse(0.0), window, levels);
            }
            case "repeated_exception" -> {
                // seed 003 says "the same first line N times"; both names are accepted
                Optional<Long> times = c.has("same_first_line") ? c.integer("same_first_line", 2, 1_000_000) : c.integer("times", 2, 1_000_000);
                if (times.isEmpty() && !c.has("times") && !c.has("same_first_line")) c.problem("times", "missing: how many times the same exception may appear");
                Duration within = c.positiveDuration("within").orElse(Duration.ofMinutes(1));
                yield new RepeatedException(times.orElse(5L).intValue(), within);
            }
            case "slow_backend" -> {
                Duration p95 = required(c, "p95_above", c.positiveDuration("p95_above")).orElse(Duration.ofSeconds(1));
                String source = c.text("source").orElse("delivery");
                if (!source.equals("delivery") && !source.equals("health")) c.problem("source", "must be delivery or health, got \"" + source + "\"");
                yield new SlowBackend(p95, window, source);
            }
            case "unexpected_growth" -> {
                String table = table(c, "table");
                boolean isStatic = c.bool("static").orElse(false);
                double per = isStatic ? 0 : c.number("per_accepted_event", 0, 1e6).orElse(Double.NaN);
                if (Double.isNaN(per)) {
                    c.problem("per_accepted_event", "missing: rows expected per accepted event (0, or static: true, for a table that must not grow)");
                    per = 0;
                }
                yield new UnexpectedGrowth(table, per, c.number("tolerance_pct", 0, 1000).orElse(2.0), window);
            }
            case "duplicate_rows" -> new DuplicateRows(required(c, "sql", c.text("sql")).orElse(""), c.number("above", 0, 1e15).orElse(0.0), window);
            case "cadence" -> {
                Optional<String> regex = c.text("log_regex");
                regex.ifPresent(r -> {
                    try {
                        Pattern.compile(r);
                    } catch (PatternSyntaxException e) {
                        c.problem("log_regex", "not a regular expression: " + e.getDescription());
                    }
                });
                Optional<String> table = c.has("table") ? Optional.of(table(c, "table")) : Optional.empty();
                if (regex.isPresent() == table.isPresent()) c.problem("log_regex", "give log_regex (lines in the watched logs) or table (rows), one of them");
                double max = required(c, "max_per_min", c.number("max_per_min", 0, 1e12)).orElse(0.0);
                double min = c.number("min_per_min", 0, 1e12).orElse(0.0);
                if (min > max) c.problem("min_per_min", "is above max_per_min");
                yield new Cadence(regex, table, max, min, window);
            }
            case "db_size_growth" -> {
                if (!c.has("above_mb_per_hour") && !c.has("limit_mb")) c.problem("above_mb_per_hour", "missing: give above_mb_per_hour, limit_mb or both");
                yield new DbSizeGrowth(c.number("above_mb_per_hour", 0, 1e12).orElse(Double.POSITIVE_INFINITY),
                        c.number("limit_mb", 0, 1e12), c.positiveDuration("over").orElse(Duration.ofMinutes(5)), window);
            }
            case "db_load" -> {
                if (!c.has("connections_above") && !c.has("long_queries_above")) c.problem("connections_above", "missing: give connections_above, long_queries_above or both");
                yield new DbLoad(c.integer("connections_above", 0, 1_000_000).orElse((long) Integer.MAX_VALUE).intValue(),
                    c.integer("long_queries_above", 0, 1_000_000).orElse((long) Integer.MAX_VALUE).intValue(),
                    c.positiveDuration("long_query").orElse(Duration.ofSeconds(30)), window);
            }
            case "utc_skew" -> {
                String table = table(c, "table");
                String id = column(c, "id_column", "id"), ts = column(c, "ts_column", "timestamp");
                yield new UtcSkew(table, id, ts, c.positiveDuration("above").orElse(Duration.ofMinutes(1)), c.text("id_field").orElse(id),
                        c.text("ts_field").orElse(ts), c.duration("lag", DEFAULT_LAG));
            }
            case "lost_events" -> {
                String table = table(c, "table");
                String id = column(c, "id_column", "id");
                Optional<String> scenario = c.has("scenario_column") ? Optional.of(column(c, "scenario_column", "scenario_id")) : Optional.empty();
                double pct = c.number("above_pct", 0, 100).orElse(0.0);
                yield new LostEvents(table, id, pct, scenario, c.duration("lag", DEFAULT_LAG), c.text("id_field").orElse(id));
            }
            default -> throw new IllegalStateException(kind);
        };
    }

    private static String table(Fields c, String key) {
        String table = required(c, key, c.text(key)).orElse("");
        if (!table.isEmpty() && !Tables.wellFormed(table)) c.problem(key, "not a table name: \"" + table + "\"");
        return table;
    }

    private static String column(Fields c, String key, String dflt) {
        String col = c.text(key).orElse(dflt);
        if (!Tables.wellFormed(col)) c.problem(key, "not a column name: \"" + col + "\"");
        return col;
    }

    static <T> Optional<T> required(Fields f, String key, Optional<T> value) {
        if (value.isEmpty() && !f.has(key)) f.problem(key, "missing");
        return value;
    }
}
