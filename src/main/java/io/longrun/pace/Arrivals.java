package io.longrun.pace;

import java.util.Locale;

/**
 * How events are placed under the rate curve. {@code uniform}: event i at the moment the area under the curve
 * reaches i, evenly spaced at a constant rate. {@code poisson}: at the areas of a unit-rate Poisson process
 * (seeded exponential gaps of mean 1 event), so the gaps are random while the rate still follows the curve.
 */
public enum Arrivals {
    UNIFORM, POISSON;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
