package io.longrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.run.ExitCodes;
import io.longrun.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One table of exit codes: {@code longrun --help} prints it, and README's "Exit codes" lists the same codes and meanings. */
class ExitCodesTest {
    private static final Pattern HELP_ENTRY = Pattern.compile("^  (\\d+)\\s+(.*)$");
    private static final Pattern README_ROW = Pattern.compile("^\\| (\\d+) \\| (.*) \\|$");

    @TempDir
    Path dir;

    static Map<Integer, String> table() {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (ExitCodes.Meaning e : ExitCodes.ALL) m.put(e.code(), e.text());
        return m;
    }

    @Test
    void helpPrintsEveryExitCodeWithItsMeaningAssertionsIncluded() {
        Cli.Result r = new Cli(dir).run("--help");
        assertThat(r.code()).isZero();
        String help = r.out();
        assertThat(help).contains("Exit codes:");
        // picocli wraps a long meaning onto indented lines: join them back
        Map<Integer, String> printed = new LinkedHashMap<>();
        Integer last = null;
        for (String line : help.substring(help.indexOf("Exit codes:")).split("\n")) {
            Matcher m = HELP_ENTRY.matcher(line.stripTrailing());
            if (m.matches()) printed.put(last = Integer.valueOf(m.group(1)), m.group(2).trim());
            else if (last != null && line.startsWith("    ")) printed.merge(last, line.trim(), (a, b) -> a + " " + b);
        }
        assertThat(printed).isEqualTo(table());
        assertThat(printed.get(4)).isEqualTo("the run completed, but an end-of-run assertion (or a phase's assertion) failed");
        assertThat(printed.get(5)).startsWith("fault experiment: a signal was still out of tolerance");
        assertThat(printed.get(6)).startsWith("fault experiment: could not be judged");
    }

    /** 130 and 3 (the run did not finish) > 5 (not recovered) > 4 (an assertion failed) > 6 (inconclusive) > 0. */
    @Test
    void whenSeveralCodesApplyTheContractsPrecedenceDecides() {
        int[][] rows = {
                // a, b, wins
                {130, 5, 130}, {5, 130, 130}, {3, 5, 3}, {3, 6, 3}, {130, 3, 130},
                {5, 4, 5}, {4, 5, 5}, {4, 6, 4}, {6, 4, 4}, {6, 0, 6}, {0, 6, 6}, {5, 6, 5}, {0, 0, 0}, {4, 0, 4},
                {2, 130, 2}, {1, 5, 1}, // bad input and internal errors are not outcomes of a run: they win
        };
        for (int[] r : rows) assertThat(ExitCodes.worst(r[0], r[1])).as("%d and %d", r[0], r[1]).isEqualTo(r[2]);
    }

    @Test
    void readmeListsExactlyTheSameCodesAndMeanings() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int at = readme.indexOf("### Exit codes");
        assertThat(at).as("README has an \"### Exit codes\" section").isNotNegative();
        Map<Integer, String> rows = new LinkedHashMap<>();
        for (String line : readme.subList(at + 1, readme.size())) {
            if (line.startsWith("#")) break;
            Matcher m = README_ROW.matcher(line.trim());
            if (m.matches()) rows.put(Integer.valueOf(m.group(1)), m.group(2).replace("`", "").trim());
        }
        assertThat(rows).isEqualTo(table());
    }
}
