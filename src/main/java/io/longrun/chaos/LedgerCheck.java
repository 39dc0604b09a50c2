package io.longrun.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import javax.sql.DataSource;

/**
 * The {@code ledger} assertion: the table holds what the run's events and its fault ledger predict, exactly.
 * Every event of the run (emitter, seq from 0 to its planned count) is one of:
 * <ul>
 *   <li>dropped by design (a {@code drop} line of {@code chaos.ndjson}): absent;</li>
 *   <li>not accepted (rejected, failed, dropped by the pacer): not judged, the target may or may not hold it;</li>
 *   <li>accepted (duplicated, delayed or modified included): present exactly once.</li>
 * </ul>
 * Memory stays small at any length: per emitter two bit sets (dropped by design, not accepted), one bit an event;
 * ids are computed again from (seed, scenario id, emitter, seq), a batch at a time, never all held, and looked up
 * {@link #BATCH} at a time. Differences are counted in full and named up to {@link #NAMED} ids per kind.
 */
public final class LedgerCheck {
    static final int BATCH = 5_000;
    static final int NAMED = 10;

    /** The outcome, in the words of an assertion. */
    public record Result(boolean passed, String observed, String expected) {}

    /** One emitter as the check sees it: how many events it planned, and the id of event {@code seq}. */
    public record Lane(String name, long planned, LongFunction<String> idOf) {}

    private final List<Lane> lanes;
    private final Path ledger;
    private final BitSet[] unaccepted;
    private final StreamChaos.Findings findings;

    /**
     * @param ledger     {@code chaos.ndjson}, or null when the run had no stream fault
     * @param unaccepted per emitter, the events that were not accepted
     * @param findings   the events accepted (2xx) though they must be rejected; null without stream faults
     */
    public LedgerCheck(List<Lane> lanes, Path ledger, BitSet[] unaccepted, StreamChaos.Findings findings) {
        this.lanes = List.copyOf(lanes);
        this.ledger = ledger;
        this.unaccepted = unaccepted;
        this.findings = findings;
    }

    public LedgerCheck(List<Lane> lanes, Path ledger, BitSet[] unaccepted) {
        this(lanes, ledger, unaccepted, null);
    }

    /** A difference kind: how many, and the first ids. */
    static final class Diff {
        long count;
        final List<String> ids = new ArrayList<>();

        void add(String id) {
            count++;
            if (ids.size() < NAMED) ids.add(id);
        }

        String text(String what) {
            return count + " " + what + " (" + String.join(", ", ids) + (count > ids.size() ? ", ..." : "") + ")";
        }
    }

    /** What an id is expected to be in the table. */
    private static final int ABSENT_DROPPED = 0, ONCE = 1, ABSENT_REJECTED = 2;

    /** The differences found, by kind. */
    private static final class Diffs {
        final Diff missing = new Diff(), droppedPresent = new Diff(), rejectedPresent = new Diff(), twice = new Diff(),
                notModified = new Diff();
    }

