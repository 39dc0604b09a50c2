package io.longrun.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A validated scenario: what to send, where, for how long, what to watch and when to stop.
 *
 * @param name     the scenario's name, used in the run folder and the run log
 * @param duration how long the generator runs
 * @param seed     the seed of every random choice; empty means "pick one and log it"
 * @param tick     the pacing tick: jitter is drawn and progress is logged once per tick
 * @param target   where events go
 * @param database the target's database, watched when present
 * @param emitters the traffic sources
 * @param watch    how often the side routes poll
 * @param stopWhen the stop criteria
 */
public record Scenario(
        String name,
        Duration duration,
        Optional<Long> seed,
        Duration tick,
        Target target,
        Optional<Database> database,
        List<Emitter> emitters,
        Watch watch,
        List<StopRule> stopWhen) {

    public Scenario {
        emitters = List.copyOf(emitters);
        stopWhen = List.copyOf(stopWhen);
    }

    /** The target service. {@code url} may be empty until flags or the environment give one. */
    public record Target(String url, Optional<String> healthUrl, Duration timeout, int maxInFlight) {}

    /** The target's PostgreSQL. The password is never here: only the name of the variable that holds it. */
    public record Database(String url, Optional<String> user, Optional<String> passwordEnv, List<String> tables) {
        public Database {
            tables = List.copyOf(tables);
        }
    }

    /** One traffic source. */
    public record Emitter(String name, String format, double rate, Schedule schedule) {}

    /**
     * When an emitter sends. The rate rises linearly from 0 over {@code rampUp} after {@code startAfter},
     * and falls to 0 over {@code rampDown} before {@code stopAfter} (the run's end when empty).
     * Each tick the rate is multiplied by a seeded draw from [1 - jitterPct, 1 + jitterPct].
     */
    public record Schedule(Duration startAfter, Optional<Duration> stopAfter, Duration rampUp, Duration rampDown, double jitterPct) {
        public static final Schedule ALWAYS = new Schedule(Duration.ZERO, Optional.empty(), Duration.ZERO, Duration.ZERO, 0);
    }

    /** How often the side routes poll. */
    public record Watch(Duration healthEvery, Duration dbEvery) {}

    /** Whether a breached criterion only alerts or also stops the run. */
    public enum Severity { WARN, ABORT }

    /**
     * A stop criterion: a condition, an optional grace period from the start, a severity and a name.
     */
    public record StopRule(String name, Severity severity, Duration after, Condition condition) {}

    /** The conditions a stop criterion can watch. */
    public sealed interface Condition {
        /** The YAML key of this kind of condition. */
        String kind();

        /** The condition in words, for plans and summaries. */
        String describe();
    }

    /** {@code health_failures: { consecutive: N }}: N health checks in a row failed. */
    public record HealthFailures(int consecutive) implements Condition {
        public String kind() { return "health_failures"; }

        public String describe() { return consecutive + " consecutive failed health checks"; }
    }

    /** {@code error_rate: { above_pct: X, for: W }}: the share of rejected and failed deliveries stayed above X for W. */
    public record ErrorRate(double abovePct, Duration window) implements Condition {
        public String kind() { return "error_rate"; }

        public String describe() {
            return "error rate above " + Num.text(abovePct) + "% for " + Durations.format(window);
        }
    }

    /** {@code table_growth: { table: T, above_per_min: N, for: W }}: rows of T grew faster than N per minute for W. */
    public record TableGrowth(String table, double abovePerMin, Duration window) implements Condition {
        public String kind() { return "table_growth"; }

        public String describe() {
            return "table " + table + " growing faster than " + Num.text(abovePerMin) + " rows/min for " + Durations.format(window);
        }
    }
}
