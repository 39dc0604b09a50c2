package io.longrun.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.api.SoakHandle;
import io.longrun.api.SoakResult;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension as a user's build runs it: test classes annotated with {@code @LongrunSoak}, run through the JUnit
 * Platform against the real reference target, and what the platform reports of them.
 */
class LongrunExtensionTest {
    @TempDir
    static Path dir;

    static final String SCENARIO = "longrun.it.scenario", TARGET = "longrun.it.target";

    @AfterEach
    void clear() {
        System.clearProperty(SCENARIO);
        System.clearProperty(TARGET);
    }

    /** A user's soak test: the result injected after the run, its figures at hand. */
    static class Passing {
        @Test
        @LongrunSoak(scenario = "${longrun.it.scenario}", targetUrl = "${longrun.it.target}", duration = "3s", seed = 7)
        void soak(SoakResult r) {
            assertThat(r.total().accepted()).isPositive();
        }
    }

    /** A user's soak test with the scenario's own duration, and no parameter: the soak runs after the body. */
    static class Plain {
        @Test
        @LongrunSoak(scenario = "${longrun.it.scenario}", targetUrl = "${longrun.it.target}")
        void soak() {
        }
    }

    /** A user's soak test that watches the run live through its handle. */
    static class Live {
        @Test
        @LongrunSoak(scenario = "${longrun.it.scenario}", targetUrl = "${longrun.it.target}", duration = "3s")
        void soak(SoakHandle h) throws Exception {
            assertThat(h.awaitStarted(Duration.ofSeconds(60))).isTrue();
            assertThat(h.stats().running()).isTrue();
        }
    }

    @Test
    void aPassingSoakPassesTheTestAndLeavesItsReportUnderTargetLongrun() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            System.setProperty(SCENARIO, scenario("ok", "assert: [ { threshold: \"error_rate < 1%\" } ]").toString());
            System.setProperty(TARGET, t.baseUrl() + "/event");
            TestExecutionSummary s = Launch.run(Passing.class);
            assertThat(s.getTestsSucceededCount()).as(Launch.failures(s)).isEqualTo(1);
            Path folder = Path.of("target", "longrun", "Passing.soak");
            assertThat(folder.resolve("run.jsonl")).exists();
            assertThat(folder.resolve("report.html")).exists();
            assertThat(Files.readString(folder.resolve("run.jsonl"))).contains("\"verdict\":\"completed\"");

            TestExecutionSummary live = Launch.run(Live.class);
            assertThat(live.getTestsSucceededCount()).as(Launch.failures(live)).isEqualTo(1);
            assertThat(Files.readString(Path.of("target", "longrun", "Live.soak", "run.jsonl"))).as("awaited to its end after the test")
                    .contains("\"verdict\":\"completed\"");
        }
    }

    @Test
    void aCriterionThatFiresAndAnAssertionThatFailsFailTheTestWithTheirReasons() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("error_rate=0.5")), Map.of())) {
            System.setProperty(SCENARIO, scenario("bad", """
                    stop_when: [ { error_rate: { above_pct: 20, for: 2s } } ]
                    assert: [ { threshold: "error_rate < 1%" } ]
                    """).toString());
            System.setProperty(TARGET, t.baseUrl() + "/event");
            TestExecutionSummary s = Launch.run(Plain.class);
            assertThat(s.getTestsFailedCount()).isEqualTo(1);
            String why = Launch.failures(s);
            assertThat(why).contains("soak ext-bad: ").contains("stop criterion error_rate: ").contains("assertion threshold_1: observed error_rate = ")
                    .contains("report: target/longrun/Plain.soak/report.html");
        }
    }

    @Test
    void aPlaceholderThatNamesNothingIsAClearConfigurationError() {
        TestExecutionSummary s = Launch.run(Passing.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(1);
        assertThat(Launch.failures(s)).contains("@LongrunSoak scenario: ${longrun.it.scenario} is neither a system property nor an environment variable");
    }

    /** A shard out of range: the command line's words for --shard, naming the attribute. */
    static class BadShard {
        @Test
        @LongrunSoak(scenario = "${longrun.it.scenario}", duration = "3s", shard = "3/3")
        void soak() {
        }
    }

    @Test
    void aShardOrAStartTimeThatDoesNotReadIsAClearConfigurationError() throws Exception {
        System.setProperty(SCENARIO, scenario("shard", "").toString());
        TestExecutionSummary s = Launch.run(BadShard.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(1);
        assertThat(Launch.failures(s)).contains("@LongrunSoak shard: '3/3': the shard's index counts from 0, so it must be below 3");
    }

    private static Path scenario(String name, String more) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, """
                name: ext-%s
                duration: 60s
                target: { url: "http://127.0.0.1:1/event", timeout: 10s }
                emitters:
                  - name: motion
                    rate: 20
                %s
                """.formatted(name, more));
        return f;
    }
}
