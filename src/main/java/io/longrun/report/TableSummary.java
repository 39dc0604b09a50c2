package io.longrun.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One table's growth over the run and whether it was expected.
 *
 * <p>Rows and bytes per time are least-squares slopes over every DB sample. The ratio to accepted events is the
 * slope of the rows over the slope of the events accepted by each sample's time (fitted at the same instants),
 * so a table that stores one row per accepted event has ratio 1 even while the rate ramps up and down. For a table
 * whose rows were estimated from the statistics while running, it is the rows added between the exact counts at
 * the two ends over the events accepted between them.
 *
 * <p>The verdict: each criterion that names the table states an expectation (see {@link Expectation}); the
 * table is {@code unexpected} when one of them is not met. A table no criterion names is {@code expected} when it
 * did not change or grows in step with accepted events (a ratio within 5% of a whole number ≥ 1).
 */
record TableSummary(String table, long samples, long rowsStart, long rowsEnd, Double rowsPerMin, Double mbPerHour, Double r2, Double ratio,
                    Long projection6h, Long projection24h, String diskLimitAt, Long diskLimitRows, boolean expected, String reason,
                    String startMethod, String endMethod, boolean estimated) {
    /** How far from a whole number a table no criterion names may be and still count as in step with accepted events. */
    static final double IN_STEP_PCT = 5;
    static final double MB = 1048576;

    static TableSummary of(RunData.TableData t, List<Expectation> all, OptionalLong diskLimit, RunData d) {
        Growth rows = t.rows, bytes = t.bytes;
        boolean fit = rows.defined();
        double perSec = fit ? rows.slope() : Double.NaN;
        Double rowsPerMin = fit ? perSec * 60 : null;
        Double mbPerHour = bytes.defined() ? bytes.slope() * 3600 / MB : null;
        Double r2 = fit ? rows.r2() : null;
        double accPerSec = t.accepted.defined() ? t.accepted.slope() : 0;
        Double ratio = fit && accPerSec > 1e-9 ? perSec / accPerSec : null;
        // Rows estimated from the statistics lag their writes by a second or so, which tilts the fitted slope; when both
        // ends were counted, the ratio is theirs instead: rows added over events accepted between the two counts.
        double accAdded = t.acceptedLast - t.acceptedFirst;
        if (t.estimated > 0 && !t.firstMethod.equals("stats") && !t.lastMethod.equals("stats"))
            ratio = accAdded > 0 ? (t.rowsLast - t.rowsFirst) / accAdded : null;
        Long p6 = fit ? Math.max(0, Math.round(t.rowsFirst + perSec * 6 * 3600)) : t.rowsLast;
        Long p24 = fit ? Math.max(0, Math.round(t.rowsFirst + perSec * 24 * 3600)) : t.rowsLast;
        String diskAt = null;
        Long diskRows = null;
        if (diskLimit.isPresent() && !Double.isNaN(d.dbSizeLast)) {
            // this table alone, at its fitted bytes per second from the last sample, fills the database to the limit at …
            double bps = bytes.defined() ? bytes.slope() : 0;
            double left = diskLimit.getAsLong() - d.dbSizeLast;
            if (left <= 0) diskAt = Report.utc(d.dbSizeLastTime);
            else if (bps > 0) diskAt = Report.utc(d.dbSizeLastTime + left / bps);
            // … and holds this many rows when the whole database, at its fitted rate, reaches it
            double eta = Report.dbLimitEta(d, diskLimit.getAsLong());
            if (!Double.isNaN(eta) && fit) diskRows = Math.max(0, Math.round(t.rowsLast + perSec * Math.max(0, eta - t.lastTime)));
        }

        boolean changed = t.rowsMax != t.rowsMin;
        long added = t.rowsLast - t.rowsFirst;
        String growth = !changed ? "did not change (" + n(t.rowsLast) + " rows)"
                : (added >= 0 ? "grew " : "shrank ") + n(Math.abs(added)) + " rows (" + n(t.rowsFirst) + " → " + n(t.rowsLast) + ")"
                + (rowsPerMin != null ? " at " + f(rowsPerMin, 1) + " rows/min" : "")
                + (ratio != null ? ", " + f(ratio, 3) + " rows per accepted event" : "");
        List<String> met = new ArrayList<>(), unmet = new ArrayList<>();
        List<Expectation> mine = all.stream().filter(e -> e.table().equals(t.name)).toList();
        for (Expectation e : mine) {
            switch (e.kind()) {
                case STATIC -> {
                    if (changed) unmet.add(e.criterion() + " expects it static (no growth)");
                    else met.add(e.criterion() + " expects it static");
                }
                case PER_ACCEPTED -> {
                    String want = f(e.value(), 3) + " ± " + f(e.tolerancePct(), 1) + "% rows per accepted event";
                    if (ratio == null) {
                        if (changed) unmet.add("no events were accepted while it changed; " + e.criterion() + " expects " + want);
                        else met.add("no events were accepted; " + e.criterion() + " expects " + want);
                    } else if (Math.abs(ratio - e.value()) <= e.value() * e.tolerancePct() / 100) {
                        met.add("within the " + want + " that " + e.criterion() + " expects");
                    } else {
                        unmet.add(f(ratio, 3) + " is outside the " + want + " that " + e.criterion() + " expects ("
                                + f(100 * (ratio - e.value()) / e.value(), 1) + "%)");
                    }
                }
                case MAX_PER_MIN -> {
                    String limit = e.criterion() + "'s limit of " + f(e.value(), 1) + " rows/min";
                    if (rowsPerMin == null) met.add("too few samples to measure against " + limit);
                    else if (rowsPerMin > e.value()) unmet.add(f(rowsPerMin, 1) + " rows/min is above " + limit);
                    else met.add("within " + limit);
                }
            }
        }
        boolean expected;
        String why;
        if (!mine.isEmpty()) {
            expected = unmet.isEmpty();
            List<String> parts = new ArrayList<>(unmet);
            parts.addAll(met);
            why = String.join("; ", parts);
        } else if (!changed) {
            expected = true;
            why = "no criterion names this table";
        } else if (ratio == null) {
            expected = false;
            why = "it changed while no events were accepted, and no criterion names this table";
        } else {
            long k = Math.round(ratio);
            expected = k >= 1 && Math.abs(ratio - k) <= k * IN_STEP_PCT / 100;
            why = expected ? "in step with accepted events (" + k + " row" + (k == 1 ? "" : "s") + " each); no criterion names this table"
                    : "not in step with accepted events (not within " + f(IN_STEP_PCT, 0) + "% of a whole number of rows each), and no criterion names this table";
        }
        String reason = capitalize(growth) + (fit && changed && r2 != null && r2 < 0.9 ? " (the line fits loosely: R² " + f(r2, 2) + ")" : "")
                + ": " + why + ".";
        return new TableSummary(t.name, t.samples, t.rowsFirst, t.rowsLast, rowsPerMin, mbPerHour, r2, ratio, p6, p24, diskAt, diskRows,
                expected, reason, t.firstMethod, t.lastMethod, t.estimated > 0);
    }

    /** The mark of an estimate: rows from PostgreSQL's statistics, not counted. */
    static final String ESTIMATE = "≈";
    /** The legend of ≈, in the HTML and the Markdown alike. */
    static final String ESTIMATES = "an estimate: fitted over samples read from PostgreSQL's statistics while the run went (the table's count: stats), "
            + "which lag the writes by about a second (up to 10 s). Rows start and rows end are exact counts (count(*) before the first event and after the drain) "
            + "unless marked.";

    /** rows start as shown: ≈ when it is an estimate (its count failed). */
    String rowsStartText() {
        return (startMethod.equals("stats") ? ESTIMATE : "") + n(rowsStart);
    }

    String rowsEndText() {
        return (endMethod.equals("stats") ? ESTIMATE : "") + n(rowsEnd);
    }

    /** Whether a figure of this table is marked as an estimate. */
    boolean marked() {
        return estimated || startMethod.equals("stats") || endMethod.equals("stats");
    }

    /** A figure fitted over the samples: ≈ when some of them were estimates. */
    String fitted(Double v, int decimals) {
        return v == null ? "–" : (estimated ? ESTIMATE : "") + f(v, decimals);
    }

    /** Rows per accepted event: from the counts at the ends when the samples between were estimates (unmarked then). */
    String ratioText() {
        boolean endsCounted = !startMethod.equals("stats") && !endMethod.equals("stats");
        return ratio == null ? "–" : (estimated && !endsCounted ? ESTIMATE : "") + f(ratio, 3);
    }

    String fitted(Long v) {
        return v == null ? "–" : (estimated ? ESTIMATE : "") + n(v);
    }

    String verdict() {
        return expected ? "expected" : "unexpected";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
