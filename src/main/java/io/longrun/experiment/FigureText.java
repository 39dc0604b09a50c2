package io.longrun.experiment;

import java.util.Locale;

/** An experiment's figures as the suite table and the demo print them; "-" where there is no figure. */
public final class FigureText {
    private FigureText() {}

    /** Milliseconds, whole: "12 ms". */
    public static String ms(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f ms", v);
    }

    /** A percentage with two decimals: "0.25 %". */
    public static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f %%", v);
    }

    /** Seconds with one decimal: "3.5 s". */
    public static String s(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f s", v);
    }
}
