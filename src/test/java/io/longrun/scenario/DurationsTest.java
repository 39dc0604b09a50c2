package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"250ms,250", "90s,90000", "15m,900000", "6h,21600000", "1h30m,5400000", "1.5s,1500", "0s,0", "2m30s,150000"})
    void readsHumanDurations(String text, long millis) {
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource({"60", "ten seconds", "5 d", "-5s", "s", "''", "1.s"})
    void refusesWhatIsNotADuration(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} ms prints as {1}")
    @CsvSource({"250,250ms", "90000,1m30s", "21600000,6h", "1500,1.5s", "5400000,1h30m", "0,0s"})
    void formatsTheWayPeopleWrite(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
    }
}
