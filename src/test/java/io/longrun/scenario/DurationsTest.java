package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"250ms,250", "90s,90000", "15m,900000", "6h,21600000", "1h30m,5400000", "1.5s,1500", "0s,0", "2m30s,150000",
            "1h 0m 32s,3632000", "5m 3s,303000", "1h0m32.397s,3632397"})
    void readsHumanDurations(String text, long millis) {
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource({"60", "ten seconds", "5 d", "-5s", "s", "''", "1.s", "1h  30m", "1 h"})
    void refusesWhatIsNotADuration(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    /** A setting: compact, exact, and read back to the same value. */
    @ParameterizedTest(name = "{0} ns prints as {1}")
    @CsvSource({
        "250000000,     250ms",        // under a second: milliseconds
        "500000,        0.5ms",        // under a millisecond: still a unit the parser knows (was "500us")
        "1500000,       1.5ms",        // the fraction of a millisecond is kept (was "1ms")
        "90000000000,   1m30s",
        "21600000000000,6h",
        "1500000000,    1.5s",
        "5400000000000, 1h30m",
        "0,             0s",
        "3632397000000, 1h0m32.397s",  // the report's "1h32.397s": minutes written between hours and seconds
        "3600500000000, 1h0m0.5s",
        "7200000000000, 2h",
        "60000000000,   1m",
    })
    void formatsASettingExactlyAndParseably(long nanos, String text) {
        assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(text);
        assertThat(Durations.parse(text)).contains(Duration.ofNanos(nanos));
    }

    /** A time that went by: every unit below the largest written; read back to within the rounding. */
    @ParameterizedTest(name = "{0} ms elapsed prints as {1}")
    @CsvSource({
        "3632397,  1h 0m 32s",   // the report's "1h32.397s (planned 1h)"
        "32397,    32.4s",       // tenths under a minute
        "32000,    32s",
        "303000,   5m 3s",
        "7200000,  2h 0m 0s",
        "60000,    1m 0s",
        "59960,    1m 0s",       // rounds up into the next minute, not "60.0s"
        "59940,    59.9s",
        "3599600,  1h 0m 0s",
        "250,      250ms",
        "0,        0s",
        "90061000, 25h 1m 1s",   // hours do not wrap into days
    })
    void formatsAnElapsedTimeSoItCannotBeMisread(long millis, String text) {
        assertThat(Durations.elapsed(Duration.ofMillis(millis))).isEqualTo(text);
        long back = Durations.parse(text).orElseThrow().toMillis();
        assertThat(Math.abs(back - millis)).as("read back within the rounding").isLessThanOrEqualTo(millis < 60_000 ? 50 : 500);
    }
}
