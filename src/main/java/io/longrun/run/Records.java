package io.longrun.run;

import io.longrun.deliver.Outcomes;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run log's records of what the run saw: a tick per emitter, the checkpoint, a database sample, a health check. */
final class Records {
    private Records() {}

    /** One emitter's tick: its counts, the schedule's rate, latency percentiles and histograms, levels and reasons. */
    static Map<String, Object> tick(Outcomes.Stats s, double elapsed, double effEps, Map<String, Long> levels, String[] hist) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("elapsed_s", RunMonitor.round(elapsed, 3));
        r.put("emitter", s.emitter());
        r.putAll(RunEnd.counts(s));
        r.put("eff_eps", RunMonitor.round(effEps, 3));
        r.put("p50", s.intended().p50());
        r.put("p95", s.intended().p95());
        r.put("p99", s.intended().p99());
        r.put("service_p50", s.service().p50());
        r.put("service_p95", s.service().p95());
        r.put("service_p99", s.service().p99());
        if (!levels.isEmpty()) r.put("levels", levels);
        if (!s.rejectedBy().isEmpty()) r.put("rejected_by", s.rejectedBy());
        if (!s.failedBy().isEmpty()) r.put("failed_by", s.failedBy());
        if (!hist[0].isEmpty()) r.put("hist", Map.of("intended", hist[0], "service", hist[1]));
        return r;
    }

    /**
     * Where each emitter's settled prefix stands: every event below {@code next} ended, and these are the outcomes
     * of those events (with any earlier segment's). A resume starts from the last one.
     */
    static Map<String, Object> checkpoint(Outcomes outcomes, double elapsed) {
        Map<String, Object> per = new LinkedHashMap<>();
        List<Outcomes.Prior> cp = outcomes.checkpoint();
        List<String> names = outcomes.emitters();
        for (int i = 0; i < cp.size(); i++) {
            Outcomes.Prior p = cp.get(i);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("next", p.next());
            e.put("planned", p.planned());
            e.put("sent", p.sent());
            e.put("accepted", p.accepted());
            e.put("rejected", p.rejected());
            e.put("failed", p.failed());
            e.put("dropped", p.dropped());
            if (p.missed() > 0) e.put("missed", p.missed());
            if (!p.rejectedBy().isEmpty()) e.put("rejected_by", p.rejectedBy());
            if (!p.failedBy().isEmpty()) e.put("failed_by", p.failedBy());
            per.put(names.get(i), e);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("elapsed_s", RunMonitor.round(elapsed, 3));
        r.put("emitters", per);
        return r;
    }

    /** One table of a database sample, with how its rows were counted. */
    static Map<String, Object> db(DbSample s, String table, DbSample.Table v) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("table", table);
        r.put("rows", v.rows());
        r.put("bytes", v.bytes());
        r.put("db_bytes", s.databaseBytes());
        r.put("method", v.method().key());
        if (v.reset()) r.put("reset", true);
        if (v.skipped()) r.put("skipped", "locked");
        r.put("poll_ms", RunMonitor.round(s.pollMs(), 1));
        return r;
    }

    /** A health check, or a call of the evaluate endpoint. */
    static Map<String, Object> health(HealthSample s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", s.ok());
        r.put("status", s.status().orElse(null));
        r.put("latency_ms", RunMonitor.round(s.latencyMs(), 2));
        s.error().ifPresent(e -> r.put("error", e));
        return r;
    }
}
