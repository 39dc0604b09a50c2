package io.longrun.scenario;

import java.util.Locale;

/** Numbers as people write them: 20, 2.5, 0.125 (no trailing zeros, no exponent). */
public final class Num {
    private Num() {}

    public static String text(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return String.format(Locale.ROOT, "%.6f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
