package io.longrun.reference;

import io.longrun.metrics.TargetMetrics;
import io.longrun.pace.Clock;
import io.longrun.random.SplitMix;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/**
 * The faults that act on their own, on the fault-loop route's timer (every 100 ms): hot_loop, log_noise,
 * repeated_exception and db_bloat. Each one's count is due from the first tick ({@link Due}), not from the previous
 * tick, so a late timer catches up and nothing drifts.
 */
public final class FaultLoops {
    /** Fault db_bloat writes rows of at most this many bytes, once at least {@link #MIN_CHUNK} is due. */
    static final int MAX_CHUNK = 1 << 20, MIN_CHUNK = 64 << 10;
    static final double MB = 1048576;

    /** The same exception every time (its first line is what repeated_exception counts). */
    static final List<String> EXCEPTION = List.of(
            "java.lang.IllegalStateException: deviation window overlaps an open window for rule no_motion, subject kitchen",
            "\tat io.longrun.reference.Scheduler.persist(Scheduler.java:212)",
            "\tat io.longrun.reference.Scheduler.evaluate(Scheduler.java:148)",
            "\tat io.longrun.reference.Scheduler.tick(Scheduler.java:121)",
            "\tat org.apache.camel.component.bean.MethodInfo.invoke(MethodInfo.java:496)",
            "\tat org.apache.camel.component.timer.TimerConsumer.sendTimerExchange(TimerConsumer.java:293)",
            "Caused by: org.postgresql.util.PSQLException: could not serialize access due to concurrent update",
            "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)",
            "\t... 6 more");

    /** log_noise's lines: realistic complaints, none of them an exception's first line. */
    static final List<String[]> NOISE = List.of(
            new String[] {"ERROR", "persist", "failed to upsert deviation for subject kitchen: connection reset, retrying"},
            new String[] {"WARN", "api", "slow request POST /event took 2300 ms"},
            new String[] {"ERROR", "rule_engine", "rule no_motion evaluation returned no result for subject hall"},
            new String[] {"WARN", "persist", "retrying database write (attempt 3 of 5)"},
            new String[] {"ERROR", "api", "payload validation failed for device sensor-17: missing field state"},
            new String[] {"WARN", "scheduler", "evaluation took longer than its period (31 s > 30 s)"});

    /** A count due at a constant rate since the first take: floor(rate × elapsed), handed out once. */
    static final class Due {
        private final double perSecond;
        private long start = Long.MIN_VALUE;
        private long taken;

        Due(double perSecond) {
            this.perSecond = perSecond;
        }

        /** How many are newly due at {@code now} (monotonic nanoseconds); the first call starts the clock. */
        long take(long now) {
            if (perSecond <= 0) return 0;
            if (start == Long.MIN_VALUE) start = now;
            long due = (long) Math.floor(perSecond * ((now - start) / 1e9));
            long n = Math.max(0, due - taken);
            taken += n;
            return n;
        }
    }

    private final DataSource ds;
    private final TargetLog log;
    private final TargetMetrics metrics;
    private final Clock clock;
    private final LiveFaults live;
    private Faults seen;
    private Due hot, noise, exceptions, bloat;
    private final SplitMix.Stream random = new SplitMix.Stream(42, 7, 0);
    private long noiseLines, pendingBytes;

    public FaultLoops(DataSource ds, Faults faults, TargetLog log, TargetMetrics metrics, Clock clock) {
        this(ds, LiveFaults.of(faults, clock), log, metrics, clock);
    }

    /** The loop faults that are on in {@code live} at each tick: one switched on or changed at run time counts from then. */
    public FaultLoops(DataSource ds, LiveFaults live, TargetLog log, TargetMetrics metrics, Clock clock) {
        this.ds = ds;
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
        this.live = live;
        follow(live.faults());
    }

    /** New counts for the rates that changed; the others go on. */
    private void follow(Faults f) {
        Faults was = seen;
        seen = f;
        if (was == null || was.hotLoopPerSecond() != f.hotLoopPerSecond()) hot = new Due(f.hotLoopPerSecond());
        if (was == null || was.logNoisePerMinute() != f.logNoisePerMinute()) noise = new Due(f.logNoisePerMinute() / 60);
        if (was == null || was.repeatedExceptionPerMinute() != f.repeatedExceptionPerMinute())
            exceptions = new Due(f.repeatedExceptionPerMinute() / 60);
        if (was == null || was.dbBloatMbPerMinute() != f.dbBloatMbPerMinute()) {
            bloat = new Due(f.dbBloatMbPerMinute() * MB / 60);
            pendingBytes = 0;
        }
    }

    /** The fault-loop route, every 100 ms. */
    public void tick() {
        Faults f = live.faults();
        if (f != seen) follow(f);
        long now = clock.nanoTime();
        try {
            hotLoop(hot.take(now));
        } catch (SQLException e) {
            log.error("scheduler", "hot loop insert failed: " + Scheduler.firstLine(e));
        }
        for (long i = noise.take(now); i > 0; i--) {
            String[] n = NOISE.get((int) (noiseLines++ % NOISE.size()));
            log.write(TargetLog.Level.valueOf(n[0]), n[1], n[2], List.of());
        }
        for (long i = exceptions.take(now); i > 0; i--)
            log.write(TargetLog.Level.ERROR, "scheduler", "rule evaluation failed for rule no_motion", EXCEPTION);
        pendingBytes += bloat.take(now);
        if (pendingBytes >= MIN_CHUNK) {
            try {
                bloat();
            } catch (SQLException e) {
                log.error("db", "bloat insert failed: " + Scheduler.firstLine(e));
            }
        }
    }

    /** Fault hot_loop: the same deviation inserted again, n times, each with a scheduler tick line, as a stuck scheduler would. */
    private void hotLoop(long n) throws SQLException {
        if (n <= 0) return;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into deviations (rule, subject, severity, window_start, window_end, details) "
                        + "select 'no_motion', 'kitchen', 'warning', ?, ?, '{\"source\":\"hot_loop\"}'::jsonb from generate_series(1, ?)")) {
            OffsetDateTime t = OffsetDateTime.ofInstant(clock.now(), ZoneOffset.UTC);
            ps.setObject(1, t);
            ps.setObject(2, t);
            ps.setLong(3, n);
            ps.executeUpdate();
        }
        for (long i = 0; i < n; i++) {
            metrics.tick();
            log.info("scheduler", "scheduler tick: persisted deviation no_motion/kitchen again (fault hot_loop)");
        }
    }

    /** Fault db_bloat: what is due, as rows of random (incompressible) bytes. */
    private void bloat() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("insert into bloat (data) values (?)")) {
            while (pendingBytes >= MIN_CHUNK) {
                int size = (int) Math.min(MAX_CHUNK, pendingBytes);
                byte[] data = new byte[size];
                for (int i = 0; i < size; i += 8) {
                    long r = random.nextLong();
                    for (int b = 0; b < 8 && i + b < size; b++) data[i + b] = (byte) (r >>> (8 * b));
                }
                ps.setBytes(1, data);
                ps.executeUpdate();
                pendingBytes -= size;
            }
        }
    }
}
