package io.longrun.run;

import io.longrun.runlog.Secrets;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scenario after flags and the environment were applied, as plain maps for the run log. URLs are masked;
 * the database password is never here, only the name of its variable.
 */
final class ResolvedConfig {
    private ResolvedConfig() {}

    static Map<String, Object> of(Scenario sc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", sc.name());
        m.put("duration", sc.duration().equals(Scenario.UNTIL_DONE) ? "until the recordings end" : d(sc.duration()));
        m.put("tick", d(sc.tick()));
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("url", Secrets.maskUrl(sc.target().url()));
        sc.target().healthUrl().ifPresent(h -> target.put("health_url", Secrets.maskUrl(h)));
        target.put("timeout", d(sc.target().timeout()));
        target.put("max_in_flight", sc.target().maxInFlight());
        target.put("catch_up", io.longrun.scenario.Num.text(sc.target().catchUp() * 100) + "%");
        m.put("target", target);
        sc.database().ifPresent(db -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("url", Secrets.maskUrl(db.url()));
            db.user().ifPresent(u -> d.put("user", u));
            d.put("password_env", db.passwordEnv().orElse("PGPASSWORD"));
            // each table with how its rows are counted while running: {name, count: stats | exact | keyset, key}
            List<Object> tables = new ArrayList<>();
            for (io.longrun.scenario.WatchedTable t : db.watched()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("name", t.name());
                tm.put("count", t.count().key());
                t.key().ifPresent(k -> tm.put("key", k));
                tables.add(tm);
            }
            d.put("tables", tables);
            m.put("database", d);
        });
        List<Object> emitters = new ArrayList<>();
        for (Scenario.Emitter e : sc.emitters()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("name", e.name());
            em.put("format", e.format());
            if (e.replay().isPresent()) {
                var r = e.replay().get();
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("files", r.files().stream().map(Object::toString).toList());
                r.rate().ifPresentOrElse(x -> rm.put("rate", x), () -> rm.put("speed", r.speed()));
                r.maxWait().ifPresent(w -> rm.put("max_wait", d(w)));
                rm.put("loop", r.loop());
                rm.put("rebase_now", r.rebaseNow());
                rm.put("new_ids", r.newIds());
                r.timestampField().ifPresent(f -> rm.put("timestamp_field", f));
                em.put("replay", rm);
            } else if (e.interval().isPresent()) {
                em.put("interval", d(e.interval().get().every()));
                em.put("interval_jitter", d(e.interval().get().jitter()));
            } else if (!e.stages().isEmpty()) {
                em.put("start_rate", e.startRate());
                List<Object> stages = new ArrayList<>();
                for (Scenario.Stage st : e.stages()) stages.add(Map.of("duration", d(st.duration()), "rate", st.rate()));
                em.put("stages", stages);
            } else {
                em.put("rate", e.rate());
            }
            em.put("arrivals", e.arrivals().key());
            Scenario.Schedule s = e.schedule();
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("start_after", d(s.startAfter()));
            s.stopAfter().ifPresent(x -> sm.put("stop_after", d(x)));
            sm.put("ramp_up", d(s.rampUp()));
            sm.put("ramp_down", d(s.rampDown()));
            sm.put("jitter_pct", s.jitterPct());
            em.put("schedule", sm);
            e.url().ifPresent(u -> em.put("url", Secrets.maskUrl(u)));
            if (!e.headers().isEmpty()) {
                Map<String, Object> h = new LinkedHashMap<>();
                e.headers().forEach((k, v) -> h.put(k, Secrets.maskHeader(k, v)));
                em.put("headers", h);
            }
            emitters.add(em);
        }
        m.put("emitters", emitters);
        m.put("watch", Map.of("health_every", d(sc.watch().healthEvery()), "db_every", d(sc.watch().dbEvery())));
        List<Object> rules = new ArrayList<>();
        for (Scenario.StopRule r : sc.stopWhen()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("name", r.name());
            rm.put("kind", r.condition().kind());
            rm.put("severity", r.severity().name().toLowerCase(Locale.ROOT));
            rm.put("after", d(r.after()));
            rm.put("condition", r.condition().describe());
            rm.put("params", r.condition().params());
            rules.add(rm);
        }
        m.put("stop_when", rules);
        return m;
    }

    private static String d(Duration d) {
        return Durations.format(d);
    }
}
