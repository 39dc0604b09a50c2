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

    /**
     * @param ledger     {@code chaos.ndjson}, or null when the run had no stream fault
     * @param unaccepted per emitter, the events that were not accepted
     */
    public LedgerCheck(List<Lane> lanes, Path ledger, BitSet[] unaccepted) {
        this.lanes = List.copyOf(lanes);
        this.ledger = ledger;
        this.unaccepted = unaccepted;
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

    public Result check(DataSource ds, String table, String idColumn) throws SQLException {
        BitSet[] dropped = dropped();
        Diff missing = new Diff(), droppedPresent = new Diff(), twice = new Diff();
        long expected = 0, absent = 0, unknown = 0;
        try (Connection c = ds.getConnection()) {
            String type = columnType(c, table, idColumn);
            String sql = "select " + idColumn + "::text, count(*) from " + table + " where " + idColumn
                    + " = any(cast(? as " + type + "[])) group by 1";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int e = 0; e < lanes.size(); e++) {
                    Lane lane = lanes.get(e);
                    List<String> ids = new ArrayList<>(BATCH);
                    List<Integer> expect = new ArrayList<>(BATCH); // 0 absent, 1 once
                    for (long seq = 0; seq < lane.planned(); seq++) {
                        boolean drop = dropped[e].get((int) seq);
                        if (!drop && unaccepted[e].get((int) seq)) {
                            unknown++;
                            continue;
                        }
                        String id = lane.idOf().apply(seq);
                        if (id == null) throw new IllegalStateException("emitter " + lane.name() + "'s events have no id field: the ledger check reads each event's id");
                        ids.add(id);
                        expect.add(drop ? 0 : 1);
                        if (drop) absent++;
                        else expected++;
                        if (ids.size() == BATCH) lookUp(c, ps, ids, expect, missing, droppedPresent, twice);
                    }
                    lookUp(c, ps, ids, expect, missing, droppedPresent, twice);
                }
            }
        }
        boolean ok = missing.count == 0 && droppedPresent.count == 0 && twice.count == 0;
        String exp = expected + " accepted event(s) once each, " + absent + " dropped by design absent"
                + (unknown > 0 ? " (" + unknown + " not accepted, not judged)" : "");
        if (ok) return new Result(true, "as the ledger predicts", exp);
        List<String> parts = new ArrayList<>();
        if (missing.count > 0) parts.add(missing.text("expected but missing"));
        if (droppedPresent.count > 0) parts.add(droppedPresent.text("present but dropped by design"));
        if (twice.count > 0) parts.add(twice.text("stored twice or more"));
        return new Result(false, String.join("; ", parts), exp);
    }

    private static void lookUp(Connection c, PreparedStatement ps, List<String> ids, List<Integer> expect, Diff missing, Diff droppedPresent, Diff twice)
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
            if (expect.get(i) == 0 && n > 0) droppedPresent.add(id);
            else if (expect.get(i) == 1 && n == 0) missing.add(id);
            else if (expect.get(i) == 1 && n > 1) twice.add(id);
        }
        ids.clear();
        expect.clear();
    }

    /** The id column's type, so that the ids are compared as it stores them (its index serves the look-up). */
    private static String columnType(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = to_regclass(?) and attname = ? and not attisdropped")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("table " + table + " has no column " + column);
                return rs.getString(1).replaceAll("\\(.*\\)", "");
            }
        }
    }

    /** Per emitter, the events the ledger says were dropped by design. */
    private BitSet[] dropped() {
        BitSet[] out = new BitSet[lanes.size()];
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < lanes.size(); i++) {
            out[i] = new BitSet();
            index.put(lanes.get(i).name(), i);
        }
        if (ledger == null || !Files.exists(ledger)) return out;
        try (BufferedReader r = Files.newBufferedReader(ledger, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.contains("\"drop\"")) continue;
                JsonNode n = ChaosBody.json().readTree(line);
                Integer e = index.get(n.path("emitter").asText());
                if (e != null && "drop".equals(n.path("fault").asText())) out[e].set((int) n.path("seq").asLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + ledger + ": " + e.getMessage(), e);
        }
        return out;
    }
}
