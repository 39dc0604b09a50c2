package io.longrun.run;

import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a run ended: the exit code and verdict, the delivery totals, the growth of each watched table, and where
 * its run log is.
 */
public record RunResult(
        int exitCode,
        String verdict,
        Optional<String> stoppedBy,
        Duration elapsed,
        Path runLog,
        List<Outcomes.Stats> emitters,
        Outcomes.Stats total,
        Latency intended,
        Latency service,
        Map<String, TableGrowth> tables,
        List<io.longrun.verify.AssertionResult> assertions,
        List<FiredCriterion> criteria) {

    /** A stop criterion (severity abort) that fired during the run, and what it saw. */
    public record FiredCriterion(String criterion, String text) {}

    public RunResult(int exitCode, String verdict, Optional<String> stoppedBy, Duration elapsed, Path runLog, List<Outcomes.Stats> emitters,
                     Outcomes.Stats total, Latency intended, Latency service, Map<String, TableGrowth> tables,
                     List<io.longrun.verify.AssertionResult> assertions) {
        this(exitCode, verdict, stoppedBy, elapsed, runLog, emitters, total, intended, service, tables, assertions, List.of());
    }

    public RunResult(int exitCode, String verdict, Optional<String> stoppedBy, Duration elapsed, Path runLog, List<Outcomes.Stats> emitters,
                     Outcomes.Stats total, Latency intended, Latency service, Map<String, TableGrowth> tables) {
        this(exitCode, verdict, stoppedBy, elapsed, runLog, emitters, total, intended, service, tables, List.of());
    }

    /**
     * A watched table's rows at its first and its last figure, how each was counted ("exact", "keyset"; "stats"
     * when the count at that end failed and the statistics' estimate is all there is), and its size at the last.
     */
    public record TableGrowth(long rowsStart, long rowsEnd, long bytesEnd, String startMethod, String endMethod) {
        public TableGrowth(long rowsStart, long rowsEnd, long bytesEnd) {
            this(rowsStart, rowsEnd, bytesEnd, "exact", "exact");
        }

        public long added() {
            return rowsEnd - rowsStart;
        }

        /** Whether both ends are counts (exact, or keyset's recount), not estimates. */
        public boolean counted() {
            return !startMethod.equals("stats") && !endMethod.equals("stats");
        }
    }
}
