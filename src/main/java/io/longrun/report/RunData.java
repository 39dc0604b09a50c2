package io.longrun.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass over a run log leaves: the run's facts, and each series already bucketed, so that its size does
 * not depend on the run's length. Times are seconds since the epoch (UTC), as doubles.
 */
final class RunData {
    /** Points kept per series at most: enough for a chart as wide as a screen, 16 s per point over 6 h. */
    static final int POINTS = 1400;
    /** Alert markers kept at most; the rest are counted. */
    static final int MARKERS = 500;

    JsonNode start;          // the run.start record
    JsonNode end;            // the run.end record, null when the log ends without one
    JsonNode ledger;         // the ledger assertion's record, null without one
    double startTime = Double.NaN, lastTime = Double.NaN, endTime = Double.NaN;
    /** When the schedule's clock started (the first tick's time less its elapsed_s); NaN without ticks. */
    double clockStart = Double.NaN;
    /** The last tick in which events were due: the generator's end, where the drain begins. */
    double lastDueTime = Double.NaN;
    double warmupFrom = Double.NaN, warmupTo = Double.NaN;
    /** A resumed run's gaps: from the dead runner's last record to the resume, with the events missed meanwhile. */
    final List<Gap> gaps = new ArrayList<>();

    record Gap(double from, double to, long missed) {}
    long lines, records, malformed, firstMalformedLine;
    boolean lastLineMalformed;

    /** Per tick, all emitters together: dt, target events, planned, sent, accepted, rejected, failed, dropped; p50 … p99 on both clocks. */
    Buckets ticks;
    long ticksSeen;
    final long[] totals = new long[6]; // planned, sent, accepted, rejected, failed, dropped, from the ticks
    Buckets health;                    // checks, failed, latency_ms (highest)
    long healthChecks, healthFailures;
    Buckets dbSize;                    // db_bytes
    final Growth dbSizeFit = new Growth();
    double dbSizeFirst = Double.NaN, dbSizeLast = Double.NaN, dbSizeFirstTime = Double.NaN, dbSizeLastTime = Double.NaN;
    long dbErrors;
    String firstDbError;
    final Map<String, TableData> tables = new LinkedHashMap<>();
    final List<Marker> markers = new ArrayList<>();
    long markersLeftOut;
    final Map<String, CriterionState> criteria = new LinkedHashMap<>();
    final List<String> warnings = new ArrayList<>();
    /** Charts of fields of the sent events, from a --record file ({@link FieldSeries}). */
    final List<Map<String, Object>> fieldCharts = new ArrayList<>();
    long warningsLeftOut;

    /** One watched table's samples. */
    static final class TableData {
        final String name;
        final Buckets series;              // rows, bytes (last of each bucket)
        final Growth rows = new Growth(), bytes = new Growth(), accepted = new Growth();
        long samples, rowsFirst, rowsLast, rowsMin = Long.MAX_VALUE, rowsMax = Long.MIN_VALUE, bytesFirst, bytesLast;
        double firstTime = Double.NaN, lastTime = Double.NaN, acceptedFirst = Double.NaN, acceptedLast = Double.NaN;
        /** How the first and the last figure were counted; how many figures were estimates from the statistics. */
        String firstMethod = "exact", lastMethod = "exact";
        long estimated;

        TableData(String name, double t0) {
            this.name = name;
            this.series = new Buckets(t0, 1, POINTS, Buckets.Agg.LAST, Buckets.Agg.LAST);
        }
    }

    /** An alert, drawn as a vertical line. */
    record Marker(double time, String criterion, String state, String severity, String message) {}

    /** What a criterion did over the run. */
    static final class CriterionState {
        String kind, severity, lastState, lastMessage;
        long firings;
        double firstFiring = Double.NaN;
    }

    /** A fault experiment's records, gathered as the log is read (nothing is kept when the log has none). */
    final io.longrun.experiment.ExperimentLog experiment = new io.longrun.experiment.ExperimentLog();

    boolean complete() {
        return end != null;
    }
}
