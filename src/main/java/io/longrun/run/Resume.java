package io.longrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.deliver.Delivery;
import io.longrun.deliver.Outcomes;
import io.longrun.generate.EventContext;
import io.longrun.pace.Clock;
import io.longrun.pace.DueTimes;
import io.longrun.pace.Skipping;
import io.longrun.scenario.Conditions;
import io.longrun.scenario.Scenario;
import io.longrun.watch.Probes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A resumed segment of a run whose runner died. Its schedule keeps the first segment's time zero: each emitter
 * passes over the events that fell due while no runner was up, and goes on with the index (hence the id) an
 * uninterrupted run would have given its next event. Nothing is sent twice.
 *
 * <p>Between an emitter's last checkpoint (its settled prefix) and the kill, some events were sent whose outcome
 * never reached the run log. They are the <em>unconfirmed</em> ones: those due before the last record the dead
 * runner wrote, plus a tick and a second. When a lost_events (or utc_skew) criterion names the table and the id
 * column, they are read back by id: found means accepted. The rest, and every event due after them until the
 * resume, count as {@code missed}, so that {@code planned = accepted + rejected + failed + dropped + missed}.
 */
final class Resume {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOOKUP_BATCH = 5_000;

    private final Resumption earlier;
    private final Scenario sc;
    private final Clock clock;
    private final List<Skipping> lanes = new ArrayList<>();
    private long[] markSeq, found;
    private String checkedIn = null;
    private long checked;

    Resume(Resumption earlier, Scenario sc, Clock clock) {
        this.earlier = earlier;
        this.sc = sc;
        this.clock = clock;
    }

    Resumption earlier() {
        return earlier;
    }

    /** Wraps an emitter's due times so that they can pass over the missed ones; call once per emitter, in order. */
    DueTimes wrap(DueTimes dueTimes) {
        Skipping s = new Skipping(dueTimes);
        lanes.add(s);
        return s;
    }

    /** Seconds from the first segment's time zero to now. */
    double secondsNow() {
        return Duration.between(earlier.timeZero, clock.now()).toNanos() / 1e9;
    }

    /**
     * Before the routes start: passes each emitter over the events it may have sent before the kill (reading them
     * back when it can) and over those missed since, up to now.
     */
    void prepare(List<Delivery.Lane> formats, long seed, String scenarioId, DataSource ds, RunMonitor monitor) {
        double lastSeen = Duration.between(earlier.timeZero, earlier.lastRecord).toNanos() / 1e9;
        double mark = Math.min(secondsNow(), lastSeen + sc.tick().toNanos() / 1e9 + 1);
        markSeq = new long[lanes.size()];
        found = new long[lanes.size()];
        for (int i = 0; i < lanes.size(); i++) {
            lanes.get(i).skipUntil(mark);
            markSeq[i] = Math.max(lanes.get(i).nextIndex(), checkpoint(i).next());
        }
        readBack(formats, seed, scenarioId, ds, monitor);
        double now = secondsNow();
        for (Skipping s : lanes) s.skipUntil(now);
    }

    /** Right before the clock starts again: the last events missed while the routes started. Returns where the schedule stands. */
    double begin() {
        double at = secondsNow();
        resumesAt = new long[lanes.size()];
        for (int i = 0; i < lanes.size(); i++) {
            lanes.get(i).skipUntil(at);
            resumesAt[i] = lanes.get(i).nextIndex();
        }
        return at;
    }

    /**
     * Each emitter's first event of this segment, as {@link #begin} left it: read once there, because the dispatcher
     * then takes that event out of the due times (asking them afterwards gives the one after it).
     */
    private long[] resumesAt;

    private long resumesAt(int i) {
        return resumesAt != null ? resumesAt[i] : lanes.get(i).nextIndex();
    }

    private Resumption.Checkpoint checkpoint(int i) {
        String name = sc.emitters().get(i).name();
        Resumption.Checkpoint c = earlier.checkpoint.get(name);
        return c != null ? c : new Resumption.Checkpoint(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());
    }