    public Result check(DataSource ds, String table, String idColumn) throws SQLException {
        LedgerFile file = LedgerFile.read(ledger, lanes.stream().map(Lane::name).toList());
        Diffs d = new Diffs();
        long expected = 0, absent = 0, rejected = 0, unknown = 0;
        try (Connection c = ds.getConnection()) {
            String type = columnType(c, table, idColumn);
            String sql = "select " + idColumn + "::text, count(*) from " + table + " where " + idColumn
                    + " = any(cast(? as " + type + "[])) group by 1";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                List<String> ids = new ArrayList<>(BATCH);
                List<Integer> expect = new ArrayList<>(BATCH);
                for (int e = 0; e < lanes.size(); e++) {
                    Lane lane = lanes.get(e);
                    for (long seq = 0; seq < lane.planned(); seq++) {
                        boolean drop = file.dropped[e].get((int) seq), corrupt = file.corrupted[e].get((int) seq);
                        if (!drop && !corrupt && unaccepted[e].get((int) seq)) {
                            unknown++;
                            continue;
                        }
                        String id = lane.idOf().apply(seq);
                        if (id == null) throw new IllegalStateException("emitter " + lane.name() + "'s events have no id field: the ledger check reads each event's id");
                        ids.add(id);
                        int x = drop ? ABSENT_DROPPED : corrupt ? ABSENT_REJECTED : ONCE;
                        expect.add(x);
                        if (x == ABSENT_DROPPED) absent++;
                        else if (x == ABSENT_REJECTED) rejected++;
                        else expected++;
                        if (ids.size() == BATCH) lookUp(c, ps, ids, expect, d);
                    }
                    lookUp(c, ps, ids, expect, d);
                }
                for (LedgerFile.Injected i : file.injected) { // an injected event: its own id, stored or to be rejected
                    ids.add(i.id());
                    expect.add(i.store() ? ONCE : ABSENT_REJECTED);
                    if (i.store()) expected++;
                    else rejected++;
                    if (ids.size() == BATCH) lookUp(c, ps, ids, expect, d);
                }
                lookUp(c, ps, ids, expect, d);
            }
            List<LedgerFile.Modified> judged = file.modified.stream()
                    .filter(m -> !unaccepted[m.emitter()].get((int) m.seq()) && !file.corrupted[m.emitter()].get((int) m.seq())).toList();
            ModifiedCheck.check(c, table, idColumn, type, judged, d.notModified);
        }
        Diff acceptedRejects = new Diff();
        if (findings != null) {
            acceptedRejects.count = findings.corruptedAccepted() + findings.injectedAccepted();
            for (String id : findings.corruptedIds()) if (acceptedRejects.ids.size() < NAMED) acceptedRejects.ids.add(id);
            for (String id : findings.injectedIds()) if (acceptedRejects.ids.size() < NAMED) acceptedRejects.ids.add(id);
        }
        boolean ok = d.missing.count == 0 && d.droppedPresent.count == 0 && d.rejectedPresent.count == 0 && d.twice.count == 0
                && d.notModified.count == 0 && acceptedRejects.count == 0;
        String exp = expected + " accepted event(s) once each, " + absent + " dropped by design absent"
                + (rejected > 0 ? ", " + rejected + " to be rejected absent" : "")
                + (file.modified.isEmpty() ? "" : ", " + file.modified.size() + " modified value(s) stored")
                + (unknown > 0 ? " (" + unknown + " not accepted, not judged)" : "");
        if (ok) return new Result(true, "as the ledger predicts", exp);
        List<String> parts = new ArrayList<>();
        if (d.missing.count > 0) parts.add(d.missing.text("expected but missing"));
        if (d.droppedPresent.count > 0) parts.add(d.droppedPresent.text("present but dropped by design"));
        if (acceptedRejects.count > 0) parts.add(acceptedRejects.text("accepted (2xx) though corrupted or to be rejected"));
        if (d.rejectedPresent.count > 0) parts.add(d.rejectedPresent.text("present though corrupted or to be rejected"));
        if (d.twice.count > 0) parts.add(d.twice.text("stored twice or more"));
        if (d.notModified.count > 0) parts.add(d.notModified.text("modified value not stored"));
        return new Result(false, String.join("; ", parts), exp);
    }

    private static void lookUp(Connection c, PreparedStatement ps, List<String> ids, List<Integer> expect, Diffs d)
            throws SQLException {
        if (ids.isEmpty()) return;
        Map<String, Long> found = new HashMap<>();
        Array arr = c.createArrayOf("text", ids.toArray());
        ps.setArray(1, arr);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) found.put(rs.getString(1), rs.getLong(2));
        }
        arr.free();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            long n = found.getOrDefault(id, found.getOrDefault(id.toLowerCase(java.util.Locale.ROOT), 0L));
            int x = expect.get(i);
            if (x == ABSENT_DROPPED && n > 0) d.droppedPresent.add(id);
            else if (x == ABSENT_REJECTED && n > 0) d.rejectedPresent.add(id);
            else if (x == ONCE && n == 0) d.missing.add(id);
            else if (x == ONCE && n > 1) d.twice.add(id);
        }
        ids.clear();
        expect.clear();
    }

    /** The id column's type, so that the ids are compared as it stores them (its index serves the look-up). */
    static String columnType(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = to_regclass(?) and attname = ? and not attisdropped")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("table " + table + " has no column " + column);
                return rs.getString(1).replaceAll("\\(.*\\)", "");
            }
        }
    }
}
