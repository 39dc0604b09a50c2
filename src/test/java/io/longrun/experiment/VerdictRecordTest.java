package io.longrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict judged from a run log written in the contract's records, and the shape scripts rely on. */
class VerdictRecordTest {
    @TempDir
    Path dir;

    @Test
    void aRunLogsRecordsGiveTheVerdictAndEveryPhasesFigures() throws Exception {
        Path log = dir.resolve("run.jsonl");
        ExperimentFixture.write(log, ExperimentFixture.Shape.recovered());
        VerdictRecord.Judged j = VerdictRecord.judge(log).orElseThrow();
        // through JSON, as summary.json and the experiment.verdict record carry it
        JsonNode e = new ObjectMapper().valueToTree(j.record());
        assertThat(e.path("verdict").asText()).isEqualTo("recovered");
        assertThat(e.path("recovery_s").asDouble()).isEqualTo(4.9); // back within from the tick (64, 65]'s end: 65 - 60.1
        assertThat(e.path("reason").asText()).startsWith("p95 left the tolerance 1.8 s after latency 200 ms on db came on (worst 240 ms");
        assertThat(fieldNames(e)).containsSubsequence("verdict", "reason", "recovery_s", "baseline", "phases");
        assertThat(fieldNames(e.path("baseline"))).containsSubsequence("eps", "error_pct", "p95_ms", "ingest_eps");
        assertThat(e.path("baseline").path("p95_ms").asDouble()).isCloseTo(40.0, org.assertj.core.data.Offset.offset(0.1)); // HdrHistogram at 3 digits
        assertThat(e.path("baseline").path("eps").asDouble()).isEqualTo(100.0);
        assertThat(e.path("baseline").path("error_pct").asDouble()).isEqualTo(0.0);
        assertThat(e.path("baseline").path("ingest_eps").asDouble()).isEqualTo(100.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(e.path("phases")).hasSize(3);
        JsonNode fault = e.path("phases").get(1);
        assertThat(fieldNames(fault)).containsSubsequence("name", "start", "end", "eps", "error_pct", "p50_ms", "p95_ms", "ingest_eps", "faults",
                "effective", "impact_s", "worst", "lost");
        assertThat(fault.path("name").asText()).isEqualTo("fault");
        assertThat(fault.path("start").asDouble()).isEqualTo(30.0);
        assertThat(fault.path("end").asDouble()).isEqualTo(60.1);
        assertThat(fault.path("effective").asBoolean()).isTrue();
        assertThat(fault.path("impact_s").asDouble()).isEqualTo(1.8);
        // merged from the ticks' histograms: 94 % of the latencies at 120 ms, 6 % at 240 ms (the first tick at 40 ms)
        assertThat(fault.path("p95_ms").asDouble()).isBetween(239.0, 241.0);
        assertThat(fault.path("p50_ms").asDouble()).isBetween(119.0, 121.0);
        assertThat(fault.path("worst").path("p95_ms").asDouble()).isCloseTo(240.0, org.assertj.core.data.Offset.offset(0.3));
        assertThat(fault.path("faults").get(0).path("bytes").path("up").asLong()).isEqualTo(4096);
        assertThat(fault.path("faults").get(0).path("on_s").asDouble()).isEqualTo(30.2);
        assertThat(fault.path("lost").isNull()).isTrue();
        assertThat(e.path("phases").get(0).path("effective").isNull()).isTrue(); // no fault in it
        assertThat(e.path("phases").get(2).path("impact_s").isNull()).isTrue();
    }

    @Test
    void aFaultOnAProxyThatCarriedNothingIsInconclusive() throws Exception {
        Path log = dir.resolve("run.jsonl");
        ExperimentFixture.write(log, new ExperimentFixture.Shape(t -> 40, t -> 0, 0, false));
        Map<String, Object> r = VerdictRecord.judge(log).orElseThrow().record();
        assertThat(r.get("verdict")).isEqualTo("inconclusive");
        assertThat(r.get("reason")).isEqualTo("the fault never took effect: proxy db carried no bytes while latency 200 ms on db was on");
        assertThat(((List<?>) r.get("phases"))).hasSize(3);
    }

    @Test
    void errorsAreJudgedFromTheFailedShareOfTheSettled() throws Exception {
        Path log = dir.resolve("run.jsonl");
        ExperimentFixture.write(log, new ExperimentFixture.Shape(t -> 40, t -> t > 31 ? 30 : 0, 4096, false));
        Map<String, Object> r = VerdictRecord.judge(log).orElseThrow().record();
        assertThat(r.get("verdict")).isEqualTo("not_recovered");
        assertThat((String) r.get("reason")).contains("; error rate 30.0 % stayed above baseline 0.0 % + the 1-point floor until the end;")
                .contains("throughput 70 % of schedule stayed below 0.75 × baseline 100 % of schedule until the end");
    }

    @Test
    void aKilledRunsLogIsJudgedAsFarAsItGoes() throws Exception {
        Path log = dir.resolve("run.jsonl");
        ExperimentFixture.write(log, ExperimentFixture.Shape.recovered());
        // killed in the fault phase: the log stops after the tick at 45 s, the last line cut mid-record
        List<String> lines = Files.readAllLines(log);
        int at = 0;
        while (!lines.get(at).contains("\"elapsed_s\":45.0,\"emitter\"")) at++;
        Files.writeString(log, String.join("\n", lines.subList(0, at + 1)) + "\n{\"type\":\"tick\",\"ti");
        JsonNode e = new ObjectMapper().valueToTree(VerdictRecord.judge(log).orElseThrow().record());
        assertThat(e.path("verdict").asText()).isEqualTo("not_recovered");
        assertThat(e.path("reason").asText()).endsWith("p95 240 ms stayed above 1.25 × baseline 40 ms until the end");
        JsonNode fault = e.path("phases").get(1);
        assertThat(fault.path("cut").asBoolean()).isTrue();
        assertThat(fault.path("end").asDouble()).isEqualTo(45.0);
        assertThat(fault.path("faults").get(0).path("off_s").isNull()).isTrue();
        assertThat(e.path("phases").get(2).path("cut").asBoolean()).isTrue();
        assertThat(e.path("phases").get(2).path("eps").isNull()).isTrue(); // never began
    }

    @Test
    void aPhasesLostEventsAreItsSampledMissingShareOfWhatItAccepted() throws Exception {
        Path log = dir.resolve("run.jsonl");
        ExperimentFixture.write(log, ExperimentFixture.Shape.recovered());
        ExperimentLog x = ExperimentLog.read(log);
        LostTally tally = new LostTally();
        long s = 1_000_000_000L;
        for (int i = 0; i < 10; i++) tally.checked(i * s, true);              // stabilize: 10 checked, all found
        for (int i = 0; i < 10; i++) tally.checked((31 + i) * s, i >= 4);     // fault: 10 checked, 4 missing
        Map<String, Object> r = VerdictRecord.judge(x, tally, 0).record();
        List<?> phases = (List<?>) r.get("phases");
        assertThat(((Map<?, ?>) phases.get(0)).get("lost")).isEqualTo(0L);
        // 40 % of the sample missing, of 3000 events the fault phase accepted (30 ticks of 100)
        assertThat(((Map<?, ?>) phases.get(1)).get("lost")).isEqualTo(1200L);
        assertThat(((Map<?, ?>) phases.get(1)).get("lost_sampled")).isEqualTo(Map.of("checked", 10L, "missing", 4L));
        assertThat(((Map<?, ?>) phases.get(2)).get("lost")).isNull(); // nothing sampled there
    }

    @Test
    void aRunLogWithoutAnExperimentHasNoVerdict() throws Exception {
        Path log = dir.resolve("run.jsonl");
        Files.writeString(log, "{\"type\":\"run.start\",\"time\":\"2026-01-05T10:00:00Z\"}\n");
        assertThat(VerdictRecord.judge(log)).isEmpty();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
