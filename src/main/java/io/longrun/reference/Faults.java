package io.longrun.reference;

import io.longrun.scenario.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The reference target's fault switches, one per longrun stop criterion, so that every criterion can be tripped
 * for real ({@code --fault SPEC}, repeatable):
 * <ul>
 * <li>{@code latency=200ms}: each POST /event and /ingest answers that much later;</li>
 * <li>{@code error_rate=0.2}: that share of requests answers 500;</li>
 * <li>{@code error_ramp=30%/m}: the share answering 500 rises from 0 by that much a minute (to 100%): an error
 * rate that rises and does not settle;</li>
 * <li>{@code down_after=20s}: health, POST /event and the evaluate endpoint answer 503 after that time;</li>
 * <li>{@code hot_loop=50/s}: the same deviation inserted continuously, each with a "scheduler tick" log line;</li>
 * <li>{@code rate_limit=100/s}: 429 beyond that rate, as a gateway under back-pressure answers;</li>
 * <li>{@code log_noise=N/m}: N ERROR and WARN lines a minute in the log;</li>
 * <li>{@code repeated_exception[=N/m]}: the same exception (ERROR line and stack trace) N times a minute (30);</li>
 * <li>{@code non_utc[=H]}: event timestamps stored H hours early (2), as a column or parse that is not UTC-aware does;</li>
 * <li>{@code slow_after=DUR}, {@code slow_latency=DUR}: after DUR every request takes slow_latency (800ms) longer;</li>
 * <li>{@code dup_deviations}: rule evaluation inserts a new deviation row each time a rule fires instead of upserting;</li>
 * <li>{@code db_bloat=N[MB][/m]}: the database grows by N MB a minute;</li>
 * <li>{@code lose=SHARE}: that share of new events answered 201 and not stored, chosen by {@link #lost(UUID, double)};</li>
 * <li>{@code no_reconnect}: after the first lost database connection the target never connects again ({@link DbGate});</li>
 * <li>{@code dup_events}: every new event is stored twice, the second row in {@code events_dup}, a child table of events;</li>
 * <li>{@code lenient}: events that should be rejected are answered 201 and stored as best it can ({@link Lenient}).</li>
 * </ul>
 * Every fault can also be switched on and off while the target runs ({@link LiveFaults}, {@link FaultApi}).
 */
public record Faults(Optional<Duration> latency, double errorRate, Optional<Duration> downAfter, double hotLoopPerSecond,
                     double rateLimitPerSecond, double logNoisePerMinute, double repeatedExceptionPerMinute, OptionalInt nonUtcHours,
                     Optional<Duration> slowAfter, Duration slowLatency, boolean dupDeviations, double dbBloatMbPerMinute, double loseShare,
                     double errorRampPerSecond, boolean noReconnect, boolean dupEvents, boolean lenient) {
    public static final Duration DEFAULT_SLOW_LATENCY = Duration.ofMillis(800);
    public static final double DEFAULT_REPEATED_EXCEPTION_PER_MINUTE = 30;
    public static final int DEFAULT_NON_UTC_HOURS = 2;
    public static final Faults NONE = new Faults(Optional.empty(), 0, Optional.empty(), 0, 0, 0, 0, OptionalInt.empty(), Optional.empty(),
            DEFAULT_SLOW_LATENCY, false, 0, 0, 0, false, false, false);
    static final List<String> KNOWN = List.of("latency", "error_rate", "down_after", "hot_loop", "rate_limit", "log_noise", "repeated_exception",
            "non_utc", "slow_after", "slow_latency", "dup_deviations", "db_bloat", "lose", "error_ramp", "no_reconnect", "dup_events", "lenient");

    /** The fault a SPEC names: its text before '=', lower-case ("Latency=2s" names latency). */
    public static String name(String spec) {
        int eq = spec.indexOf('=');
        return (eq < 0 ? spec : spec.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code --fault} values; every bad one is reported. */
    public static Faults parse(List<String> specs) throws IllegalArgumentException {
        return parse(specs, "--fault");
    }

    /**
     * Parses fault SPECs; every bad one is reported, each as "{@code label} SPEC: what is wrong" ({@code --fault} on
     * the command line, {@code fault} in the runtime fault API).
     */
    public static Faults parse(List<String> specs, String label) throws IllegalArgumentException {
        Optional<Duration> latency = Optional.empty(), downAfter = Optional.empty(), slowAfter = Optional.empty(), slowLatency = Optional.empty();
        double errorRate = 0, hotLoop = 0, rateLimit = 0, logNoise = 0, repeated = 0, bloat = 0, lose = 0, errorRamp = 0;
        OptionalInt nonUtc = OptionalInt.empty();
        boolean dup = false, noReconnect = false, dupEvents = false, lenient = false;
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String key = name(spec);
            String value = eq < 0 ? "" : spec.substring(eq + 1).trim();
            boolean given = eq >= 0;
            String at = label + " " + spec + ": ";
            if (KNOWN.contains(key) && !seen.add(key)) {
                problems.add(at + key + " is given more than once");
                continue;
            }
            switch (key) {
                case "latency" -> {
                    latency = Durations.parse(value);
                    if (latency.isEmpty()) problems.add(at + "latency needs a duration, e.g. latency=200ms");
                }
                case "down_after" -> {
                    downAfter = Durations.parse(value);
                    if (downAfter.isEmpty()) problems.add(at + "down_after needs a duration, e.g. down_after=20s");
                }
                case "error_rate" -> {
                    Double d = number(value);
                    if (d == null || d < 0 || d > 1) problems.add(at + "error_rate needs a share between 0 and 1, e.g. error_rate=0.2");
                    else errorRate = d;
                }
                case "error_ramp" -> {
                    int slash = value.indexOf('/');
                    Double d = slash < 0 ? null : share(value.substring(0, slash).trim());
                    Double per = d == null ? null : rate("1" + value.substring(slash), false); // the unit's share of a second: 1/m -> 1/60
                    if (d == null || per == null || d <= 0 || d > 1)
                        problems.add(at + "error_ramp needs a share per unit of time, above 0 and at most 100%, e.g. error_ramp=30%/m or error_ramp=0.01/s");
                    else errorRamp = d * per;
                }
                case "hot_loop" -> {
                    Double d = rate(value, true);
                    if (d == null || d <= 0) problems.add(at + "hot_loop needs a rate, e.g. hot_loop=50/s or hot_loop=600/m");
                    else hotLoop = d;
                }
                case "rate_limit" -> {
                    Double d = rate(value, true);
                    if (d == null || d <= 0) problems.add(at + "rate_limit needs a rate, e.g. rate_limit=100/s");
                    else rateLimit = d;
                }
                case "log_noise" -> {
                    Double d = rate(value, false);
                    if (d == null || d <= 0) problems.add(at + "log_noise needs a rate of lines with its unit, e.g. log_noise=30/m");
                    else logNoise = d * 60;
                }
                case "repeated_exception" -> {
                    Double d = given ? rate(value, false) : Double.valueOf(DEFAULT_REPEATED_EXCEPTION_PER_MINUTE / 60);
                    if (d == null || d <= 0)
                        problems.add(at + "repeated_exception needs a rate with its unit, e.g. repeated_exception=30/m (or no value: 30/m)");
                    else repeated = d * 60;
                }
                case "non_utc" -> {
                    Integer h = given ? hours(value) : Integer.valueOf(DEFAULT_NON_UTC_HOURS);
                    if (h == null || h == 0 || Math.abs(h) > 14)
                        problems.add(at + "non_utc needs a whole number of hours between -14 and 14, not 0, e.g. non_utc=2 (or no value: 2)");
                    else nonUtc = OptionalInt.of(h);
                }
                case "slow_after" -> {
                    slowAfter = Durations.parse(value);
                    if (slowAfter.isEmpty()) problems.add(at + "slow_after needs a duration, e.g. slow_after=5m");
                }
                case "slow_latency" -> {
                    slowLatency = Durations.parse(value).filter(d -> !d.isZero());
                    if (slowLatency.isEmpty()) problems.add(at + "slow_latency needs a duration above 0, e.g. slow_latency=800ms");
                }
                case "dup_deviations" -> {
                    if (given) problems.add(at + "dup_deviations takes no value: write " + label + " dup_deviations");
                    else dup = true;
                }
                case "db_bloat" -> {
                    Double d = megabytesPerMinute(value);
                    if (d == null || d <= 0) problems.add(at + "db_bloat needs megabytes per minute, e.g. db_bloat=50, db_bloat=50MB/m or db_bloat=1MB/s");
                    else bloat = d;
                }
                case "lose" -> {
                    Double d = share(value);
                    if (d == null || d <= 0 || d > 1) problems.add(at + "lose needs a share above 0 and at most 1, e.g. lose=0.01 or lose=1%");
                    else lose = d;
                }
                case "no_reconnect", "dup_events", "lenient" -> {
                    if (given) problems.add(at + key + " takes no value: write " + label + " " + key);
                    else if (key.equals("no_reconnect")) noReconnect = true;
                    else if (key.equals("dup_events")) dupEvents = true;
                    else lenient = true;
                }
                default -> problems.add(at + "unknown fault \"" + key + "\"; known: " + String.join(", ", KNOWN));
            }
        }
        if (seen.contains("slow_latency") && !seen.contains("slow_after"))
            problems.add(label + " slow_latency: slow_latency needs slow_after=DUR as well (when the slowness starts), e.g. " + label + " slow_after=5m");
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("\n", problems));
        return new Faults(latency, errorRate, downAfter, hotLoop, rateLimit, logNoise, repeated, nonUtc, slowAfter,
                slowLatency.orElse(DEFAULT_SLOW_LATENCY), dup, bloat, lose, errorRamp, noReconnect, dupEvents, lenient);
    }

    /**
     * Whether fault {@code lose} drops this event: CRC-32 of the id's lower-case text (UTF-8), as an unsigned
     * 32-bit number divided by 2^32, below {@code share}. Any language can compute it (Python:
     * {@code zlib.crc32(id.lower().encode()) / 2**32 < share}).
     */
    public static boolean lost(UUID id, double share) {
        if (share <= 0) return false;
        CRC32 crc = new CRC32();
        crc.update(id.toString().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return crc.getValue() / 4294967296.0 < share;
    }

    /** The share of requests that answer 500 {@code elapsedNanos} after error_ramp was switched on: error_rate plus the ramp's rise, at most 1. */
    public double errorShareAt(long elapsedNanos) {
        return Math.min(1, errorRate + errorRampPerSecond * elapsedNanos / 1e9);
    }

    /** Whether any fault needs the periodic fault loop (hot_loop, log_noise, repeated_exception, db_bloat). */
    public boolean anyLoop() {
        return hotLoopPerSecond > 0 || logNoisePerMinute > 0 || repeatedExceptionPerMinute > 0 || dbBloatMbPerMinute > 0;
    }

    private static Double number(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer hours(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        if (v.endsWith("h")) v = v.substring(0, v.length() - 1);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 0.01} or {@code 1%}. */
    private static Double share(String s) {
        if (s.endsWith("%")) {
            Double d = number(s.substring(0, s.length() - 1).trim());
            return d == null ? null : d / 100;
        }
        return number(s);
    }

    /** Per second: {@code 50/s}, {@code 600/m}, {@code 600/min}, {@code 3600/h}; a bare number only when {@code bare}. */
    private static Double rate(String s, boolean bare) {
        String v = s.toLowerCase(Locale.ROOT).replace(" ", "");
        double per;
        if (v.endsWith("/s")) per = 1;
        else if (v.endsWith("/min")) per = 60;
        else if (v.endsWith("/m")) per = 60;
        else if (v.endsWith("/h")) per = 3600;
        else if (bare) per = 1;
        else return null;
        if (v.contains("/")) v = v.substring(0, v.indexOf('/'));
        Double d = number(v);
        return d == null ? null : d / per;
    }

    /** {@code 50}, {@code 50MB}, {@code 50MB/m}, {@code 1MB/s}, {@code 600MB/h}: megabytes per minute (a bare number is per minute). */
    private static Double megabytesPerMinute(String s) {
        String v = s.toLowerCase(Locale.ROOT).replace(" ", "");
        double perMinute = 1;
        int slash = v.indexOf('/');
        if (slash >= 0) {
            String unit = v.substring(slash + 1);
            perMinute = switch (unit) {
                case "s" -> 60;
                case "m", "min" -> 1;
                case "h" -> 1.0 / 60;
                default -> Double.NaN;
            };
            if (Double.isNaN(perMinute)) return null;
            v = v.substring(0, slash);
        }
        if (v.endsWith("mb")) v = v.substring(0, v.length() - 2);
        Double d = number(v);
        return d == null ? null : d * perMinute;
    }

    /** For the start-up banner: "latency=200ms error_rate=0.2". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        latency.ifPresent(d -> parts.add("latency=" + Durations.format(d)));
        if (errorRate > 0) parts.add("error_rate=" + errorRate);
        if (errorRampPerSecond > 0) parts.add("error_ramp=" + num(errorRampPerSecond * 6000) + "%/m");
        downAfter.ifPresent(d -> parts.add("down_after=" + Durations.format(d)));
        if (hotLoopPerSecond > 0) parts.add("hot_loop=" + num(hotLoopPerSecond) + "/s");
        if (rateLimitPerSecond > 0) parts.add("rate_limit=" + num(rateLimitPerSecond) + "/s");
        if (logNoisePerMinute > 0) parts.add("log_noise=" + num(logNoisePerMinute) + "/m");
        if (repeatedExceptionPerMinute > 0) parts.add("repeated_exception=" + num(repeatedExceptionPerMinute) + "/m");
        nonUtcHours.ifPresent(h -> parts.add("non_utc=" + h));
        slowAfter.ifPresent(d -> parts.add("slow_after=" + Durations.format(d) + " slow_latency=" + Durations.format(slowLatency)));
        if (dupDeviations) parts.add("dup_deviations");
        if (dbBloatMbPerMinute > 0) parts.add("db_bloat=" + num(dbBloatMbPerMinute) + "MB/m");
        if (loseShare > 0) parts.add("lose=" + num(loseShare));
        if (noReconnect) parts.add("no_reconnect");
        if (dupEvents) parts.add("dup_events");
        if (lenient) parts.add("lenient");
        return parts.isEmpty() ? "none" : String.join(" ", parts);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
