package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.scenario.TargetRules;
import io.longrun.testing.Cli;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad {@code --fault} values, bad rule files and bad switches of {@code longrun target}, through the real command
 * line: exit 2, every problem named with its flag or file, line and field, no stack trace, nothing started.
 */
class RulesAndFaultsInputTest {
    /** Nothing listens here: input is checked before the database is reached. */
    static final String NO_DB = "jdbc:postgresql://127.0.0.1:1/none";

    @TempDir
    Path dir;

    Cli.Result target(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "target";
        all[1] = "--db-url";
        all[2] = NO_DB;
        System.arraycopy(args, 0, all, 3, args.length);
        return new Cli(dir).run(all);
    }

    static void badInput(Cli.Result r) {
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.all()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("listening");
    }

    @Test
    void everyBadFaultIsReportedAtOnceWithItsFlag() {
        Cli.Result r = target("--fault", "log_noise=30", "--fault", "repeated_exception=fast", "--fault", "non_utc=0", "--fault", "non_utc=3",
                "--fault", "slow_after=soon", "--fault", "dup_deviations=yes", "--fault", "db_bloat=50GB", "--fault", "lose=1.5",
                "--fault", "lose", "--fault", "boom=1", "--fault", "error_ramp=30%");
        badInput(r);
        assertThat(r.err()).contains("--fault log_noise=30: log_noise needs a rate of lines with its unit, e.g. log_noise=30/m")
                .contains("--fault repeated_exception=fast: repeated_exception needs a rate with its unit")
                .contains("--fault non_utc=0: non_utc needs a whole number of hours between -14 and 14, not 0")
                .contains("--fault non_utc=3: non_utc is given more than once")
                .contains("--fault slow_after=soon: slow_after needs a duration, e.g. slow_after=5m")
                .contains("--fault dup_deviations=yes: dup_deviations takes no value")
                .contains("--fault db_bloat=50GB: db_bloat needs megabytes per minute")
                .contains("--fault lose=1.5: lose needs a share above 0 and at most 1")
                .contains("--fault lose: lose is given more than once")
                .contains("--fault boom=1: unknown fault \"boom\"; known: latency, error_rate, down_after, hot_loop, rate_limit, log_noise, "
                        + "repeated_exception, non_utc, slow_after, slow_latency, dup_deviations, db_bloat, lose, error_ramp")
                .contains("--fault error_ramp=30%: error_ramp needs a share per unit of time");
        assertThat(r.err().lines().filter(l -> l.contains("--fault ")).count()).isEqualTo(11);
    }

    @Test
    void slowLatencyNeedsSlowAfterAndAnEmptyLoseIsNoShare() {
        Cli.Result r = target("--fault", "slow_latency=2s");
        badInput(r);
        assertThat(r.err()).contains("--fault slow_latency: slow_latency needs slow_after=DUR as well");
        Cli.Result l = target("--fault", "lose=");
        badInput(l);
        assertThat(l.err()).contains("--fault lose=: lose needs a share above 0 and at most 1");
    }

