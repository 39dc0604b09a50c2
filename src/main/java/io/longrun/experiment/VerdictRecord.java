package io.longrun.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.scenario.Experiment.Signal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verdict as scripts read it: the {@code experiment.verdict} record of the run log and the {@code experiment} key
 * of summary.json are this one object.
 * <pre>
 * { verdict, reason, recovery_s, tolerance_pct, hold_s, signals: [judged], notes: [..],
 *   baseline: { eps, error_pct, p95_ms, ingest_eps, from_s, to_s, settled },
 *   phases: [ { name, start, end, baseline, cut, eps, error_pct, p50_ms, p95_ms, ingest_eps,
 *               faults: [ { kind, proxy, desc, on_s, off_s, bytes: {up, down} | null, error? } ],
 *               effective (null without faults), impact_s, worst: { eps, throughput_pct, error_pct, p95_ms, ingest_eps }, lost } ] }
 * </pre>
 * Figures without a value (no database, nothing settled) are null.
 */
public final class VerdictRecord {
    private VerdictRecord() {}

    /** A judged experiment: the verdict and its record. */
    public record Judged(Verdict verdict, Map<String, Object> record, List<PhaseSpan> phases, List<PhaseFigures> figures) {}

    /** Judges the experiment of a run log; empty when the log has none. */
    public static Optional<Judged> judge(Path runLog) throws IOException {
        ExperimentLog x = ExperimentLog.read(runLog);
        return x.present() ? Optional.of(judge(x)) : Optional.empty();
    }

    public static Judged judge(ExperimentLog x) {
        return judge(x, null, 0);
    }

    /**
     * @param lost     what lost_events read back during the run; null when it did not (each phase's {@code lost} is then null)
     * @param timeZero the schedule's time zero (monotonic ns), to place each read-back event in its phase
     */
    public static Judged judge(ExperimentLog x, LostTally lost, long timeZero) {
        List<PhaseSpan> phases = x.phases();
        Verdict v = Judge.judge(phases, x.series(), x.recovery());
        List<PhaseFigures> figures = x.figures();
        long[][] perPhase = lost == null ? null : lost.perPhase(phases, timeZero);
        return new Judged(v, of(v, phases, figures, x.recovery().tolerancePct(), x.recovery().hold().toMillis() / 1000.0, perPhase), phases, figures);
    }

    public static Map<String, Object> of(Verdict v, List<PhaseSpan> phases, List<PhaseFigures> figures, double tolerancePct, double holdS) {
        return of(v, phases, figures, tolerancePct, holdS, null);
    }

    /**
     * @param lost per phase {checked, missing} among lost_events' sampled accepted events; null when not read back.
     *             A phase's {@code lost} is round(missing / checked × accepted in the phase), {@code lost_sampled} the
     *             sample itself.
     */
    public static Map<String, Object> of(Verdict v, List<PhaseSpan> phases, List<PhaseFigures> figures, double tolerancePct, double holdS,
                                         long[][] lost) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", v.kind().key());
        m.put("reason", v.reason());
        m.put("recovery_s", v.recoveryS());
        Map<String, Object> b = new LinkedHashMap<>();
        Verdict.Baseline base = v.baseline();
        b.put("eps", num(base.eps()));
        b.put("error_pct", num(base.median(Signal.ERROR_RATE)));
        b.put("p95_ms", num(base.median(Signal.P95)));
        b.put("ingest_eps", num(base.ingestEps()));
        b.put("from_s", num(base.from()));
        b.put("to_s", num(base.to()));
        b.put("settled", base.settled());
        m.put("baseline", b);
        m.put("tolerance_pct", tolerancePct);
        m.put("hold_s", holdS);
        m.put("signals", v.judged().stream().map(Signal::yaml).toList());
        m.put("notes", v.notes());
        List<Object> ps = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            PhaseSpan p = phases.get(i);
            PhaseFigures f = i < figures.size() ? figures.get(i) : new PhaseFigures();
            Verdict.PhaseVerdict pv = v.phases().get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", p.name());
            r.put("start", num(p.start()));
            r.put("end", num(p.end()));
            r.put("baseline", p.baseline());
            r.put("cut", p.cut());
            r.put("eps", num(f.eps()));
            r.put("error_pct", num(f.errorPct()));
            r.put("p50_ms", num(f.intended(50)));
            r.put("p95_ms", num(f.intended(95)));
            r.put("ingest_eps", num(f.ingestEps()));
            List<Object> fs = new ArrayList<>();
            for (FaultSpan fault : p.faults()) fs.add(fault(fault));
            r.put("faults", fs);
            r.put("effective", pv.effective());
            r.put("impact_s", pv.impactS());
            Map<String, Object> worst = new LinkedHashMap<>();
            pv.worst().forEach((k, w) -> worst.put(k, num(w)));
            r.put("worst", worst);
            if (lost != null && i < lost.length && lost[i][0] > 0) {
                r.put("lost", Math.round((double) lost[i][1] / lost[i][0] * f.accepted));
                r.put("lost_sampled", Map.of("checked", lost[i][0], "missing", lost[i][1]));
            } else r.put("lost", null);
            ps.add(r);
        }
        m.put("phases", ps);
        return m;
    }

    private static Map<String, Object> fault(FaultSpan f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", f.kind());
        m.put("proxy", f.proxy());
        m.put("desc", f.desc());
        m.put("on_s", num(f.on()));
        m.put("off_s", num(f.off()));
        if (f.bytesUp() == null && f.bytesDown() == null) m.put("bytes", null);
        else {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("up", f.bytesUp());
            b.put("down", f.bytesDown());
            m.put("bytes", b);
        }
        if (f.error() != null) m.put("error", f.error());
        return m;
    }

    /** A figure rounded to 3 decimals; null for NaN. */
    static Double num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return null;
        return Math.round(v * 1000) / 1000.0;
    }

    /** The verdict's kind from a record ("passed", ...). */
    public static Optional<Verdict.Kind> kind(JsonNode record) {
        String k = record.path("verdict").asText("");
        for (Verdict.Kind v : Verdict.Kind.values()) if (v.key().equals(k)) return Optional.of(v);
        return Optional.empty();
    }
}
