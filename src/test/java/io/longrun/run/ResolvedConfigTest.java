package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import io.longrun.testing.Cli;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durations that scripts and the report read back (the run log's resolved config, validate's plan) round-trip exactly. */
class ResolvedConfigTest {
    // awkward values: an hour and some seconds (once printed "1h32.397s"), fractions, a minute and a half
    static final String SCENARIO = """
            name: awkward
            duration: 3632.397s
            tick: 1.5s
            target: { url: "http://127.0.0.1:8000/event", health_url: "http://127.0.0.1:8000/health", timeout: 250ms }
            emitters:
              - name: steady
                rate: 5
                schedule: { start_after: 90s, stop_after: 3600.5s, ramp_up: 61s, ramp_down: 1h0m1s }
              - name: staged
                stages: [ { duration: 1h, rate: 5 }, { duration: 32.397s, rate: 1 } ]
            watch: { health_every: 2.5s, db_every: 3601s }
            stop_when:
              - error_rate: { above_pct: 5, for: 3601s }
                after: 1h0m0.25s
            """;

    @TempDir
    Path dir;

    static Duration back(Object text) {
        return Durations.parse((String) text).orElseThrow(() -> new AssertionError("not a duration longrun reads: " + text));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRunLogsResolvedConfigReadsBackToTheSameDurations() throws Exception {
        Scenario sc = ScenarioReader.read("awkward.yaml", "awkward", new StringReader(SCENARIO), Overrides.NONE);
        Map<String, Object> m = ResolvedConfig.of(sc);
        assertThat(m.get("duration")).isEqualTo("1h0m32.397s");
        assertThat(back(m.get("duration"))).isEqualTo(sc.duration());
        assertThat(back(m.get("tick"))).isEqualTo(sc.tick());
        assertThat(back(((Map<String, Object>) m.get("target")).get("timeout"))).isEqualTo(sc.target().timeout());
        Map<String, Object> watch = (Map<String, Object>) m.get("watch");
        assertThat(back(watch.get("health_every"))).isEqualTo(sc.watch().healthEvery());
        assertThat(back(watch.get("db_every"))).isEqualTo(Duration.ofSeconds(3601));
        List<Map<String, Object>> emitters = (List<Map<String, Object>>) m.get("emitters");
        Map<String, Object> schedule = (Map<String, Object>) emitters.get(0).get("schedule");
        Scenario.Schedule s = sc.emitters().get(0).schedule();
        assertThat(back(schedule.get("start_after"))).isEqualTo(s.startAfter());
        assertThat(back(schedule.get("stop_after"))).isEqualTo(s.stopAfter().orElseThrow());
        assertThat(back(schedule.get("ramp_up"))).isEqualTo(s.rampUp());
        assertThat(back(schedule.get("ramp_down"))).isEqualTo(Duration.ofSeconds(3601));
        List<Map<String, Object>> stages = (List<Map<String, Object>>) emitters.get(1).get("stages");
        assertThat(stages).extracting(st -> back(st.get("duration"))).containsExactly(Duration.ofHours(1), Duration.ofMillis(32_397));
        Map<String, Object> rule = ((List<Map<String, Object>>) m.get("stop_when")).get(0);
        assertThat(back(rule.get("after"))).isEqualTo(Duration.ofMillis(3_600_250));
    }

    @Test
    void validatesPlanPrintsDurationsThatReadBack() throws Exception {
        Path file = dir.resolve("awkward.yaml");
        Files.writeString(file, SCENARIO);
        Cli.Result r = new Cli(dir).run("validate", file.toString());
        assertThat(r.code()).as(r.all()).isZero();
        Matcher head = Pattern.compile("duration (\\S+), tick (\\S+),").matcher(r.out());
        assertThat(head.find()).as(r.out()).isTrue();
        assertThat(back(head.group(1))).isEqualTo(Duration.ofMillis(3_632_397));
        assertThat(back(head.group(2))).isEqualTo(Duration.ofMillis(1500));
        Matcher window = Pattern.compile("steady .*\\[(\\S+), (\\S+)\\)\\s+(\\S+)\\s+(\\S+)").matcher(r.out());
        assertThat(window.find()).as(r.out()).isTrue();
        assertThat(List.of(window.group(1), window.group(2), window.group(3), window.group(4))).extracting(ResolvedConfigTest::back)
                .containsExactly(Duration.ofSeconds(90), Duration.ofMillis(3_600_500), Duration.ofSeconds(61), Duration.ofSeconds(3601));
    }
}
