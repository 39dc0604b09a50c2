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
        List<io.longrun.verify.AssertionResult> assertions) {

    public RunResult(int exitCode, String verdict, Optional<String> stoppedBy, Duration elapsed, Path runLog, List<Outcomes.Stats> emitters,
                     Outcomes.Stats total, Latency intended, Latency service, Map<String, TableGrowth> tables) {
        this(exitCode, verdict, stoppedBy, elapsed, runLog, emitters, total, intended, service, tables, List.of());
    }

    /** A watched table's rows at the first and the last sample, and its size at the last. */
    public record TableGrowth(long rowsStart, long rowsEnd, long bytesEnd) {
        public long added() {
            return rowsEnd - rowsStart;
        }
    }
}
