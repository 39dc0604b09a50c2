package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's first build prints no ANSI escapes. Maven 3.8 wrote ESC[0m to both streams as it exited, even with
 * {@code -q -B -Dstyle.color=never}. The launcher's own build line is run here with {@code validate} for {@code package}
 * (the same Maven start and exit, without a rebuild), and its output is checked byte for byte.
 */
class LauncherBuildTest {
    static final Path PROJECT = Path.of("").toAbsolutePath();

    @Test
    void theLaunchersBuildLinePrintsNoEscapeBytes() throws Exception {
        String line = Files.readAllLines(PROJECT.resolve("longrun")).stream().map(String::trim)
                .filter(l -> l.contains("mvn -q") && l.endsWith("package >&2")).findFirst()
                .orElseThrow(() -> new AssertionError("the launcher has no 'mvn -q ... package >&2' build line"));
        String validate = line.substring(0, line.length() - "package >&2".length()) + "validate >&2";
        Path out = Files.createTempFile("launcher-build", ".out");
        try {
            Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; here=\"$1\"; " + validate, "build", PROJECT.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("maven finished").isTrue();
            byte[] bytes = Files.readAllBytes(out);
            assertThat(p.exitValue()).as(new String(bytes)).isZero();
            for (int i = 0; i < bytes.length; i++)
                assertThat(bytes[i]).as("byte %d of the build's output is ESC: %s", i, new String(bytes)).isNotEqualTo((byte) 0x1b);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
