package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesAndEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void userRoutesAreLoadedBesideLongrunsAndTheEnvironmentGivesDefaults() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path routes = Files.createDirectories(dir.resolve("my-routes"));
            // a user's side route: once, ask longrun's own db-sample route for figures and drop a marker file
            Files.writeString(routes.resolve("marker.yaml"), """
                    - route:
                        id: user-marker
                        from:
                          uri: "timer:user-marker?repeatCount=1&delay=500"
                          steps:
                            - to: direct:db-sample
                            - setBody:
                                constant: "user route ran"
                            - to: "file:%s?fileName=marker.txt"
                    """.formatted(dir.toAbsolutePath()));
            Path sc = dir.resolve("s.yaml");
            Files.writeString(sc, """
                    duration: 2s
                    database: { tables: [events] }
                    emitters: [ { name: a, rate: 10 } ]
                    """);
            Path log = dir.resolve("run.jsonl");
            Cli.Result r = new Cli(dir)
                    .env("LONGRUN_TARGET_URL", t.baseUrl() + "/event")
                    .env("LONGRUN_DB_URL", db.url())
                    .env("LONGRUN_SCENARIO", "from-env")
                    .run("run", sc.toString(), "--routes", routes.toString(), "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(dir.resolve("marker.txt")).hasContent("user route ran");
            List<JsonNode> records = RunLogs.read(log);
            assertThat(records.get(0).get("scenario_id").asText()).isEqualTo("from-env");
            assertThat(records.get(0).at("/config/target/url").asText()).isEqualTo(t.baseUrl() + "/event");
            long accepted = RunLogs.last(records, "run.end").at("/totals/accepted").asLong();
            assertThat(accepted).isPositive();
            assertThat(TestDb.scalar(db, "select count(*) from events where scenario_id = 'from-env'")).isEqualTo(accepted);
        }
    }

    @Test
    void aMissingOrBrokenRoutesFolderIsExit2() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("s.yaml");
            Files.writeString(sc, "duration: 2s\nemitters: [ { name: a, rate: 1 } ]\n");
            Cli.Result missing = new Cli(dir).run("run", sc.toString(), "--target-url", t.baseUrl() + "/event", "--routes", "nowhere");
            assertThat(missing.code()).isEqualTo(2);
            assertThat(missing.err()).contains("--routes").contains("no such folder");

            Path broken = Files.createDirectories(dir.resolve("broken"));
            Files.writeString(broken.resolve("bad.yaml"), "- route:\n    from:\n      uri: \"nosuchcomponent:x\"\n      steps: []\n");
            Cli.Result bad = new Cli(dir).run("run", sc.toString(), "--target-url", t.baseUrl() + "/event", "--routes", broken.toString(),
                    "--log-file", dir.resolve("r.jsonl").toString());
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).contains("cannot start the routes (with --routes").doesNotContain("\tat ");
            JsonNode end = RunLogs.last(RunLogs.read(dir.resolve("r.jsonl")), "run.end");
            assertThat(end.get("exit_code").asInt()).isEqualTo(2);
            assertThat(end.get("verdict").asText()).isEqualTo("bad input");

            // a routes file that is not UTF-8 or is nested too deep: exit 2 naming the file, in the user's words
            Path routes = Files.createDirectories(dir.resolve("routes"));
            Path file = routes.resolve("r.yaml");
            String[] run = {"run", sc.toString(), "--target-url", t.baseUrl() + "/event", "--routes", routes.toString(), "--metrics-port", "0",
                    "--log-file", dir.resolve("r2.jsonl").toString()};
            // Camel would read the byte as U+FFFD without a word
            Files.write(file, InputErrorsTest.withLatin1("- route:\n    id: caf", "\n    from:\n      uri: \"timer:x\"\n      steps:\n        - log: x\n"));
            InputErrorsTest.assertUserWords(new Cli(dir).run(run),
                    "--routes " + routes + ": " + file + ": not UTF-8 text (invalid byte 0xE9 at byte offset 20, line 2)");
            Files.writeString(file, "- route:\n    from: " + "[".repeat(1001) + "]".repeat(1001) + "\n");
            InputErrorsTest.assertUserWords(new Cli(dir).run(run), "--routes " + routes + ": " + file + ":2: nested deeper than 1000 levels");
            // within the limit, but deeper than Camel's YAML reader recurses: it overflowed its stack (a JVM trace, exit 1);
            // 999 levels overflow a 1 MB thread stack, the JVM's default on 64-bit Linux
            StringBuilder b = new StringBuilder("- route:\n");
            for (int i = 1; i < 998; i++) b.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
            Files.writeString(file, b.append("  ".repeat(999)).append("leaf: 1\n").toString());
            // Whether it overflows depends on the JIT: compiled frames are smaller, and after a warm JVM's earlier work
            // Camel reads all 999 levels and refuses the first unknown key instead. Either way: exit 2, in words.
            Cli.Result deep = new Cli(dir).run(run);
            InputErrorsTest.assertUserWords(deep, "cannot start the routes (with --routes " + routes + "): ");
            assertThat(deep.err()).as(deep.all()).containsAnyOf("a route nested too deep for Camel's YAML reader", "Unsupported field: k1");
        }
    }
}
