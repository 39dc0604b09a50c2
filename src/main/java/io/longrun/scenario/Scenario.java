package io.longrun.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * @param runbook  the rest of the runbook: the evaluate timer, alert hooks, end-of-run assertions
 * @param proxies  the TCP proxies in the traffic's path, which network faults name
 * @param faultEngine which engine applies network faults: the embedded proxy or a Toxiproxy server
 * @param experiment the phases of a fault experiment and how recovery is judged, when the scenario has phases
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
        List<StopRule> stopWhen,
        Runbook runbook,
        List<ProxySpec> proxies,
        FaultEngineSpec faultEngine,
        Optional<Experiment> experiment) {

    /** The duration of a run that goes until its recordings end. */
    public static final Duration UNTIL_DONE = Duration.ofDays(3650);

    public Scenario {
        emitters = List.copyOf(emitters);
        stopWhen = List.copyOf(stopWhen);
        proxies = List.copyOf(proxies);
    }

    /** The start of each phase by name, in seconds since the run's start (empty without phases): what value profiles' {@code at} may name. */
    public Map<String, Double> phaseStarts() {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        experiment.ifPresent(x -> {
            List<Duration> starts = x.starts();
            for (int i = 0; i < x.phases().size(); i++) out.put(x.phases().get(i).name(), Durations.seconds(starts.get(i)));
        });
        return out;
    }

    /** A scenario without phases. */
    public Scenario(String name, Duration duration, Optional<Long> seed, Duration tick, Target target, Optional<Database> database,
                    List<Emitter> emitters, Watch watch, List<StopRule> stopWhen, Runbook runbook, List<ProxySpec> proxies,
                    FaultEngineSpec faultEngine) {
        this(name, duration, seed, tick, target, database, emitters, watch, stopWhen, runbook, proxies, faultEngine, Optional.empty());
    }

    /** A scenario without proxies, whose faults (if any) would go to the embedded engine. */
    public Scenario(String name, Duration duration, Optional<Long> seed, Duration tick, Target target, Optional<Database> database,
                    List<Emitter> emitters, Watch watch, List<StopRule> stopWhen, Runbook runbook) {
        this(name, duration, seed, tick, target, database, emitters, watch, stopWhen, runbook, List.of(), FaultEngineSpec.EMBEDDED);
    }

    /**
     * The target service. {@code url} may be empty until flags or the environment give one. {@code healthFollow}: whether
     * {@code --target-url} moved the file's health_url along, or left it on another host (see {@link HealthUrls}).
     */
    public record Target(String url, Optional<String> healthUrl, Duration timeout, int maxInFlight, HealthUrls.Follow healthFollow,
                         double catchUp) {
        public Target(String url, Optional<String> healthUrl, Duration timeout, int maxInFlight) {
            this(url, healthUrl, timeout, maxInFlight, HealthUrls.Follow.AS_GIVEN);
        }

        public Target(String url, Optional<String> healthUrl, Duration timeout, int maxInFlight, HealthUrls.Follow healthFollow) {
            this(url, healthUrl, timeout, maxInFlight, healthFollow, io.longrun.pace.CatchUp.DEFAULT_CAP);
        }
    }

    /**
     * The target's PostgreSQL and the tables watched in it. The password is never here: only the name of the variable
     * that holds it.
     */
    public record Database(String url, Optional<String> user, Optional<String> passwordEnv, List<WatchedTable> watched) {
        public Database {
            watched = List.copyOf(watched);
        }

        /** The watched tables' names, in order. */
        public List<String> tables() {
            return watched.stream().map(WatchedTable::name).toList();
        }
    }

    /**
     * One traffic source: what it sends ({@code format} and its options), how fast (a plateau {@code rate} with a
     * {@code schedule}, or {@code stages}, or a seed 002 {@code interval}), how events are placed ({@code arrivals}),
     * and where (the target's URL unless {@code url} overrides it, with extra {@code headers}).
     */
    public record Emitter(String name, String format, FormatOptions options, double rate, Schedule schedule, List<Stage> stages,
                          double startRate, io.longrun.pace.Arrivals arrivals, Optional<Interval> interval, Optional<String> url,
                          Map<String, String> headers, Optional<io.longrun.replay.ReplaySpec> replay) {
        public Emitter {
            stages = List.copyOf(stages);
            headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        }

        /** A plain emitter: a format at a rate on a schedule. */
        public static Emitter of(String name, String format, double rate, Schedule schedule) {
            return new Emitter(name, format, FormatOptions.DEFAULT, rate, schedule, List.of(), 0, io.longrun.pace.Arrivals.UNIFORM,
                    Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
        }

        /** The same emitter with its rates (plateau, stages, start) multiplied by k. */
        public Emitter scaled(double k) {
            return new Emitter(name, format, options, rate * k, schedule, stages.stream().map(s -> new Stage(s.duration(), s.rate() * k)).toList(),
                    startRate * k, arrivals, interval, url, headers, replay);
        }

        /** The plateau rate in events per second: the rate, the highest stage, or one per interval (0 for a replay at its own pace). */
        public double peakRate() {
            if (replay.isPresent()) return replay.get().rate().orElse(0.0);
            if (interval.isPresent()) return 1 / Durations.seconds(interval.get().every());
            if (!stages.isEmpty()) return Math.max(startRate, stages.stream().mapToDouble(Stage::rate).max().orElse(0));
            return rate;
        }
    }

    /** A stage of a ramping rate: linear from the previous stage's rate to {@code rate} over {@code duration}. */
    public record Stage(Duration duration, double rate) {}

    /** Seed 002's pacing: one event, then a pause of {@code every ± jitter} (uniform), and again. */
    public record Interval(Duration every, Duration jitter) {}

    /**
     * What the formats can be told. {@code batchSize}: records per request (batch formats); {@code partialRatio}:
     * the share of records missing fields (json, csv, syslog); {@code chaos}: how wild noise records are (0..1);
     * {@code levels}: the weights of log levels; {@code header}: a CSV header line; {@code syslog}: 5424 or 3164;
     * {@code template}: the template format's JSON; {@code service}: the service name in log records; {@code user}: a
     * user format's own options ({@code format: { class: ..., KEY: value }}), as plain Java values.
     */
    public record FormatOptions(int batchSize, double partialRatio, double chaos, Map<String, Double> levels, boolean header,
                                int syslog, Optional<com.fasterxml.jackson.databind.JsonNode> template, String service,
                                Map<String, io.longrun.generate.Profile> profiles, Map<String, Object> user) {
        public FormatOptions {
            profiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(profiles));
            user = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(user));
        }

        /** Options without a user format's own. */
        public FormatOptions(int batchSize, double partialRatio, double chaos, Map<String, Double> levels, boolean header,
                             int syslog, Optional<com.fasterxml.jackson.databind.JsonNode> template, String service,
                             Map<String, io.longrun.generate.Profile> profiles) {
            this(batchSize, partialRatio, chaos, levels, header, syslog, template, service, profiles, Map.of());
        }

        /** Options without value profiles. */
        public FormatOptions(int batchSize, double partialRatio, double chaos, Map<String, Double> levels, boolean header,
                             int syslog, Optional<com.fasterxml.jackson.databind.JsonNode> template, String service) {
            this(batchSize, partialRatio, chaos, levels, header, syslog, template, service, Map.of());
        }

        /** The same options with the profiles' phase names replaced by the phases' start times (seconds). */
        public FormatOptions withPhaseStarts(Map<String, Double> starts) {
            Map<String, io.longrun.generate.Profile> resolved = new java.util.LinkedHashMap<>();
            profiles.forEach((k, v) -> resolved.put(k, v.resolve(starts)));
            return new FormatOptions(batchSize, partialRatio, chaos, levels, header, syslog, template, service, resolved, user);
        }

        /** Seed 002's level mix: 70% INFO, 15% DEBUG, 10% WARN, 4% ERROR, 1% CRITICAL. */
        public static final Map<String, Double> LEVELS = defaultLevels();
        public static final FormatOptions DEFAULT = new FormatOptions(10, 0, 0.5, LEVELS, false, 5424, Optional.empty(), "longrun");

        private static Map<String, Double> defaultLevels() {
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("INFO", 70.0);
            m.put("DEBUG", 15.0);
            m.put("WARN", 10.0);
            m.put("ERROR", 4.0);
            m.put("CRITICAL", 1.0);
            return java.util.Collections.unmodifiableMap(m);
        }
    }

    /**
     * When an emitter sends. The rate rises linearly from 0 over {@code rampUp} after {@code startAfter},
     * and falls to 0 over {@code rampDown} before {@code stopAfter} (the run's end when empty).
     * Each tick the rate is multiplied by a seeded draw from [1 - jitterPct, 1 + jitterPct].
     */
    public record Schedule(Duration startAfter, Optional<Duration> stopAfter, Duration rampUp, Duration rampDown, double jitterPct) {
        public static final Schedule ALWAYS = new Schedule(Duration.ZERO, Optional.empty(), Duration.ZERO, Duration.ZERO, 0);
    }

    /**
     * How often the side routes poll, and the target's log files: {@code logs} are tailed every {@code logsEvery};
     * {@code levels} are the regular expressions that tell a line's level (ERROR, WARN, ...).
     */
    public record Watch(Duration healthEvery, Duration dbEvery, List<String> logs, Duration logsEvery, Map<String, String> levels) {
        public Watch {
            logs = List.copyOf(logs);
            levels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(levels));
        }

        public Watch(Duration healthEvery, Duration dbEvery) {
            this(healthEvery, dbEvery, List.of(), Duration.ofSeconds(1), DEFAULT_LEVELS);
        }

        /** A line's level: the word ERROR (or WARN, ...) standing alone, as log formats write it. */
        public static final Map<String, String> DEFAULT_LEVELS = Map.of(
                "CRITICAL", "\\b(CRITICAL|FATAL)\\b", "ERROR", "\\b(ERROR|SEVERE)\\b", "WARN", "\\bWARN(ING)?\\b");
    }

    /**
     * What a runbook holds beside the stop criteria: mode B's evaluate timer, where alerts go, the end-of-run
     * assertions, and the lag allowance: how long after the generator stops the target may take to store
     * what it accepted, before assertions and the final loss check.
     */
    public record Runbook(Optional<Evaluate> evaluate, Alerts alerts, List<Assertions.Assertion> asserts, Duration lagAllowance) {
        public static final Runbook NONE = new Runbook(Optional.empty(), Alerts.NONE, List.of(), Duration.ofSeconds(5));

        public Runbook {
            asserts = List.copyOf(asserts);
        }
    }

    /** Seed 003's mode B: POST to the target's evaluate endpoint every {@code every}. */
    public record Evaluate(String url, Duration every) {}

    /** Where alerts go beside the console and the run log: a webhook in Alertmanager's format or plain JSON. */
    public record Alerts(Optional<String> webhook, String format) {
        public static final Alerts NONE = new Alerts(Optional.empty(), "json");
    }

    /** Whether a breached criterion only alerts or also stops the run. */
    public enum Severity { WARN, ABORT }

    /**
     * A stop criterion: a condition, an optional grace period from the start, a severity and a name.
     */
    public record StopRule(String name, Severity severity, Duration after, Condition condition) {}

    /** The conditions a stop criterion can watch: these four and the ones in {@link Conditions}. */
    public interface Condition {
        /** The YAML key of this kind of condition. */
        String kind();

        /** The condition in words, for plans and summaries. */
        String describe();

        /** The condition's settings under their YAML names, for the run log's resolved configuration and reports. */
        Map<String, Object> params();
    }

    /**
     * {@code health_failures: { consecutive: N }}: N health checks in a row failed; or
     * {@code health_failures: { share_pct: X, for: W }}: more than X% of the checks in the last W failed.
     */
    public record HealthFailures(int consecutive, double sharePct, Duration window) implements Condition {
        public HealthFailures(int consecutive) {
            this(consecutive, 0, Duration.ZERO);
        }

        public boolean byShare() { return consecutive <= 0; }

        public String kind() { return "health_failures"; }

        public String describe() {
            return byShare() ? "more than " + Num.text(sharePct) + "% of health checks failed over " + Durations.format(window)
                    : consecutive + " consecutive failed health checks";
        }

        public Map<String, Object> params() {
            return byShare() ? Conditions.params("share_pct", sharePct, "for", window) : Conditions.params("consecutive", consecutive);
        }
    }

    /** {@code error_rate: { above_pct: X, for: W }}: the share of rejected and failed deliveries stayed above X for W. */
    public record ErrorRate(double abovePct, Duration window) implements Condition {
        public String kind() { return "error_rate"; }

        public String describe() {
            return "error rate above " + Num.text(abovePct) + "% for " + Durations.format(window);
        }

        public Map<String, Object> params() {
            return Conditions.params("above_pct", abovePct, "for", window);
        }
    }

    /** {@code schedule_not_met: { dropped_pct_above: X, for: W }}: more than X% of due events were dropped, for W. */
    public record ScheduleNotMet(double droppedPctAbove, Duration window) implements Condition {
        public String kind() { return "schedule_not_met"; }

        public String describe() {
            return "more than " + Num.text(droppedPctAbove) + "% of due events dropped for " + Durations.format(window);
        }

        public Map<String, Object> params() {
            return Conditions.params("dropped_pct_above", droppedPctAbove, "for", window);
        }
    }

    /** {@code table_growth: { table: T, above_per_min: N, for: W }}: rows of T grew faster than N per minute for W. */
    public record TableGrowth(String table, double abovePerMin, Duration window) implements Condition {
        public String kind() { return "table_growth"; }

        public String describe() {
            return "table " + table + " growing faster than " + Num.text(abovePerMin) + " rows/min for " + Durations.format(window);
        }

        public Map<String, Object> params() {
            return Conditions.params("table", table, "above_per_min", abovePerMin, "for", window);
        }
    }

    /** The same scenario, its network faults applied by another engine (--toxiproxy). */
    public Scenario withFaultEngine(FaultEngineSpec engine) {
        return new Scenario(name, duration, seed, tick, target, database, emitters, watch, stopWhen, runbook, proxies, engine, experiment);
    }
}
