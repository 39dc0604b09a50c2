package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.experiment.ExperimentFixture;
import io.longrun.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault experiment's report: summary.json's experiment key, the phase table and the verdict, phases and faults on every chart. */
class ExperimentReportTest {
    @TempDir
    Path dir;

    @Test
    void theReportJudgesTheExperimentFromTheRunLogAndDrawsItsPhasesAndFaults() throws Exception {
        Path log = dir.resolve("run.jsonl");
        ExperimentFixture.write(log, ExperimentFixture.Shape.recovered());
        Report.Result r = Report.write(log, dir, OptionalLong.empty());

        JsonNode e = new ObjectMapper().readTree(r.summaryJson().toFile()).path("experiment");
        assertThat(e.path("verdict").asText()).isEqualTo("recovered");
        assertThat(e.path("recovery_s").asDouble()).isEqualTo(4.9);
        assertThat(e.path("phases")).hasSize(3);
        assertThat(e.path("phases").get(1).path("impact_s").asDouble()).isEqualTo(1.8);

        String html = Files.readString(r.html());
        assertThat(html).contains("<section id=\"experiment\"><h2>Fault experiment</h2>")
                .contains("<p class=\"verdict recovered\"><b>recovered</b> in 4.90 s: <span class=\"reason\">p95 left the tolerance 1.8 s after latency 200 ms on db came on")
                .contains("<tr class=\"baseline\"><td>stabilize (baseline)</td><td class=\"num\">0</td><td class=\"num\">30</td><td>–</td><td class=\"num\">100</td>")
                .contains("<tr class=\"fault\"><td>fault</td><td class=\"num\">30</td><td class=\"num\">60.1</td><td>latency 200 ms on db</td>")
                .contains("<tr class=\"recover\"><td>recover</td>");
        assertThat(Files.readString(r.summaryMd())).contains("**Experiment: recovered** in 4.90 s: p95 left the tolerance")
                .contains("| fault | 30 | 60.1 | latency 200 ms on db | ");

        // in a browser: every chart shades the three phases (and the drain) and marks the fault's on and off
        String dom = Chromium.dumpDom(r.html(), dir);
        List<Map<String, String>> charts = Chromium.charts(dom);
        assertThat(charts).isNotEmpty();
        for (Map<String, String> c : charts) {
            assertThat(c.get("data-drawn")).as(c.get("id")).isEqualTo("1");
            assertThat(c.get("data-markers")).as("%s: fault on and off", c.get("id")).isEqualTo("2");
            assertThat(Integer.parseInt(c.get("data-phases"))).as("%s: stabilize, fault, recover, drain", c.get("id")).isEqualTo(4);
        }
    }

    @Test
    void theRunsOwnVerdictRecordIsWhatTheSummarySays() throws Exception {
        Path log = dir.resolve("run.jsonl");
        ExperimentFixture.write(log, new ExperimentFixture.Shape(t -> t > 31 && t <= 65 ? 240 : 40, t -> 0, 4096, true));
        // the run alone can read the database back: what its record says about lost events is kept
        Files.writeString(log, Files.readString(log).replaceFirst("\"name\":\"fault\",(.*?)\"lost\":null", "\"name\":\"fault\",$1\"lost\":7"));
        Report.Result r = Report.write(log, dir, OptionalLong.empty());
        JsonNode e = new ObjectMapper().readTree(r.summaryJson().toFile()).path("experiment");
        assertThat(e.path("verdict").asText()).isEqualTo("recovered");
        assertThat(e.has("type")).isFalse();
        assertThat(e.path("phases").get(1).path("lost").asLong()).isEqualTo(7);
    }

    @Test
    void aRunWithoutAnExperimentHasNoExperimentKey() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 2, false);
        Report.Result r = Report.write(log, dir, OptionalLong.empty());
        assertThat(new ObjectMapper().readTree(r.summaryJson().toFile()).has("experiment")).isFalse();
        assertThat(Files.readString(r.html())).doesNotContain("id=\"experiment\"");
    }
}
