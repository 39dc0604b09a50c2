package io.longrun.scenario;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 004's end-of-run checks ({@code assert:}), run once after the generator stops and the lag allowance has
 * passed. In SQL, {@code :scenario_id} stands for this run's scenario id (bound as a parameter).
 */
public final class Assertions {
    private Assertions() {}

    /** One assertion: its name and what it checks. */
    public sealed interface Assertion permits Count, Sequence, NoRows, Sql, Threshold, Ledger {
        String name();

        String kind();

        /** In words, for the summary and the JUnit report. */
        String describe();
    }

    /**
     * A value compared with a bound: a number, or one of the run's delivery counts by name ({@code accepted},
     * {@code sent}, ...), so that "rows stored = events accepted" can be written down.
     */
    public record Bound(Optional<Double> number, Optional<String> outcome) {
        public String text() {
            return number.map(Num::text).orElseGet(() -> outcome.orElse("?"));
        }
    }

    /**
     * {@code count: { sql: Q | outcome: O, equals: V | at_least: A | at_most: B | between: [A, B] }}: a count from an
     * SQL query (its first column) or from the delivery outcomes, against an exact value or a range.
     */
    public record Count(String name, Optional<String> sql, Optional<String> outcome, Optional<Bound> equals, Optional<Bound> atLeast,
                        Optional<Bound> atMost) implements Assertion {
        public String kind() { return "count"; }

        public String describe() {
            String what = sql.map(q -> "count of " + q).orElse("delivery count " + outcome.orElse("?"));
            StringBuilder b = new StringBuilder(what);
            equals.ifPresent(v -> b.append(" = ").append(v.text()));
            atLeast.ifPresent(v -> b.append(" >= ").append(v.text()));
            atMost.ifPresent(v -> b.append(" <= ").append(v.text()));
            return b.toString();
        }
    }

    /**
     * {@code ledger: { table, id_column }}: at the end, the table holds exactly what the fault ledger predicts: each
     * accepted event once (by its id), none that a stream fault dropped by design.
     */
    public record Ledger(String name, String table, String idColumn) implements Assertion {
        public String kind() { return "ledger"; }

        public String describe() {
            return "table " + table + " holds what the fault ledger predicts, by " + idColumn;
        }
    }

    /**
     * {@code sequence: { table, entity_column, ts_column, order_column, where }}: per entity, the rows in storage
     * order ({@code order_column}) have timestamps that never go back.
     */
    public record Sequence(String name, String table, String entityColumn, String tsColumn, String orderColumn, Optional<String> where)
            implements Assertion {
        public String kind() { return "sequence"; }

        public String describe() {
            return "per " + entityColumn + ", rows of " + table + " stored in " + tsColumn + " order (by " + orderColumn + ")";
        }
    }

    /** {@code no_rows: { sql: Q }}: the query returns no row. */
    public record NoRows(String name, String sql) implements Assertion {
        public String kind() { return "no_rows"; }

        public String describe() { return "no rows from " + sql; }
    }

    /** {@code sql: { sql: Q }}: the query's first column of its first row is true. */
    public record Sql(String name, String sql) implements Assertion {
        public String kind() { return "sql"; }

        public String describe() { return "true: " + sql; }
    }

    /**
     * {@code threshold: "p95 < 200ms"}: a delivery figure against a limit. Figures: p50, p95, p99, max (latency from
     * the intended send time, ms), service_p50 .. service_max, error_rate and dropped_pct (%), accepted, rejected,
     * failed, dropped, sent, planned (counts), rate (accepted per second).
     */
    public record Threshold(String name, String metric, String op, double value, String expression) implements Assertion {
        public static final List<String> METRICS = List.of("p50", "p95", "p99", "max", "service_p50", "service_p95", "service_p99",
                "service_max", "error_rate", "dropped_pct", "accepted", "rejected", "failed", "dropped", "sent", "planned", "rate");
        private static final Pattern EXPR = Pattern.compile("\\s*([a-z_0-9]+)\\s*(<=|>=|<|>|==|=)\\s*([0-9.]+)\\s*(ms|s|%)?\\s*");

        public String kind() { return "threshold"; }

        public String describe() { return expression; }

        /** Parses "p95 < 200ms"; the problem in words when it cannot. */
        public static Object parse(String name, String text) {
            Matcher m = EXPR.matcher(text);
            if (!m.matches()) return "not a threshold: \"" + text + "\" (write e.g. \"p95 < 200ms\" or \"error_rate < 1%\")";
            String metric = m.group(1).toLowerCase(Locale.ROOT);
            if (!METRICS.contains(metric)) {
                return "unknown figure \"" + metric + "\"" + Fields.closest(metric, METRICS).map(c -> " (did you mean '" + c + "'?)").orElse("")
                        + "; known: " + String.join(", ", METRICS);
            }
            double v;
            try {
                v = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                return "not a number: \"" + m.group(3) + "\"";
            }
            String unit = m.group(4) == null ? "" : m.group(4);
            boolean latency = metric.startsWith("p") || metric.startsWith("service_") || metric.equals("max");
            boolean pct = metric.equals("error_rate") || metric.equals("dropped_pct");
            if (latency && unit.equals("s")) v *= 1000;
            else if (latency && !unit.equals("ms") && !unit.isEmpty()) return metric + " is a latency: write ms or s";
            if (pct && !unit.equals("%") && !unit.isEmpty()) return metric + " is a percentage: write %";
            if (!latency && !pct && !unit.isEmpty()) return metric + " is a count: no unit";
            String op = m.group(2).equals("=") ? "==" : m.group(2);
            return new Threshold(name, metric, op, v, text.trim());
        }
    }
}
