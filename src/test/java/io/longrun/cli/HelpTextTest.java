package io.longrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's --help prints cleanly: picocli reads descriptions as format strings, so a bare '%' breaks them. */
class HelpTextTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandsHelpIsPrintedWithoutFormatWarnings() {
        // picocli warns on the process's own standard error, not the command's: capture it
        java.io.PrintStream realErr = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            helps();
        } finally {
            System.setErr(realErr);
        }
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }

    void helps() {
        for (String cmd : new String[] {"run", "validate", "replay", "report", "resume", "target", "proxy", "faults", "suite", "demo", "reset"}) {
            Cli.Result r = new Cli(dir).run(cmd, "--help");
            assertThat(r.code()).as(cmd + ": " + r.all()).isZero();
            assertThat(r.all()).as(cmd).doesNotContain("Could not format").doesNotContain("Exception");
        }
        assertThat(new Cli(dir).run("target", "--help").out()).contains("error_ramp=30%/m");
    }
}
