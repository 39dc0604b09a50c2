package io.longrun.scenario;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations: {@code 250ms}, {@code 90s}, {@code 15m}, {@code 6h}, {@code 1h30m}, {@code 1.5s}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");

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

    /** Formats a duration the way a person writes it: 1h30m, 90s is 1m30s, 250ms. */
    public static String format(Duration d) {
        if (d.isZero()) return "0s";
        long ms = d.toMillis();
        StringBuilder b = new StringBuilder();
        long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, rest = ms % 1000;
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(m).append('m');
        if (s > 0 || (rest > 0 && b.length() > 0)) {
            if (rest > 0) b.append(s).append('.').append(String.format(Locale.ROOT, "%03d", rest).replaceAll("0+$", "")).append('s');
            else b.append(s).append('s');
        } else if (rest > 0) {
            b.append(rest).append("ms");
        }
        return b.length() == 0 ? (d.toNanos() / 1000) + "us" : b.toString();
    }

    /** Seconds as a double, the unit of the pacing maths. */
    public static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
