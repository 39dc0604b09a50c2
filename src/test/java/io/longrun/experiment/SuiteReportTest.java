package io.longrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.run.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SuiteReportTest {
    @TempDir
    Path dir;

    /** A summary.json with the experiment key as the verdict side writes it. */
    static final String SUMMARY = """
            {"run": {"verdict": "completed"},
             "experiment": {"verdict": "not_recovered", "reason": "p95 still 310 ms against a baseline of 12 ms (tolerance 25 %) at the end of recover",
               "recovery_s": null,
               "baseline": {"eps": 50.0, "error_pct": 0.0, "p95_ms": 12.0, "ingest_eps": 50.0},
               "phases": [
                 {"name": "stabilize", "start": 0, "end": 30, "eps": 50, "error_pct": 0.0, "p50_ms": 5, "p95_ms": 12.0, "faults": []},
                 {"name": "fault", "start": 30, "end": 90, "eps": 40, "error_pct": 2.5, "p50_ms": 200, "p95_ms": 400.0, "faults": ["latency"],
                  "effective": true, "impact_s": 1.2, "worst": {"p95_ms": 650.0, "error_pct": 4.0}},
                 {"name": "recover", "start": 90, "end": 150, "eps": 45, "error_pct": 0.5, "p50_ms": 100, "p95_ms": 310.0, "faults": [],
                  "effective": false, "impact_s": null, "worst": {"p95_ms": 320.0, "error_pct": 1.0}}
               ]}}
            """;

    ExperimentOutcome outcome(String name, int round, int exit, String verdict, String reason, ExperimentOutcome.Figures f) {
        return new ExperimentOutcome(name, round, Path.of("scenarios/experiments/" + name + ".yaml"), Optional.of(Path.of("runs/s/" + name)), exit,
                verdict, reason, 150, Optional.ofNullable(f), Optional.empty());
    }

    @Test
    void theVerdictAndItsFiguresComeFromSummaryJson() throws Exception {
        Files.writeString(dir.resolve("summary.json"), SUMMARY);
        ExperimentOutcome.Judged j = ExperimentOutcome.read(dir.resolve("summary.json")).orElseThrow();
        assertThat(j.verdict()).isEqualTo("not_recovered");
        assertThat(j.reason()).startsWith("p95 still 310 ms");
        ExperimentOutcome.Figures f = j.figures();
        assertThat(f.baselineP95Ms()).isEqualTo(12.0);
        assertThat(f.worstP95Ms()).as("the worst of the later phases").isEqualTo(650.0);
        assertThat(f.baselineErrPct()).isEqualTo(0.0);
        assertThat(f.worstErrPct()).isEqualTo(4.0);
        assertThat(f.impactS()).isEqualTo(1.2);
        assertThat(f.recoveryS()).isNull();
        Files.writeString(dir.resolve("plain.json"), "{\"run\": {\"verdict\": \"completed\"}}");
        assertThat(ExperimentOutcome.read(dir.resolve("plain.json"))).as("a run without phases").isEmpty();
        assertThat(ExperimentOutcome.read(dir.resolve("missing.json"))).isEmpty();
    }

    SuiteReport.Result result(boolean interrupted, List<String> notRun) {
        return new SuiteReport.Result(List.of(
                outcome("latency-200ms-1s", 1, 0, "recovered", "", new ExperimentOutcome.Figures(12.0, 230.0, 0.0, 0.0, 0.4, 3.5)),
                outcome("packet-loss-100-pct", 1, 5, "not_recovered", "p95 still <310 ms> & \"out\"", new ExperimentOutcome.Figures(12.0, 5000.0, 0.0, 80.0, 0.2, null)),
                outcome("latency-200ms-100ms", 1, 6, "inconclusive", "the fault never took effect: the proxy carried no bytes while it was on", null),
                outcome("packet-loss-2-pct", 2, 0, "passed", "", new ExperimentOutcome.Figures(12.0, 14.0, 0.0, 0.0, null, null)),
                outcome("bad", 1, 2, "error", "target unreachable at http://127.0.0.1:1/event", null)),
                notRun, interrupted, Instant.parse("2026-11-30T15:00:00Z"), 600, Optional.empty());
    }

    @Test
    void junitXmlHasATestCasePerExperimentAndFailsNotRecoveredAndInconclusiveWithTheirReason() throws Exception {
        Path file = dir.resolve("junit.xml");
        SuiteReport.writeJUnit(file, result(true, List.of("latency-200ms-5s")));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("6");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(6);
        Element recovered = (Element) cases.item(0), notRecovered = (Element) cases.item(1), inconclusive = (Element) cases.item(2);
        assertThat(recovered.getAttribute("name")).isEqualTo("latency-200ms-1s");
        assertThat(recovered.getChildNodes().getLength()).as("a recovered experiment passes").isZero();
        Element f = (Element) notRecovered.getElementsByTagName("failure").item(0);
        assertThat(f.getAttribute("type")).isEqualTo("not_recovered");
        assertThat(f.getAttribute("message")).isEqualTo("not_recovered: p95 still <310 ms> & \"out\" (exit 5)");
        assertThat(f.getTextContent()).contains("baseline p95 12 ms, worst 5000 ms", "worst 80.00 %", "impact 0.2 s; recovery -", "run folder: runs/s/packet-loss-100-pct");
        Element i = (Element) inconclusive.getElementsByTagName("failure").item(0);
        assertThat(i.getAttribute("message")).isEqualTo("inconclusive: the fault never took effect: the proxy carried no bytes while it was on (exit 6)");
        assertThat(((Element) cases.item(3)).getAttribute("name")).as("a later round is told apart").isEqualTo("packet-loss-2-pct #2");
        assertThat(((Element) cases.item(4)).getElementsByTagName("error").item(0)).as("a run that could not start is an error").isNotNull();
        assertThat(((Element) cases.item(5)).getElementsByTagName("skipped").getLength()).isEqualTo(1);
    }

    @Test
    void suiteJsonCarriesEachExperimentsVerdictAndFigures() throws Exception {
        Path file = dir.resolve("suite.json");
        SuiteReport.writeJson(file, result(false, List.of()));
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        assertThat(j.path("exit_code").asInt()).as("the run that could not start is the worst").isEqualTo(2);
        assertThat(j.path("experiments")).hasSize(5);
        JsonNode e = j.path("experiments").get(0);
        assertThat(e.path("name").asText()).isEqualTo("latency-200ms-1s");
        assertThat(e.path("verdict").asText()).isEqualTo("recovered");
        assertThat(e.path("baseline").path("p95_ms").asDouble()).isEqualTo(12.0);
        assertThat(e.path("worst").path("p95_ms").asDouble()).isEqualTo(230.0);
        assertThat(e.path("impact_s").asDouble()).isEqualTo(0.4);
        assertThat(e.path("recovery_s").asDouble()).isEqualTo(3.5);
        assertThat(j.path("experiments").get(1).path("recovery_s").isNull()).isTrue();
        assertThat(SuiteReport.table(result(false, List.of()))).contains("packet-loss-100-pct", "not_recovered", "5000 ms", "80.00 %",
                "packet-loss-2-pct #2", "5 experiment(s)", "exit 2");
    }

    SuiteReport.Result codes(boolean interrupted, int... codes) {
        List<ExperimentOutcome> list = java.util.Arrays.stream(codes).mapToObj(c -> outcome("e" + c, 1, c, "x", "", null)).toList();
        return new SuiteReport.Result(list, List.of(), interrupted, Instant.EPOCH, 1, Optional.empty());
    }

    @Test
    void theSuiteExitsWithTheWorstOfItsExperiments() {
        assertThat(SuiteReport.exitCode(codes(false))).isZero();
        assertThat(SuiteReport.exitCode(codes(false, 0, 0))).isZero();
        assertThat(SuiteReport.exitCode(codes(false, 0, 6, 0))).isEqualTo(6);
        assertThat(SuiteReport.exitCode(codes(false, 6, 4))).as("an assertion outranks inconclusive").isEqualTo(4);
        assertThat(SuiteReport.exitCode(codes(false, 4, 5, 6))).as("not recovered outranks an assertion").isEqualTo(5);
        assertThat(SuiteReport.exitCode(codes(false, 5, 3))).isEqualTo(3);
        assertThat(SuiteReport.exitCode(codes(false, 3, 2))).isEqualTo(2);
        assertThat(SuiteReport.exitCode(codes(false, 0, 5))).isEqualTo(5);
        assertThat(SuiteReport.exitCode(codes(true, 0, 5))).isEqualTo(130);
    }

    @Test
    void everyExitCodeOfLongrunHasARankInTheSuite() {
        for (ExitCodes.Meaning m : ExitCodes.ALL) assertThat(SuiteReport.WORST_FIRST).as("exit code " + m.code() + " ranked").contains(m.code());
        assertThat(SuiteReport.WORST_FIRST).contains(5, 6);
    }
}
