package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JitSettleTest {
    long now, compiled;
    final JitSettle settle = new JitSettle(() -> compiled, () -> now, Duration.ofSeconds(1), Duration.ofMillis(30));

    boolean at(long millis, long compiledMillis) {
        now = millis * 1_000_000L;
        compiled = compiledMillis;
        return settle.getAsBoolean();
    }

    @Test
    void settledOnlyWhenTheCompilersWereQuietForAWholeWindow() {
        assertThat(at(0, 1000)).as("no window yet").isFalse();
        assertThat(at(500, 1010)).isFalse();
        assertThat(at(1000, 1200)).as("200 ms of compiling in the last second").isFalse();
        assertThat(at(1500, 1210)).isFalse();
        assertThat(at(2000, 1220)).as("20 ms since 1.0 s").isTrue();
        assertThat(at(2500, 1400)).as("a late burst of compiling").isFalse();
        assertThat(at(3600, 1410)).isTrue();
    }
}
