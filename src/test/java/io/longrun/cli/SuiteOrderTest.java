package io.longrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SuiteOrderTest {
    static List<String> sorted(String... names) {
        return Stream.of(names).map(Path::of).sorted(SuiteCommand::natural).map(Path::toString).toList();
    }

    @Test
    void seed001sExperimentsRunInTheOrderOfTheirNumbersAndDurations() {
        assertThat(sorted("packet-loss-10-pct.yaml", "packet-loss-2-pct.yaml", "packet-loss-100-pct.yaml", "packet-loss-5-pct.yaml"))
                .containsExactly("packet-loss-2-pct.yaml", "packet-loss-5-pct.yaml", "packet-loss-10-pct.yaml", "packet-loss-100-pct.yaml");
        assertThat(sorted("latency-200ms-1s.yaml", "latency-200ms-2m.yaml", "latency-200ms-5s.yaml", "latency-200ms-10s.yaml",
                "latency-200ms-40s.yaml", "latency-200ms-100ms.yaml"))
                .containsExactly("latency-200ms-100ms.yaml", "latency-200ms-1s.yaml", "latency-200ms-5s.yaml", "latency-200ms-10s.yaml",
                        "latency-200ms-40s.yaml", "latency-200ms-2m.yaml");
        assertThat(sorted("b.yaml", "latency-61m.yaml", "a.yaml", "latency-1h.yaml", "latency-59m.yaml"))
                .containsExactly("a.yaml", "b.yaml", "latency-59m.yaml", "latency-1h.yaml", "latency-61m.yaml");
        assertThat(SuiteCommand.durationsAsMillis("loss-5-msgs-2m")).as("a word after the number is no unit").isEqualTo("loss-5-msgs-120000ms");
    }
}
