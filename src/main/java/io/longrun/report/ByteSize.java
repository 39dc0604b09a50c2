package io.longrun.report;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them: {@code 50GB}, {@code 500MB}, {@code 1.5TB}, {@code 2GiB}. Multiples of 1024, as
 * PostgreSQL reads {@code 128MB} in its settings and as longrun writes sizes elsewhere; {@code KiB}/{@code MiB}/…
 * mean the same. A bare number is refused: the unit is never guessed.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)");

    private ByteSize() {}

    /** The size in bytes, or empty when the text is not a size with a unit. */
    public static Optional<Long> parse(String text) {
        if (text == null) return Optional.empty();
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) return Optional.empty();
        double v = Double.parseDouble(m.group(1));
        int power = switch (m.group(2).charAt(0)) {
            case 'k' -> 1;
            case 'm' -> 2;
            case 'g' -> 3;
            case 't' -> 4;
            default -> 0;
        };
        double bytes = v * Math.pow(1024, power);
        if (bytes >= Long.MAX_VALUE / 2.0) return Optional.empty();
        return Optional.of(Math.round(bytes));
    }

    /** 1.5 GB, 300 MB, 12 kB: the way the summary writes sizes. */
    public static String format(double b) {
        double a = Math.abs(b);
        if (a < 1024) return String.format(Locale.ROOT, "%.0f B", b);
        if (a < 1024 * 1024) return String.format(Locale.ROOT, "%.0f kB", b / 1024);
        if (a < 1024.0 * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MB", b / 1048576);
        if (a < 1024.0 * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.2f GB", b / 1073741824.0);
        return String.format(Locale.ROOT, "%.2f TB", b / 1099511627776.0);
    }
}
