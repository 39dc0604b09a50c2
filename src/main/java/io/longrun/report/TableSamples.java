package io.longrun.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Where {@link RunLogReader} puts a database sample once the events accepted by its time are known: a line of
 * samples.csv, and the table's (and the database size's) figures in {@link RunData}.
 */
final class TableSamples {
    /** A table's figures at one sample; {@code method}: exact, stats or keyset (exact in logs from before the statistics watcher). */
    record Sample(String time, double t, String table, long rows, long bytes, long dbBytes, String method) {}

    private final RunData d;
    private final Writer csv;
    private double lastDbSizeTime = Double.NaN;

    TableSamples(RunData d, Writer csv) {
        this.d = d;
        this.csv = csv;
    }

    /** Sample {@code s} with the events accepted by its time: a line of samples.csv, and its table's figures. */
    void add(Sample s, double accepted) throws IOException {
        csv.write(String.format(Locale.ROOT, "%s,%.3f,%s,%d,%d,%s,%.0f,%s%n", s.time(), s.t() - d.startTime, csvText(s.table()), s.rows(), s.bytes(),
                s.dbBytes() < 0 ? "" : Long.toString(s.dbBytes()), accepted, csvText(s.method())));
        RunData.TableData td = d.tables.computeIfAbsent(s.table(), n -> new RunData.TableData(n, d.startTime));
        double x = s.t() - d.startTime;
        td.series.add(s.t(), s.rows(), s.bytes());
        td.rows.add(x, s.rows());
        td.bytes.add(x, s.bytes());
        td.accepted.add(x, accepted);
        if (s.method().equals("stats")) td.estimated++;
        if (td.samples == 0) {
            td.firstMethod = s.method();
            td.rowsFirst = s.rows();
            td.bytesFirst = s.bytes();
            td.firstTime = s.t();
            td.acceptedFirst = accepted;
        }
        td.samples++;
        td.rowsLast = s.rows();
        td.lastMethod = s.method();
        td.bytesLast = s.bytes();
        td.lastTime = s.t();
        td.acceptedLast = accepted;
        td.rowsMin = Math.min(td.rowsMin, s.rows());
        td.rowsMax = Math.max(td.rowsMax, s.rows());
        // every table of one sample carries the same db_bytes: one point per sample
        if (s.dbBytes() >= 0 && s.t() != lastDbSizeTime) {
            lastDbSizeTime = s.t();
            d.dbSize.add(s.t(), s.dbBytes());
            d.dbSizeFit.add(x, s.dbBytes());
            if (Double.isNaN(d.dbSizeFirst)) {
                d.dbSizeFirst = s.dbBytes();
                d.dbSizeFirstTime = s.t();
            }
            d.dbSizeLast = s.dbBytes();
            d.dbSizeLastTime = s.t();
        }
    }

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
