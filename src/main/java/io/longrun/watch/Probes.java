package io.longrun.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.RowCounts;
import io.longrun.db.Tables;
import io.longrun.pace.Clock;
import io.longrun.scenario.Conditions.DuplicateRows;
import io.longrun.scenario.Conditions.LostEvents;
import io.longrun.scenario.Conditions.UtcSkew;
import io.longrun.scenario.Scenario;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import javax.sql.DataSource;

/**
 * The SQL probes behind duplicate_rows, utc_skew and lost_events, run by the probe route every {@code db_every}.
 * utc_skew and lost_events read back a sample of the events the target accepted ({@link SentEvents}), by id,
 * once their lag has passed; lost_events with a {@code scenario_column} also counts this run's rows exactly
 * against the events accepted. The statements are plain JDBC on the watch pool: they bind arrays of ids, which
 * camel-jdbc's parameter binding does not do.
 */
public final class Probes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Scenario.StopRule> rules;
    private final DataSource ds;
    private final SentEvents sent;
    private final String scenarioId;
    private final LongUnaryOperator acceptedAt;
    private final LongSupplier acceptedNow;
    private final Clock clock;
    private final Signals signals;
    private final Map<String, String> idTypes = new HashMap<>();
    private final Duration lag;
    /** How far apart lost_events' counts by scenario_column are, in multiples of the last one's duration. */
    static final long COUNT_SPACING = 100;
    private long nextCount = Long.MIN_VALUE;

    /**
     * @param acceptedAt the number of events accepted at or before a monotonic time
     */
    public Probes(List<Scenario.StopRule> rules, DataSource ds, SentEvents sent, String scenarioId, LongUnaryOperator acceptedAt,
                  LongSupplier acceptedNow, Clock clock, Signals signals) {
        this.rules = rules.stream().filter(r -> isProbe(r.condition())).toList();
        this.ds = ds;
        this.sent = sent;
        this.scenarioId = scenarioId;
        this.acceptedAt = acceptedAt;
        this.acceptedNow = acceptedNow;
        this.clock = clock;
        this.signals = signals;
        this.lag = this.rules.stream().map(r -> r.condition() instanceof UtcSkew u ? u.lag() : r.condition() instanceof LostEvents l ? l.lag() : Duration.ZERO)
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    public static boolean isProbe(Scenario.Condition c) {
        return c instanceof DuplicateRows || c instanceof UtcSkew || c instanceof LostEvents;
    }

    /** Whether any criterion needs a probe. */
    public static boolean isAny(List<Scenario.StopRule> rules) {
        return rules.stream().anyMatch(r -> isProbe(r.condition()));
    }

    /** Whether any probe reads accepted events back (the delivery then keeps a sample of them). */
    public static boolean needsSamples(List<Scenario.StopRule> rules) {
        return rules.stream().anyMatch(r -> r.condition() instanceof UtcSkew || r.condition() instanceof LostEvents);
    }

    public boolean any() {
        return !rules.isEmpty();
    }

    /**
     * Checks the probes' tables and columns before the run, and finds the id columns' types.
     *
     * @return warnings for people: timestamp columns without a time zone
     * @throws IllegalArgumentException naming the criterion, the table and the column that is not there
     */
    public List<String> check(Connection c) throws SQLException {
        List<String> warnings = new ArrayList<>();
        for (Scenario.StopRule r : rules) {
            if (r.condition() instanceof UtcSkew u) {
                idTypes.put(u.table() + "." + u.idColumn(), columnType(c, r.name(), u.table(), u.idColumn()));
                String ts = columnType(c, r.name(), u.table(), u.tsColumn());
                if (ts.startsWith("timestamp without time zone"))
                    warnings.add(u.table() + "." + u.tsColumn() + " is a timestamp without time zone: it keeps no offset, so a "
                            + "non-UTC writer goes unnoticed by the column (the utc_skew probe compares values)");
                unindexed(c, r.name(), "reads accepted events back by", u.table(), u.idColumn()).ifPresent(warnings::add);
            } else if (r.condition() instanceof LostEvents l) {
                idTypes.put(l.table() + "." + l.idColumn(), columnType(c, r.name(), l.table(), l.idColumn()));
                unindexed(c, r.name(), "reads accepted events back by", l.table(), l.idColumn()).ifPresent(warnings::add);
                if (l.scenarioColumn().isPresent()) {
                    columnType(c, r.name(), l.table(), l.scenarioColumn().get());
                    unindexed(c, r.name(), "counts this run's rows by", l.table(), l.scenarioColumn().get()).ifPresent(warnings::add);
                }
            }
        }
        return warnings;
    }

    /**
     * A warning when no index of the table starts with the column: the probe's lookup would then read the whole table
     * at every poll, a cost that grows with the table.
     */
    private static Optional<String> unindexed(Connection c, String rule, String what, String table, String column) throws SQLException {
        Optional<Long> oid = RowCounts.oid(c, table);
        if (oid.isEmpty() || RowCounts.indexLeads(c, oid.get(), column, false)) return Optional.empty();
        return Optional.of(rule + " " + what + " " + column + ", and no index of " + table + " starts with it: every probe reads the whole "
                + "table; create one: create index on " + table + " (" + column + ")");
    }

    /** Columns of type timestamp without time zone in the given tables, as "table.column". */
    public static List<String> naiveTimestamps(Connection c, List<String> tables) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String t : tables) {
            try (PreparedStatement ps = c.prepareStatement("select attname from pg_attribute where attrelid = ?::regclass and attnum > 0 "
                    + "and not attisdropped and atttypid = 'timestamp'::regtype order by attnum")) {
                ps.setString(1, Tables.quote(t));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(t + "." + rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String columnType(Connection c, String rule, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select format_type(atttypid, atttypmod) from pg_attribute "
                + "where attrelid = to_regclass(?) and attname = ? and attnum > 0 and not attisdropped")) {
            ps.setString(1, Tables.quote(table));
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("stop_when " + rule + ": table " + table + " has no column " + column);
                return rs.getString(1);
            }
        }
    }

    /** One round of every probe (the probe route). */
    public void poll() {
        run(false);
    }

    /** The final round, after the lag allowance: every sampled event is read back and the loss count is exact. */
    public void last() {
        run(true);
    }

    private synchronized void run(boolean last) {
        long now = clock.nanoTime();
        List<SentEvents.Sent> due = sent == null ? List.of() : sent.takeUntil(last ? Long.MAX_VALUE : now - lag.toNanos());
        List<Parsed> parsed = parse(due);
        for (Scenario.StopRule r : rules) {
            ProbeSample s;
            try (Connection c = ds.getConnection()) {
                if (r.condition() instanceof DuplicateRows d) s = duplicates(c, r.name(), d, now, last);
                else if (r.condition() instanceof UtcSkew u) s = skew(c, r.name(), u, parsed, now, last);
                else s = lost(c, r.name(), (LostEvents) r.condition(), parsed, now, last);
            } catch (SQLException | RuntimeException e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
                s = new ProbeSample(now, clock.now(), r.name(), 0, 0, "probe failed: " + msg, Optional.of(msg), last);
            }
            if (s != null) signals.onProbe(s);
        }
    }

    private ProbeSample duplicates(Connection c, String name, DuplicateRows d, long now, boolean last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(d.sql()); ResultSet rs = ps.executeQuery()) {
            double v = rs.next() ? rs.getDouble(1) : 0;
            return new ProbeSample(now, clock.now(), name, v, 1, String.format(Locale.ROOT, "%s duplicate row(s) (%s)", num(v), d.sql()), Optional.empty(), last);
        }
    }

    /** Hears each sampled accepted event that lost_events read back: when it was accepted (monotonic ns), and whether it was found. */
    public interface ReadBack {
        void checked(long acceptedAt, boolean found);
    }

    private volatile ReadBack readBack;

    /** Tells {@code r} of every event lost_events reads back (a fault experiment counts them per phase). */
    public void onReadBack(ReadBack r) {
        this.readBack = r;
    }

    /** An accepted event as sent: the texts at its id and timestamp paths (null when absent). */
    record Parsed(JsonNode node, long acceptedAt) {
        String text(String path) {
            JsonNode n = node;
            for (String part : path.split("\\.")) {
                if (n == null) return null;
                n = n.get(part);
            }
            return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
        }
    }

    private static List<Parsed> parse(List<SentEvents.Sent> due) {
        List<Parsed> out = new ArrayList<>(due.size());
        for (SentEvents.Sent s : due) {
            try {
                JsonNode n = JSON.readTree(s.body());
                if (n != null && n.isArray() && !n.isEmpty()) n = n.get(0);
                if (n != null && n.isObject()) out.add(new Parsed(n, s.acceptedAt()));
            } catch (Exception e) {
                // not JSON (CSV, syslog): nothing to read back by id
            }
        }
        return out;
    }

    /** Stored rows by id: id text to the stored value of {@code valueColumn} (or the id again when null). */
    private Map<String, Object> readBack(Connection c, String table, String idColumn, String valueColumn, List<String> ids) throws SQLException {
        Map<String, Object> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        String type = idTypes.getOrDefault(table + "." + idColumn, "text");
        String baseType = type.replaceAll("\\(.*\\)", "");
        String sql = "select " + Tables.quote(idColumn) + "::text, " + (valueColumn == null ? "null" : Tables.quote(valueColumn))
                + " from " + Tables.quote(table) + " where " + Tables.quote(idColumn) + " = any(?::" + baseType + "[])";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array arr = c.createArrayOf("text", ids.toArray());
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                String valueType = valueColumn == null ? null : rs.getMetaData().getColumnTypeName(2);
                while (rs.next()) out.put(rs.getString(1), valueColumn == null ? Boolean.TRUE : value(rs, 2, valueType));
            }
        }
        return out;
    }

    /**
     * Which of {@code ids} are stored in {@code table}: one indexed lookup ({@code = any(array)}) of the id column,
     * cast to the column's type. A resume reads back the events whose outcome a dead runner never logged.
     */
    public static java.util.Set<String> stored(Connection c, String table, String idColumn, List<String> ids) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (ids.isEmpty()) return out;
        String type = columnType(c, "resume", table, idColumn).replaceAll("\\(.*\\)", "");
        String sql = "select " + Tables.quote(idColumn) + "::text from " + Tables.quote(table) + " where " + Tables.quote(idColumn)
                + " = any(?::" + type + "[])";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private ProbeSample skew(Connection c, String name, UtcSkew u, List<Parsed> parsed, long now, boolean last) throws SQLException {
        Map<String, Instant> sentTs = new LinkedHashMap<>();
        for (Parsed p : parsed) {
            String id = p.text(u.idField()), ts = p.text(u.tsField());
            if (id == null || ts == null) continue;
            try {
                sentTs.put(id, OffsetDateTime.parse(ts).toInstant());
            } catch (RuntimeException e) {
                // not an offset timestamp: the target would have refused it
            }
        }
        if (sentTs.isEmpty()) return null;
        Map<String, Object> stored = readBack(c, u.table(), u.idColumn(), u.tsColumn(), new ArrayList<>(sentTs.keySet()));
        double worst = 0;
        long compared = 0;
        String example = null;
        for (Map.Entry<String, Object> e : stored.entrySet()) {
            Instant s = instant(e.getValue());
            Instant sentAt = sentTs.get(e.getKey());
            if (s == null || sentAt == null) continue;
            compared++;
            double d = (s.toEpochMilli() - sentAt.toEpochMilli()) / 1000.0;
            if (Math.abs(d) > Math.abs(worst)) {
                worst = d;
                example = e.getKey() + ": sent " + sentAt + ", stored " + s;
            }
        }
        if (compared == 0) return null;
        double hours = Math.abs(worst) / 3600;
        String hint = Math.abs(worst) >= 3600 && Math.abs(hours - Math.rint(hours)) * 3600 < 2
                ? String.format(Locale.ROOT, "; a whole-hour offset (%+.0f h): a column or a parse that is not UTC-aware", Math.signum(worst) * Math.rint(hours)) : "";
        String text = String.format(Locale.ROOT, "largest skew %+.3f s over %d event(s) read back from %s%s%s", worst, compared, u.table(), hint,
                example == null ? "" : " (e.g. " + example + ")");
        return new ProbeSample(now, clock.now(), name, Math.abs(worst), compared, text, Optional.empty(), last);
    }

    /**
     * A stored value, read so that no JVM time zone enters: a {@code timestamptz} as the instant it holds, a
     * {@code timestamp without time zone} as its wall time (taken as UTC by {@link #instant}). Through
     * {@link java.sql.Timestamp} both would pass through the JVM's default zone, so skew would be off by the zone's
     * offset wherever the JVM does not run in UTC.
     */
    private static Object value(ResultSet rs, int col, String type) throws SQLException {
        if ("timestamptz".equals(type)) return rs.getObject(col, OffsetDateTime.class);
        if ("timestamp".equals(type)) return rs.getObject(col, LocalDateTime.class);
        return rs.getObject(col);
    }

    private static Instant instant(Object o) {
        if (o instanceof OffsetDateTime t) return t.toInstant();
        if (o instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC);
        if (o instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private ProbeSample lost(Connection c, String name, LostEvents l, List<Parsed> parsed, long now, boolean last) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (Parsed p : parsed) {
            String id = p.text(l.idField());
            if (id != null) ids.add(id);
        }
        double pct = 0;
        long checked = 0;
        List<String> parts = new ArrayList<>();
        if (!ids.isEmpty()) {
            Map<String, Object> found = readBack(c, l.table(), l.idColumn(), null, ids);
            long missing = ids.stream().filter(id -> !found.containsKey(id)).count();
            ReadBack rb = readBack;
            if (rb != null) for (Parsed p : parsed) {
                String id = p.text(l.idField());
                if (id != null) rb.checked(p.acceptedAt(), found.containsKey(id));
            }
            checked += ids.size();
            pct = missing * 100.0 / ids.size();
            parts.add(String.format(Locale.ROOT, "%d of %d sampled accepted event(s) not in %s", missing, ids.size(), l.table()));
        }
        if (l.scenarioColumn().isPresent() && (last || now >= nextCount)) {
            long accepted = last ? acceptedNow.getAsLong() : acceptedAt.applyAsLong(now - l.lag().toNanos());
            long rows;
            long t0 = clock.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("select count(*) from " + Tables.quote(l.table()) + " where "
                    + Tables.quote(l.scenarioColumn().get()) + " = ?")) {
                ps.setString(1, scenarioId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            // The count reads an index entry for every row of this run, so it costs more as the run goes: after a count
            // that took d, the next waits COUNT_SPACING × d (the sampled ids are still read back every poll, and the
            // last count is always made). It then takes at most 1/COUNT_SPACING of the database's time.
            long t1 = clock.nanoTime();
            nextCount = t1 + COUNT_SPACING * (t1 - t0);
            long deficit = Math.max(0, accepted - rows);
            double exact = accepted == 0 ? 0 : deficit * 100.0 / accepted;
            checked += accepted;
            pct = Math.max(pct, exact);
            parts.add(String.format(Locale.ROOT, "%d row(s) of this run in %s against %d accepted %s: %d missing", rows, l.table(), accepted,
                    last ? "(final, after the lag allowance)" : "by " + io.longrun.scenario.Durations.format(l.lag()) + " ago", deficit));
        }
        if (checked == 0) return null;
        return new ProbeSample(now, clock.now(), name, pct, checked, String.format(Locale.ROOT, "%.3f%% lost: ", pct) + String.join("; ", parts),
                Optional.empty(), last);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
