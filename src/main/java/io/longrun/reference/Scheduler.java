package io.longrun.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.metrics.TargetMetrics;
import io.longrun.pace.Clock;
import io.longrun.scenario.Durations;
import io.longrun.scenario.TargetRules;
import io.longrun.scenario.TargetRules.Rule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The reference target's rule engine (seed 003's scheduler): each rule finds the subjects that went quiet (a
 * {@code category} event within {@code lookback}, none for {@code absent_for}) and upserts one deviation per (rule,
 * subject): the row of that pair is updated ({@code hits + 1}, {@code updated_at}, {@code window_end}), or inserted
 * when there is none. Fault {@code dup_deviations} inserts every time instead, the runbook's "same deviation persisted
 * over and over". The timer route calls {@link #tick} every {@link #periodMillis} (the greatest common divisor of the
 * scheduled rules' {@code every}); {@code POST /deviations/evaluate} calls {@link #evaluate} with every rule.
 */
public final class Scheduler {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Serialises rule evaluation across target processes sharing a database (pg_advisory_xact_lock). */
    static final long LOCK = 0x6c6f6e6772756eL; // "longrun"

    /** One evaluation: rules evaluated, subjects looked at, deviation rows written (inserted plus updated), its time. */
    public record Result(int evaluated, int subjects, int upserted, int inserted, int updated, long tookMs) {
        /** The evaluate endpoint's answer. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("evaluated", evaluated);
            m.put("subjects", subjects);
            m.put("upserted", upserted);
            m.put("inserted", inserted);
            m.put("updated", updated);
            m.put("took_ms", tookMs);
            return m;
        }

        public String describe() {
            return String.format(Locale.ROOT, "evaluated %d rule(s) over %d subject(s): %d deviation(s) upserted (%d inserted, %d updated) in %d ms",
                    evaluated, subjects, upserted, inserted, updated, tookMs);
        }
    }

    private final DataSource ds;
    private final TargetRules rules;
    private final BooleanSupplier duplicate;
    private final TargetLog log;
    private final TargetMetrics metrics;
    private final Clock clock;
    private final long periodMs;
    private long ticks;

    public Scheduler(DataSource ds, TargetRules rules, boolean duplicate, TargetLog log, TargetMetrics metrics, Clock clock) {
        this(ds, rules, () -> duplicate, log, metrics, clock);
    }

    /** {@code duplicate}: whether fault dup_deviations is on, asked at each evaluation. */
    public Scheduler(DataSource ds, TargetRules rules, BooleanSupplier duplicate, TargetLog log, TargetMetrics metrics, Clock clock) {
        this.ds = ds;
        this.rules = rules;
        this.duplicate = duplicate;
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
        this.periodMs = period(rules.scheduled());
    }

    /** The timer's period: the greatest common divisor of the scheduled rules' {@code every}, in ms (0: none scheduled). */
    static long period(List<Rule> scheduled) {
        long g = 0;
        for (Rule r : scheduled) g = gcd(g, r.every().toMillis());
        return g;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The rules due at timer tick {@code n} (1 is the first, one period after the start): every is a multiple of the period. */
    static List<Rule> due(List<Rule> scheduled, long periodMs, long n) {
        return scheduled.stream().filter(r -> n % (r.every().toMillis() / periodMs) == 0).toList();
    }

    /**
     * The subjects that deviate: last seen (a {@code category} event within the lookback) more than {@code absentFor}
     * before {@code now}, in name order.
     */
    static Map<String, Instant> absent(Map<String, Instant> lastSeen, Instant now, Duration absentFor) {
        Map<String, Instant> out = new TreeMap<>();
        Instant cut = now.minus(absentFor);
        lastSeen.forEach((subject, t) -> {
            if (t.isBefore(cut)) out.put(subject, t);
        });
        return out;
    }

    public long periodMillis() {
        return periodMs;
    }

    public TargetRules rules() {
        return rules;
    }

    /** The timer route: evaluates the rules that are due and logs a "scheduler tick" line. */
    public void tick() {
        List<Rule> due = due(rules.scheduled(), periodMs, ++ticks);
        if (due.isEmpty()) return;
        metrics.tick();
        try {
            Result r = evaluate(due, "scheduler");
            log.info("scheduler", "scheduler tick: " + r.describe());
        } catch (SQLException | RuntimeException e) {
            log.error("scheduler", "scheduler tick failed: " + firstLine(e));
        }
    }

    /** POST /deviations/evaluate: every rule, now. */
    public Result evaluateAll() throws SQLException {
        return evaluate(rules.rules(), "evaluate");
    }

    synchronized Result evaluate(List<Rule> list, String source) throws SQLException {
        long t0 = clock.nanoTime();
        Instant now = clock.now();
        int subjects = 0, inserted = 0, updated = 0;
        boolean duplicate = this.duplicate.getAsBoolean();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, LOCK);
                    lock.execute();
                }
                for (Rule r : list) {
                    Map<String, Instant> seen = lastSeen(c, r, now);
                    subjects += seen.size();
                    for (Map.Entry<String, Instant> e : absent(seen, now, r.absentFor()).entrySet()) {
                        String details = details(r, e.getValue(), source);
                        if (!duplicate && update(c, r, e.getKey(), e.getValue(), now, details)) updated++;
                        else {
                            insert(c, r, e.getKey(), e.getValue(), now, details);
                            inserted++;
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        metrics.upserted(inserted + updated);
        return new Result(list.size(), subjects, inserted + updated, inserted, updated, (clock.nanoTime() - t0) / 1_000_000);
    }

    /** Per subject, its last {@code category} event within the lookback. */
    private static Map<String, Instant> lastSeen(Connection c, Rule r, Instant now) throws SQLException {
        Map<String, Instant> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select payload->>? as subject, max(\"timestamp\") from events "
                + "where category = ? and \"timestamp\" >= ? and payload->>? is not null group by 1")) {
            ps.setString(1, r.subject());
            ps.setString(2, r.category());
            ps.setObject(3, OffsetDateTime.ofInstant(now.minus(r.lookback()), ZoneOffset.UTC));
            ps.setString(4, r.subject());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return out;
    }

    private static String details(Rule r, Instant lastSeen, String source) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("category", r.category());
        d.put("absent_for", Durations.format(r.absentFor()));
        d.put("last_seen", lastSeen.toString());
        d.put("source", source);
        try {
            return JSON.writeValueAsString(d);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{}";
        }
    }

    /** Updates the latest row of (rule, subject); false when there is none. */
    private static boolean update(Connection c, Rule r, String subject, Instant lastSeen, Instant now, String details) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update deviations set severity = ?, window_start = ?, window_end = ?, details = ?::jsonb, "
                + "hits = hits + 1, updated_at = clock_timestamp() "
                + "where id = (select max(id) from deviations where rule = ? and subject = ?)")) {
            ps.setString(1, r.severity());
            ps.setObject(2, OffsetDateTime.ofInstant(lastSeen, ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(4, details);
            ps.setString(5, r.name());
            ps.setString(6, subject);
            return ps.executeUpdate() > 0;
        }
    }

    private static void insert(Connection c, Rule r, String subject, Instant lastSeen, Instant now, String details) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into deviations (rule, subject, severity, window_start, window_end, details) "
                + "values (?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setString(1, r.name());
            ps.setString(2, subject);
            ps.setString(3, r.severity());
            ps.setObject(4, OffsetDateTime.ofInstant(lastSeen, ZoneOffset.UTC));
            ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(6, details);
            ps.executeUpdate();
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.split("\n")[0];
    }
}
