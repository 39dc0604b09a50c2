package io.longrun.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.api.Soak;
import io.longrun.api.SoakResult;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The same soak three ways, the command line, the Java API and the JUnit extension: with the same scenario, seed
 * and scenario id, the run logs' totals are identical, emitter by emitter.
 */
class ThreeWaysTest {
    @TempDir
    Path dir;

    static final String SCENARIO = "longrun.three.scenario", TARGET = "longrun.three.target";

    /** The JUnit way: the soak as a user's test declares it. */
    static class ByExtension {
        @Test
        @LongrunSoak(scenario = "${longrun.three.scenario}", targetUrl = "${longrun.three.target}", seed = 11, scenarioId = "three-ways")
        void soak(SoakResult r) {
        }
    }

    @Test
    void theCommandLineTheApiAndTheExtensionSendTheSameTotals() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path scenario = dir.resolve("three.yaml");
        Files.writeString(scenario, """
                name: three
                duration: 5s
                seed: 3
                target: { url: "http://127.0.0.1:1/event", timeout: 10s }
                emitters:
                  - name: motion
                    rate: 20
                    schedule: { ramp_up: 2s, jitter_pct: 0.3 }
                  - pool: { prefix: door, count: 3, interval: 700ms, interval_jitter: 200ms }
                assert: [ { threshold: "error_rate < 1%" } ]
                """);
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            String url = t.baseUrl() + "/event";
            Path cliLog = dir.resolve("cli/run.jsonl");
            Cli.Result cli = new Cli(dir).run("run", scenario.toString(), "--target-url", url, "--seed", "11", "--scenario-id", "three-ways",
                    "--log-file", cliLog.toString(), "--metrics-port", "0", "--quiet");
            assertThat(cli.code()).as(cli.all()).isZero();

            SoakResult api = Soak.fromFile(scenario).withTargetUrl(url).withSeed(11).withScenarioId("three-ways")
                    .withLogFile(dir.resolve("api/run.jsonl")).run();
            assertThat(api.exitCode()).as(api.failures().toString()).isZero();

            System.setProperty(SCENARIO, scenario.toString());
            System.setProperty(TARGET, url);
            try {
                TestExecutionSummary s = Launch.run(ByExtension.class);
                assertThat(s.getTestsSucceededCount()).as(Launch.failures(s)).isEqualTo(1);
            } finally {
                System.clearProperty(SCENARIO);
                System.clearProperty(TARGET);
            }
            Path extLog = Path.of("target", "longrun", "ByExtension.soak", "run.jsonl");

            JsonNode byCli = end(cliLog), byApi = end(api.runLog()), byExt = end(extLog);
            System.out.println("three ways, totals: cli " + byCli.get("totals") + "\n  api " + byApi.get("totals") + "\n  junit " + byExt.get("totals"));
            assertThat(byCli.get("totals").get("planned").asLong()).isPositive();
            assertThat(byApi.get("totals")).isEqualTo(byCli.get("totals"));
            assertThat(byExt.get("totals")).isEqualTo(byCli.get("totals"));
            assertThat(byApi.get("emitters")).isEqualTo(byCli.get("emitters"));
            assertThat(byExt.get("emitters")).isEqualTo(byCli.get("emitters"));
            for (Path log : new Path[] {cliLog, api.runLog(), extLog})
                assertThat(RunLogs.read(log).get(0).get("scenario_id").asText()).isEqualTo("three-ways");
        }
    }

    private static JsonNode end(Path log) throws Exception {
        return RunLogs.last(RunLogs.read(log), "run.end");
    }
}
