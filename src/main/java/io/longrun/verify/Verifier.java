package io.longrun.verify;

import io.longrun.db.Tables;
import io.longrun.scenario.Assertions;
import io.longrun.scenario.Assertions.Assertion;
import io.longrun.scenario.Assertions.Bound;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Runs the end-of-run assertions (seed 004) against the target's database and the run's delivery figures. In SQL,
 * {@code :scenario_id} is bound to this run's scenario id.
 */
public final class Verifier {
    private static final Pattern PARAM = Pattern.compile("(?<!:):(scenario_id|phase_start|phase_end)\\b");

    private final DataSource ds;
    private final String scenarioId;
    private final Map<String, Double> figures;
    private final Map<String, java.time.Instant> times;

    /**
     * @param figures the delivery figures by name (accepted, sent, p95, error_rate, ...): see {@link Assertions.Threshold}
     */
    public Verifier(DataSource ds, String scenarioId, Map<String, Double> figures) {
        this(ds, scenarioId, figures, Map.of());
    }

    /**
     * A phase's assertions: its own figures, and {@code :phase_start} / {@code :phase_end} bound in SQL as timestamps.
     *
     * @param times {@code phase_start} and {@code phase_end}
     */
    public Verifier(DataSource ds, String scenarioId, Map<String, Double> figures, Map<String, java.time.Instant> times) {
        this.ds = ds;
        this.scenarioId = scenarioId;
        this.figures = Map.copyOf(figures);
        this.times = Map.copyOf(times);
    }

    private io.longrun.chaos.LedgerCheck ledger;

    /** What the {@code ledger} assertion checks the database against. */
    public Verifier ledger(io.longrun.chaos.LedgerCheck ledger) {
        this.ledger = ledger;
        return this;
    }

    public List<AssertionResult> run(List<Assertion> assertions) {
        List<AssertionResult> out = new ArrayList<>();
        for (Assertion a : assertions) out.add(check(a));
        return out;
    }

    AssertionResult check(Assertion a) {
        long t0 = System.nanoTime();
        try {
            Outcome o;
            if (a instanceof Assertions.Count c) o = count(c);
            else if (a instanceof Assertions.Sequence s) o = sequence(s);
            else if (a instanceof Assertions.NoRows n) o = noRows(n);
            else if (a instanceof Assertions.Sql q) o = sql(q);
            else if (a instanceof Assertions.Ledger l) {
                if (ledger == null) throw new IllegalStateException("no fault ledger: the ledger assertion needs a run's events");
                io.longrun.chaos.LedgerCheck.Result r = ledger.check(ds, l.table(), l.idColumn());
                o = new Outcome(r.passed(), r.observed(), r.expected());
            }
            else o = threshold((Assertions.Threshold) a);
            return new AssertionResult(a.name(), a.kind(), a.describe(), o.passed, o.observed, o.expected, null, ms(t0));
        } catch (SQLException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
            return new AssertionResult(a.name(), a.kind(), a.describe(), false, "-", "-", msg, ms(t0));
        }
    }

    private record Outcome(boolean passed, String observed, String expected) {}

    private Outcome count(Assertions.Count c) throws SQLException {
        double v = c.sql().isPresent() ? number(c.sql().get()) : figure(c.outcome().orElseThrow());
        boolean ok = true;
        List<String> exp = new ArrayList<>();
        if (c.equals().isPresent()) {
            double e = value(c.equals().get());
            ok &= v == e;
            exp.add("= " + num(e) + label(c.equals().get()));
        }
        if (c.atLeast().isPresent()) {
            double e = value(c.atLeast().get());
            ok &= v >= e;
            exp.add(">= " + num(e) + label(c.atLeast().get()));
        }
        if (c.atMost().isPresent()) {
            double e = value(c.atMost().get());
            ok &= v <= e;
            exp.add("<= " + num(e) + label(c.atMost().get()));
        }
        return new Outcome(ok, num(v), String.join(" and ", exp));
    }

    private Outcome sequence(Assertions.Sequence s) throws SQLException {
        String e = Tables.quote(s.entityColumn()), ts = Tables.quote(s.tsColumn()), ord = Tables.quote(s.orderColumn());
        String sql = "select count(*) from (select " + ts + " < lag(" + ts + ") over (partition by " + e + " order by " + ord
                + ") as back from " + Tables.quote(s.table()) + s.where().map(w -> " where " + w).orElse("") + ") x where back";
        double v = number(sql);
        return new Outcome(v == 0, num(v) + " row(s) stored after a later timestamp of the same " + s.entityColumn(), "0");
    }

    private Outcome noRows(Assertions.NoRows n) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, n.sql()); ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            StringBuilder first = new StringBuilder();
            while (rs.next()) {
                if (rows == 0) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) first.append(i > 1 ? ", " : "").append(rs.getString(i));
                }
                rows++;
            }
            return new Outcome(rows == 0, rows == 0 ? "no rows" : rows + " row(s), first: " + first, "no rows");
        }
    }

    private Outcome sql(Assertions.Sql q) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, q.sql()); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return new Outcome(false, "no row", "true");
            Object v = rs.getObject(1);
            boolean ok = v instanceof Boolean b && b;
            return new Outcome(ok, String.valueOf(v), "true");
        }
    }

    private Outcome threshold(Assertions.Threshold t) {
        double v = figure(t.metric());
        boolean ok = switch (t.op()) {
            case "<" -> v < t.value();
            case "<=" -> v <= t.value();
            case ">" -> v > t.value();
            case ">=" -> v >= t.value();
            default -> v == t.value();
        };
        return new Outcome(ok, t.metric() + " = " + String.format(Locale.ROOT, "%.3f", v), t.expression());
    }

    private double figure(String name) {
        Double v = figures.get(name);
        if (v == null) throw new IllegalArgumentException("no delivery figure " + name);
        return v;
    }

    private double value(Bound b) {
        return b.number().orElseGet(() -> figure(b.outcome().orElseThrow()));
    }

    private String label(Bound b) {
        return b.outcome().map(o -> " (" + o + ")").orElse("");
    }

    private double number(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("the query returned no row: " + sql);
            return rs.getDouble(1);
        }
    }

    /** The statement with every {@code :scenario_id} bound to this run's id, and a phase's {@code :phase_start}, {@code :phase_end}. */
    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        Matcher m = PARAM.matcher(sql);
        List<String> names = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            if (!m.group(1).equals("scenario_id") && !times.containsKey(m.group(1)))
                throw new SQLException(":" + m.group(1) + " is only known in a phase's assertions");
            m.appendReplacement(b, "?");
            names.add(m.group(1));
        }
        m.appendTail(b);
        PreparedStatement ps = c.prepareStatement(b.toString());
        for (int i = 1; i <= names.size(); i++) {
            String name = names.get(i - 1);
            if (name.equals("scenario_id")) ps.setString(i, scenarioId);
            else ps.setObject(i, times.get(name).atOffset(java.time.ZoneOffset.UTC));
        }
        return ps;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
