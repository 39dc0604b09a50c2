package io.longrun.target;

import io.longrun.scenario.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reference target's fault switches, so that every stop criterion can be exercised for real:
 * {@code latency=200ms}, {@code error_rate=0.2}, {@code down_after=20s}, {@code hot_loop=50/s}, {@code rate_limit=100/s}
 * (429 beyond that rate, as a gateway under back-pressure answers).
 */
public record Faults(Optional<Duration> latency, double errorRate, Optional<Duration> downAfter, double hotLoopPerSecond,
                     double rateLimitPerSecond) {
    public static final Faults NONE = new Faults(Optional.empty(), 0, Optional.empty(), 0, 0);
    static final List<String> KNOWN = List.of("latency", "error_rate", "down_after", "hot_loop", "rate_limit");

    /** Parses {@code --fault} values; every bad one is reported. */
    public static Faults parse(List<String> specs) throws IllegalArgumentException {
        Optional<Duration> latency = Optional.empty(), downAfter = Optional.empty();
        double errorRate = 0, hotLoop = 0, rateLimit = 0;
        List<String> problems = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String key = eq < 0 ? spec.trim() : spec.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : spec.substring(eq + 1).trim();
            String at = "--fault " + spec + ": ";
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
                case "hot_loop" -> {
                    Double d = rate(value);
                    if (d == null || d <= 0) problems.add(at + "hot_loop needs a rate, e.g. hot_loop=50/s or hot_loop=600/m");
                    else hotLoop = d;
                }
                case "rate_limit" -> {
                    Double d = rate(value);
                    if (d == null || d <= 0) problems.add(at + "rate_limit needs a rate, e.g. rate_limit=100/s");
                    else rateLimit = d;
                }
                default -> problems.add(at + "unknown fault \"" + key + "\"; known: " + String.join(", ", KNOWN));
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("\n", problems));
        return new Faults(latency, errorRate, downAfter, hotLoop, rateLimit);
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 50/s}, {@code 600/m}, {@code 600/min} or a bare number per second. */
    private static Double rate(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        double per = 1;
        if (v.endsWith("/s")) v = v.substring(0, v.length() - 2);
        else if (v.endsWith("/min")) {
            v = v.substring(0, v.length() - 4);
            per = 60;
        } else if (v.endsWith("/m")) {
            v = v.substring(0, v.length() - 2);
            per = 60;
        }
        Double d = number(v);
        return d == null ? null : d / per;
    }

    /** For the start-up banner: "latency=200ms error_rate=0.2". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        latency.ifPresent(d -> parts.add("latency=" + Durations.format(d)));
        if (errorRate > 0) parts.add("error_rate=" + errorRate);
        downAfter.ifPresent(d -> parts.add("down_after=" + Durations.format(d)));
        if (hotLoopPerSecond > 0) parts.add("hot_loop=" + hotLoopPerSecond + "/s");
        if (rateLimitPerSecond > 0) parts.add("rate_limit=" + rateLimitPerSecond + "/s");
        return parts.isEmpty() ? "none" : String.join(" ", parts);
    }
}