    @Test
    void goodFaultSpellingsParse() {
        Faults f = Faults.parse(List.of("log_noise=2/s", "repeated_exception=10/m", "non_utc=+3h", "slow_after=5m", "dup_deviations",
                "db_bloat=1MB/s", "lose=1%"));
        assertThat(f.logNoisePerMinute()).isEqualTo(120.0);
        assertThat(f.repeatedExceptionPerMinute()).isEqualTo(10.0);
        assertThat(f.nonUtcHours().getAsInt()).isEqualTo(3);
        assertThat(f.slowAfter()).contains(Duration.ofMinutes(5));
        assertThat(f.slowLatency()).isEqualTo(Duration.ofMillis(800));
        assertThat(f.dupDeviations()).isTrue();
        assertThat(f.dbBloatMbPerMinute()).isEqualTo(60.0);
        assertThat(f.loseShare()).isEqualTo(0.01);
        assertThat(Faults.parse(List.of("db_bloat=50")).dbBloatMbPerMinute()).isEqualTo(50.0);
        Faults ramp = Faults.parse(List.of("error_ramp=30%/m", "error_rate=0.1"));
        assertThat(ramp.errorShareAt(0)).isEqualTo(0.1);
        assertThat(ramp.errorShareAt(60_000_000_000L)).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ramp.errorShareAt(3_600_000_000_000L)).isEqualTo(1.0);
        assertThat(Faults.parse(List.of("error_ramp=0.01/s")).errorShareAt(10_000_000_000L)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ramp.describe()).isEqualTo("error_rate=0.1 error_ramp=30%/m");
        assertThat(Faults.parse(List.of("db_bloat=600MB/h")).dbBloatMbPerMinute()).isEqualTo(10.0);
        assertThat(f.describe()).isEqualTo("log_noise=120/m repeated_exception=10/m non_utc=3 slow_after=5m slow_latency=800ms dup_deviations "
                + "db_bloat=60MB/m lose=0.01");
    }

    @Test
    void aBadRuleFileNamesTheFileTheLineAndTheField() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - name: no_motion
                    category: motion
                    absent_four: 10m
                    every: 30
                  - name: no_motion
                    absent_for: 5m
                    lookback: 5m
                    severity: loud
                  - name: Bad-Name
                    category: door
                    absent_for: soon
                    subject: "payload.room"
                    scheduler: maybe
                """);
        Cli.Result r = target("--rules", "rules.yaml", "--fault", "lose=2");
        badInput(r);
        assertThat(r.err()).as("the faults' problems with the file's").contains("--fault lose=2: lose needs a share")
                .contains(rules + ":4: rules[0].absent_four: unknown key (did you mean 'absent_for'?)")
                .contains(rules + ":5: rules[0].every: needs a unit, e.g. 30s")
                .contains(rules + ":2: rules[0].absent_for: missing")
                .contains(rules + ":6: rules[1].name: \"no_motion\" is already the name of another rule")
                .contains(rules + ":6: rules[1].category: missing")
                .contains(rules + ":8: rules[1].lookback: must be longer than absent_for (5m), got 5m")
                .contains(rules + ":9: rules[1].severity: must be one of info, warning, critical, got \"loud\"")
                .contains(rules + ":10: rules[2].name: use lower-case letters")
                .contains(rules + ":12: rules[2].absent_for: not a duration")
                .contains(rules + ":13: rules[2].subject: must be a payload key")
                .contains(rules + ":14: rules[2].scheduler: must be true or false")
                .contains("problem(s)");
    }

    @Test
    void aRuleFileThatIsNotOneIsSaidSo() throws Exception {
        Files.writeString(dir.resolve("list.yaml"), "- name: x\n");
        Files.writeString(dir.resolve("empty.yaml"), "rules: []\n");
        Files.writeString(dir.resolve("broken.yaml"), "rules:\n  - name: [x\n");
        Files.writeString(dir.resolve("typo.yaml"), "rule:\n  - name: x\n");
        Cli.Result list = target("--rules", "list.yaml");
        badInput(list);
        assertThat(list.err()).contains("list.yaml:1: (top): a rule file must be a mapping with a list under rules:");
        Cli.Result empty = target("--rules", "empty.yaml");
        badInput(empty);
        assertThat(empty.err()).contains("empty.yaml:1: rules: list at least one rule");
        Cli.Result broken = target("--rules", "broken.yaml");
        badInput(broken);
        assertThat(broken.err()).contains("broken.yaml:").contains("not valid YAML");
        Cli.Result typo = target("--rules", "typo.yaml");
        badInput(typo);
        assertThat(typo.err()).contains("typo.yaml:1: rules: missing").contains("typo.yaml:1: rule: unknown key (did you mean 'rules'?)");
        Cli.Result missing = target("--rules", "nope.yaml");
        badInput(missing);
        assertThat(missing.err()).contains("--rules " + dir.resolve("nope.yaml") + ": no such file");
    }

    @Test
    void theExampleRuleFileReads() throws Exception {
        TargetRules r = TargetRules.read(Path.of("runbooks/target-rules.yaml"));
        assertThat(r.rules()).isNotEmpty();
        assertThat(r.rules().get(0)).isEqualTo(TargetRules.DEFAULT.rules().get(0));
    }

    @Test
    void badSwitchesAreExit2WithTheirName() throws Exception {
        Cli.Result s = target("--scheduler", "sometimes");
        badInput(s);
        assertThat(s.err()).contains("--scheduler must be on or off, got \"sometimes\"");
        Cli.Result e = new Cli(dir).env("SCHEDULER_ENABLED", "maybe").run("target", "--db-url", NO_DB);
        badInput(e);
        assertThat(e.err()).contains("SCHEDULER_ENABLED must be 0 or 1").contains("\"maybe\"");
        Cli.Result m = target("--metrics-port", "70000");
        badInput(m);
        assertThat(m.err()).contains("--metrics-port must be between 0 and 65535 (0: off), got 70000");

        DbSettings db = TestDb.freshSchema();
        Files.writeString(dir.resolve("afile"), "x");
        Cli.Result l = new Cli(dir).env("PGUSER", "postgres").run("target", "--db-url", db.url(), "--port", "0", "--metrics-port", "0",
                "--log-file", "afile/target.log");
        badInput(l);
        assertThat(l.err()).contains("--log-file " + dir.resolve("afile/target.log") + ": cannot open");
    }
}
