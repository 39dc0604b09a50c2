package io.longrun.run;

import io.longrun.experiment.StepSources;
import io.longrun.metrics.RunMetrics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * What the phases' {@code until:} read, fed by what the run already watches: the health checks and the log
 * watcher's matches (from the monitor), the accepted count, longrun's own metrics, and the database for SQL.
 */
final class StepFeed implements StepSources {
    /** An SQL condition's statement timeout: it is polled, so it must be cheap. */
    static final int SQL_TIMEOUT_SECONDS = 2;

    private final LongSupplier accepted;
    private final DataSource ds;
    private final RunMetrics metrics;
    private int upStreak, downStreak;
    private final Map<String, Long> logMatches = new HashMap<>();

    StepFeed(LongSupplier accepted, DataSource ds, RunMetrics metrics) {
        this.accepted = accepted;
        this.ds = ds;
        this.metrics = metrics;
    }

    /** A health check's outcome (the monitor's). */
    synchronized void onHealth(boolean ok) {
        upStreak = ok ? upStreak + 1 : 0;
        downStreak = ok ? 0 : downStreak + 1;
    }

    /** A log poll's matches per regular expression (the monitor's). */
    synchronized void onLog(Map<String, Long> matches) {
        matches.forEach((k, v) -> logMatches.merge(k, v, Long::sum));
    }

    @Override
    public long acceptedNow() {
        return accepted.getAsLong();
    }

    @Override
    public synchronized int healthStreak(boolean up) {
        return up ? upStreak : downStreak;
    }

    @Override
    public synchronized long logMatches(String regex) {
        return logMatches.getOrDefault(regex, 0L);
    }

    /** The metric as Prometheus shows it ({@code longrun_events_total}), summed over its labels. */
    @Override
    public OptionalDouble metric(String name) {
        if (metrics == null) return OptionalDouble.empty();
        double sum = 0;
        boolean seen = false;
        for (String line : metrics.registry().scrape().split("\n")) {
            if (!line.startsWith(name)) continue;
            int rest = name.length();
            if (line.length() <= rest || line.charAt(rest) != '{' && line.charAt(rest) != ' ') continue;
            String v = line.substring(line.lastIndexOf(' ') + 1);
            try {
                double d = Double.parseDouble(v);
                if (!Double.isNaN(d)) sum += d;
                seen = true;
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return seen ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    @Override
    public boolean sql(String query) throws Exception {
        if (ds == null) throw new IllegalStateException("no database");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(SQL_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery(query)) {
                if (!rs.next()) return false;
                Object v = rs.getObject(1);
                if (v instanceof Boolean b) return b;
                if (v instanceof Number n) return n.doubleValue() != 0;
                return v != null && (v.toString().equalsIgnoreCase("true") || v.toString().equals("t"));
            }
        }
    }
}