    /** The unconfirmed events of each emitter, read back by id from the table a loss or skew criterion names. */
    private void readBack(List<Delivery.Lane> formats, long seed, String scenarioId, DataSource ds, RunMonitor monitor) {
        String table = null, idColumn = null, idField = null;
        for (Scenario.StopRule r : sc.stopWhen()) {
            if (r.condition() instanceof Conditions.LostEvents l) {
                table = l.table();
                idColumn = l.idColumn();
                idField = l.idField();
                break;
            }
            if (r.condition() instanceof Conditions.UtcSkew u && table == null) {
                table = u.table();
                idColumn = u.idColumn();
                idField = u.idField();
            }
        }
        if (ds == null || table == null) return;
        Instant now = clock.now();
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < lanes.size(); i++) {
                Delivery.Lane lane = formats.get(i);
                List<String> ids = new ArrayList<>();
                for (long seq = checkpoint(i).next(); seq < markSeq[i]; seq++) {
                    String id = id(lane.format().render(new EventContext(seed, lane.stream(), lane.name(), seq, scenarioId, now)), idField);
                    if (id != null) ids.add(id);
                    if (ids.size() == LOOKUP_BATCH) {
                        found[i] += Probes.stored(c, table, idColumn, ids).size();
                        checked += ids.size();
                        ids.clear();
                    }
                }
                found[i] += Probes.stored(c, table, idColumn, ids).size();
                checked += ids.size();
            }
            checkedIn = table + "." + idColumn;
        } catch (SQLException | RuntimeException e) {
            java.util.Arrays.fill(found, 0);
            checked = 0;
            monitor.warning("resume: the events sent just before the kill could not be read back from " + table + " (" + e.getMessage()
                    + "); they count as missed");
        }
    }

    private static String id(byte[] body, String path) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isArray() && !n.isEmpty()) n = n.get(0);
            for (String part : path.split("\\.")) {
                if (n == null) return null;
                n = n.get(part);
            }
            return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
        } catch (java.io.IOException e) {
            return null; // not JSON: nothing to read back by id
        }
    }

    /** What emitter {@code i}'s earlier segments come to, now that its events below the resume point are accounted for. */
    Outcomes.Prior prior(int i) {
        Resumption.Checkpoint c = checkpoint(i);
        long next = resumesAt(i);
        long uncertain = Math.max(0, next - c.next());
        long f = Math.min(found[i], uncertain);
        org.HdrHistogram.Histogram[] h = earlier.latency.get(sc.emitters().get(i).name());
        return new Outcomes.Prior(next, c.planned() + uncertain, c.sent() + f, c.accepted() + f, c.rejected(), c.failed(), c.dropped(),
                c.missed() + uncertain - f, c.rejectedBy(), c.failedBy(), h == null ? null : h[0], h == null ? null : h[1]);
    }

    /** The run.resume record: where the schedule stands, how long nobody ran it, what was missed and read back. */
    Map<String, Object> record(double at, int segment) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segment", segment);
        m.put("time_zero", earlier.timeZero.toString());
        m.put("elapsed_s", RunMonitor.round(at, 3));
        m.put("last_record", earlier.lastRecord.toString());
        m.put("gap_s", RunMonitor.round(Duration.between(earlier.lastRecord, clock.now()).toNanos() / 1e9, 3));
        Map<String, Object> per = new LinkedHashMap<>();
        long down = 0, unconfirmed = 0, recovered = 0;
        for (int i = 0; i < lanes.size(); i++) {
            Resumption.Checkpoint c = checkpoint(i);
            long next = resumesAt(i), mark = Math.min(markSeq[i], next);
            long unc = Math.max(0, mark - c.next()), f = Math.min(found[i], unc);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("checkpoint", c.next());
            e.put("resumes_at", next);
            e.put("unconfirmed", unc);
            e.put("read_back", f);
            e.put("missed", next - c.next() - f);
            per.put(sc.emitters().get(i).name(), e);
            down += next - mark;
            unconfirmed += unc - f;
            recovered += f;
        }
        m.put("emitters", per);
        current = new java.util.TreeMap<>(Map.of("down", down, "unconfirmed", unconfirmed));
        m.put("missed_by", current);
        if (checkedIn != null) m.put("read_back", Map.of("from", checkedIn, "checked", checked, "found", recovered));
        return m;
    }

    private Map<String, Long> current;

    /** Missed events of the whole run by why: {@code down} (due while no runner was up), {@code unconfirmed} (sent, outcome unknown). */
    Map<String, Long> missedBy() {
        Map<String, Long> m = new java.util.TreeMap<>(earlier.missedBy);
        if (current != null) current.forEach((k, v) -> m.merge(k, v, Long::sum));
        return m;
    }

    /** For the start line: what this resume missed. */
    String missedText() {
        long n = current == null ? 0 : current.values().stream().mapToLong(Long::longValue).sum();
        return n + " event(s) missed while it was down";
    }
}
