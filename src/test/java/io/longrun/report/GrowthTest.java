package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The growth line against answers worked out by hand. */
class GrowthTest {
    static Stream<Arguments> fixtures() {
        return Stream.of(
                // name, xs, ys, slope, intercept, r2
                // an exact line: y = 3x + 2
                Arguments.of("exact line", new double[] {0, 1, 2, 3, 4}, new double[] {2, 5, 8, 11, 14}, 3.0, 2.0, 1.0),
                // x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6, Syy = 6: slope 0.6, intercept 4 − 1.8 = 2.2, R² = 36 / 60 = 0.6
                Arguments.of("noisy line", new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 5, 4, 5}, 0.6, 2.2, 0.6),
                // x̄ = 2.5, ȳ = 2.5, Sxx = 5, Sxy = 4, Syy = 5: slope 0.8, intercept 0.5, R² = 16 / 25 = 0.64
                Arguments.of("noisy, uneven", new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}, 0.8, 0.5, 0.64),
                // a table that does not grow: the flat line fits it exactly
                Arguments.of("flat", new double[] {0, 10, 20, 30}, new double[] {7, 7, 7, 7}, 0.0, 7.0, 1.0),
                // a falling line: y = 100 − 4x
                Arguments.of("falling", new double[] {0, 5, 10}, new double[] {100, 80, 60}, -4.0, 100.0, 1.0),
                // large numbers, as 6 h of seconds and a big table: y = 1,000,000,000 + 250x
                Arguments.of("large", new double[] {0, 7200, 14400, 21600}, new double[] {1e9, 1e9 + 1.8e6, 1e9 + 3.6e6, 1e9 + 5.4e6},
                        250.0, 1e9, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fitsTheLineWorkedOutByHand(String name, double[] xs, double[] ys, double slope, double intercept, double r2) {
        Growth g = Growth.of(xs, ys);
        assertThat(g.n()).isEqualTo(xs.length);
        assertThat(g.slope()).isCloseTo(slope, within(1e-9 * Math.max(1, Math.abs(slope))));
        assertThat(g.intercept()).isCloseTo(intercept, within(1e-9 * Math.max(1, Math.abs(intercept))));
        assertThat(g.r2()).isCloseTo(r2, within(1e-12));
    }

    @Test
    void aSingleSampleHasNoLine() {
        Growth g = Growth.of(new double[] {5}, new double[] {42});
        assertThat(g.n()).isEqualTo(1);
        assertThat(g.defined()).isFalse();
        assertThat(g.slope()).isNaN();
        assertThat(g.intercept()).isNaN();
        assertThat(g.r2()).isNaN();
        assertThat(g.at(10)).isNaN();
    }

    @Test
    void samplesAtOneInstantHaveNoLine() {
        Growth g = Growth.of(new double[] {3, 3, 3}, new double[] {1, 2, 3});
        assertThat(g.defined()).isFalse();
        assertThat(g.slope()).isNaN();
    }

    @Test
    void noSampleHasNoLine() {
        Growth g = new Growth();
        assertThat(g.n()).isZero();
        assertThat(g.slope()).isNaN();
    }

    @Test
    void projectsForwardAlongTheLine() {
        // y = 3x + 2: at x = 100, 302; it reaches 62 at x = 20
        Growth g = Growth.of(new double[] {0, 1, 2, 3, 4}, new double[] {2, 5, 8, 11, 14});
        assertThat(g.at(100)).isCloseTo(302, within(1e-9));
        assertThat(g.when(62, 4)).isCloseTo(20, within(1e-9));
        // it was at 5 at x = 1: behind the last sample, not a projection
        assertThat(g.when(5, 4)).isNaN();
        // a flat line never gets anywhere
        assertThat(Growth.of(new double[] {0, 1}, new double[] {7, 7}).when(8, 1)).isNaN();
    }
}
