package io.longrun.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/test-tools}, which {@code mvn verify} runs before the tests: silent and inert when the tools are there, a
 * clear error with the install command when it cannot get them. (The install itself is not run here: the tools are
 * installed on this machine, and are not removed to test it.)
 */
class TestToolsTest {
    static final Path SCRIPT = Path.of("bin/test-tools").toAbsolutePath();

    @TempDir
    Path dir;

    record Ran(int code, String out, String err) {}

    /** The script under bash, with PATH holding no apt-get and no sudo: any attempt to install fails loudly. */
    Ran run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString()).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().put("PATH", dir.resolve("no-such-bin").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8), Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void withEveryToolPresentItDoesNothingAndSaysNothing() throws Exception {
        for (Tools t : Tools.values()) t.require();
        Ran r = run(Map.of());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).isEmpty();
    }

    @Test
    void aMissingToolThatCannotBeInstalledIsAClearErrorWithTheInstallCommand() throws Exception {
        // the binaries are looked for in a folder holding all but promtool
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (Tools t : Tools.values()) if (t != Tools.PROMTOOL) Files.createSymbolicLink(bin.resolve(t.binary), t.require());
        Ran r = run(Map.of("LONGRUN_TOOLS_BIN", bin.toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("test-tools: apt-get is not here")
                .contains("the tests need prometheus and will fail without them")
                .contains("sudo apt-get install -y --no-install-recommends prometheus\n")
                .doesNotContain("chromium prometheus");

        Ran none = run(Map.of("LONGRUN_TOOLS_BIN", Files.createDirectories(dir.resolve("empty")).toString()));
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("apt-get install -y --no-install-recommends chromium prometheus make nodejs npm\n");
    }

    @Test
    void aTestThatNeedsAMissingToolFailsSayingHowToInstallIt() {
        assertThatThrownBy(() -> Tools.PROMTOOL.require(dir.resolve("promtool"))).isInstanceOf(AssertionError.class)
                .hasMessage("promtool is needed to check the metrics text and the Grafana dashboard's queries and is not installed at "
                        + dir.resolve("promtool") + ": run bin/test-tools (mvn verify runs it first), or apt-get install -y --no-install-recommends prometheus");
    }

    @Test
    void theScriptInstallsEveryToolTheTestsUse() throws Exception {
        String script = Files.readString(SCRIPT);
        for (Tools t : Tools.values()) {
            assertThat(t.path().getParent()).isEqualTo(Path.of("/usr/bin")); // the script's default LONGRUN_TOOLS_BIN
            assertThat(script).contains("[ -x \"$bin/" + t.binary + "\" ] || need+=(" + t.debianPackage + ")");
        }
    }
}
