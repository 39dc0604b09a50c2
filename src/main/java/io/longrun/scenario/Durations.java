package io.longrun.scenario;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human durations: {@code 250ms}, {@code 90s}, {@code 15m}, {@code 6h}, {@code 1h30m}, {@code 1.5s}, {@code 1h 0m 32s}.
 * Two ways to print one: {@link #format} for a setting (compact, exact, read back by {@link #parse}), and
 * {@link #elapsed} for a time that went by (every unit below the largest written, so "1h 0m 32s" cannot be read as 1h32m).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    // parts may be separated by spaces, so that what elapsed() prints reads back
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))(?: ?\\d+(?:\\.\\d+)?(?:ms|s|m|h))*");
    private static final long NS_S = 1_000_000_000L, NS_M = 60 * NS_S, NS_H = 60 * NS_M;

    private Durations() {}

    /** Parses a duration, or returns empty when the text is not one. A bare number is refused: the unit is never guessed. */
    public static Optional<Duration> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(t).matches()) return Optional.empty();
        Matcher m = PART.matcher(t);
        double nanos = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            nanos += switch (m.group(2)) {
                case "ms" -> v * 1e6;
                case "s" -> v * 1e9;
                case "m" -> v * 60e9;
                default -> v * 3600e9;
            };
        }
        if (nanos > Long.MAX_VALUE / 2) return Optional.empty();
        return Optional.of(Duration.ofNanos(Math.round(nanos)));
    }

    /**
     * A setting the way a person writes it, exact and parseable: {@code 250ms}, {@code 1m30s}, {@code 1h30m}, {@code 1.5s},
     * {@code 0.5ms}. Between hours and seconds the minutes are always written ({@code 1h0m32s}, never {@code 1h32s}).
     */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) return "0s";
        long h = ns / NS_H, m = ns / NS_M % 60, rest = ns % NS_M;
        if (h == 0 && m == 0 && rest < NS_S) return decimal(rest, 1_000_000) + "ms";
        StringBuilder b = new StringBuilder();
        if (h > 0) b.append(h).append('h');
        if (m > 0 || (h > 0 && rest > 0)) b.append(m).append('m');
        if (rest > 0) b.append(decimal(rest, NS_S)).append('s');
        return b.toString();
    }

    /**
     * A time that went by, for the console and the report: {@code 250ms}, {@code 32.4s} (tenths under a minute), then whole
     * seconds with every smaller unit written: {@code 5m 3s}, {@code 1m 0s}, {@code 1h 0m 32s}, {@code 2h 0m 0s}.
     * {@link #parse} reads it back, to within the rounding.
     */
    public static String elapsed(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms == 0) return "0s";
        if (ms < 1000) return ms + "ms";
        long tenths = Math.round(ms / 100.0);
        if (tenths < 600) return (tenths % 10 == 0 ? String.valueOf(tenths / 10) : tenths / 10 + "." + tenths % 10) + "s";
        long s = Math.round(ms / 1000.0);
        if (s < 3600) return s / 60 + "m " + s % 60 + "s";
        return s / 3600 + "h " + s / 60 % 60 + "m " + s % 60 + "s";
    }

    /** {@code nanos / unit} written exactly, without trailing zeros. */
    private static String decimal(long nanos, long unit) {
        return BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }

    /** Seconds as a double, the unit of the pacing maths. */
    public static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
