package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not UTF-8, or nested deeper than 1000 levels, through the real command line: exit 2, the file, the
 * line, what is wrong in the user's words, and never a Java class name or a stack trace.
 */
class InputErrorsTest {
    // a package-qualified name, an exception or error class, a Jackson setting, a stack frame
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(java|javax|jdk|sun|com|org|io)\\.[a-z]\\w*\\.|\\w+(Exception|Error)\\b|StreamReadConstraints|\\bat [a-z]\\w*\\.|\\tat ");

    @TempDir
    Path dir;

    /** ASCII and UTF-8 text, then one Latin-1 'é' (0xE9, not UTF-8), then more text. */
    static byte[] withLatin1(String before, String after) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        b.write(0xE9);
        b.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    static void assertUserWords(Cli.Result r, String expected) {
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).as(r.all()).contains(expected);
        assertThat(r.all()).as("no Java name or stack trace").doesNotContainPattern(JAVA_NAME);
    }

    /** Nested mappings, one level a line: line 1 holds the top mapping, line 1 + k the (k + 1)th level. */
    static String nestedMappings(int levels) {
        StringBuilder b = new StringBuilder("name: deep\nduration: 1s\na:\n");
        for (int i = 1; i < levels - 1; i++) b.append("  ".repeat(i)).append("k").append(i).append(":\n");
        return b.append("  ".repeat(levels - 1)).append("leaf: 1\n").toString();
    }

    @Test
    void aScenarioThatIsNotUtf8NamesTheFileTheByteItsOffsetAndLine() throws Exception {
        // "é" in UTF-8 (two bytes) on line 2, so that the byte offset is not the character offset
        String head = "name: demo\n# café, in UTF-8\n" + "# a comment line, padding the file\n".repeat(34) + "duration: 10s\nseed: caf";
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, withLatin1(head, "\n"));
        assertThat(head.length()).as("characters").isEqualTo(1241);
        Cli.Result r = new Cli(dir).run("validate", f.toString());
        assertUserWords(r, f + ": not UTF-8 text (invalid byte 0xE9 at byte offset 1242, line 38)");
        assertThat(new Cli(dir).run("run", f.toString(), "--target-url", "http://127.0.0.1:9/x").err()).contains("not UTF-8 text");
    }

    @Test
    void yamlNestedDeeperThan1000LevelsNamesTheLineWhereTheLimitWasPassed() throws Exception {
        // 1001 levels: the top mapping is level 1 (line 1), a's mapping level 2 (line 4), ... level 1001 on line 1003
        Path f = dir.resolve("deep.yaml");
        Files.writeString(f, nestedMappings(1001));
        assertUserWords(new Cli(dir).run("validate", f.toString()), f + ":1003: nested deeper than 1000 levels");

        // on one line, in flow style: emitters' list is level 2, its 1000th nested list level 1001
        Path flow = dir.resolve("flow.yaml");
        Files.writeString(flow, "name: deep\nduration: 1s\nemitters: " + "[".repeat(1000) + "]".repeat(1000) + "\n");
        assertUserWords(new Cli(dir).run("validate", flow.toString()), flow + ":3: nested deeper than 1000 levels");

        // 1000 levels are allowed: the problems are the scenario's own, not the nesting
        Path ok = dir.resolve("thousand.yaml");
        Files.writeString(ok, nestedMappings(1000));
        Cli.Result r = new Cli(dir).run("validate", ok.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(ok + ":3: a: unknown key").doesNotContain("nested deeper");
    }

    @Test
    void aNumberBeyondALongIsTheFieldsProblemNotASyntaxError() throws Exception {
        Path f = dir.resolve("big.yaml");
        Files.writeString(f, "duration: 10s\nseed: 99999999999999999999\ntarget: { url: \"http://127.0.0.1:9/x\" }\nemitters: [ { name: a, rate: 1 } ]\n");
        Cli.Result r = new Cli(dir).run("validate", f.toString());
        assertUserWords(r, f + ":2: seed: must be between -9223372036854775808 and 9223372036854775807, got 99999999999999999999");
        assertThat(r.err()).doesNotContain("not valid YAML").doesNotContain("range of long");
    }

    @Test
    void aTemplateFileThatIsNotUtf8OrNestedTooDeepIsTheTemplateFilesProblem() throws Exception {
        Path sc = dir.resolve("tpl.yaml");
        Files.writeString(sc, "duration: 10s\ntarget: { url: \"http://127.0.0.1:9/x\" }\nemitters:\n  - name: t\n    rate: 1\n    format: template\n"
                + "    template_file: tpl.json\n");
        Path tpl = dir.resolve("tpl.json");
        Files.write(tpl, withLatin1("{\n  \"place\": \"caf", "\"\n}\n"));
        assertUserWords(new Cli(dir).run("validate", sc.toString()),
                sc + ":7: emitters[0].template_file: " + tpl + ": not UTF-8 text (invalid byte 0xE9 at byte offset 17, line 2)");

        Files.writeString(tpl, "{\n  \"a\": " + "[".repeat(1000) + "]".repeat(1000) + "\n}\n");
        assertUserWords(new Cli(dir).run("validate", sc.toString()),
                sc + ":7: emitters[0].template_file: " + tpl + ":2: nested deeper than 1000 levels");

        Files.writeString(tpl, "{\n  \"a\": 1,\n  \"b\": }\n");
        assertUserWords(new Cli(dir).run("validate", sc.toString()), sc + ":7: emitters[0].template_file: " + tpl + ":3: not valid JSON: ");
    }

    @Test
    void aRuleFileThatIsNotUtf8OrNestedTooDeepIsExit2BeforeTheDatabase() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.write(rules, withLatin1("rules:\n  - name: caf", "\n    category: motion\n    absent_for: 10m\n"));
        // the database is never reached: the rule file is read first
        String db = "jdbc:postgresql://127.0.0.1:9/none";
        assertUserWords(new Cli(dir).run("target", "--rules", rules.toString(), "--db-url", db),
                rules + ": not UTF-8 text (invalid byte 0xE9 at byte offset 20, line 2)");

        Files.writeString(rules, "rules:\n  - name: r\n    category: motion\n    absent_for: 10m\n    subject: " + "{a: ".repeat(1000) + "1" + "}".repeat(1000) + "\n");
        assertUserWords(new Cli(dir).run("target", "--rules", rules.toString(), "--db-url", db), rules + ":5: nested deeper than 1000 levels");
    }

    @Test
    void aRecordingLineThatIsNotUtf8IsThatLinesProblemAndTheOthersStillReplay() throws Exception {
        Path rec = dir.resolve("rec.ndjson");
        String first = "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"msg\":\"ok\"}\n";
        Files.write(rec, concat(first.getBytes(StandardCharsets.UTF_8), withLatin1("{\"timestamp\":\"2026-01-01T00:00:01Z\",\"msg\":\"caf", "\"}\n"),
                "{\"timestamp\":\"2026-01-01T00:00:02Z\",\"msg\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8)));
        // --strict: the line, with the byte's offset in the file, before anything is sent
        assertUserWords(new Cli(dir).run("replay", rec.toString(), "--target-url", "http://127.0.0.1:9/x", "--strict"),
                "replay --strict: " + rec + ":2: not UTF-8 text (invalid byte 0xE9 at byte offset 94) (nothing was sent)");
        // without: lines 1 and 3 are planned (a decoder that fails its whole block lost all three)
        Cli.Result r = new Cli(dir).run("replay", rec.toString(), "--target-url", "http://127.0.0.1:9/x", "--dry-run", "--log-file",
                dir.resolve("dry.jsonl").toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("planned in all: 2 events");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }
}
