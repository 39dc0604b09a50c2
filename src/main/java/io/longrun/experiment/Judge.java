package io.longrun.experiment;

import io.longrun.scenario.Experiment.Recovery;
import io.longrun.scenario.Experiment.Signal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verdict of a fault experiment, from its phases and its ticks: a pure function, tested on synthetic series.
 *
 * <ul>
 *   <li><b>Baseline</b>: the median of each signal over the baseline phase, its first {@code hold} (at most half the
 *       phase) left out as warm-up. It is <b>stable</b> when, for every judged signal, at least {@value #STABLE_SHARE_PCT} %
 *       of its ticks are within tolerance of that median; it needs at least {@value #MIN_EVENTS} settled events and
 *       {@value #MIN_TICKS} ticks.</li>
 *   <li><b>Out</b>: a signal is out in a tick when {@link Tolerance} says so and it is out in a neighbouring tick too:
 *       one tick out between ticks within is noise (a pause), not an impact. Only ticks after the baseline phase count.</li>
 *   <li><b>Effective</b>: a fault took effect when the proxy carried bytes while it was on (an engine that cannot tell
 *       counts as effective). A {@code down} fault carries nothing by design: it counts when the proxy carried bytes in
 *       the phase before it came on ({@code bytes_before}), when a signal left tolerance while it was on, or when the
 *       same proxy carried bytes under an earlier fault.</li>
 *   <li><b>Recovery</b>: from the last fault's confirmed removal to the start of the first stretch in which every
 *       signal stayed within tolerance for {@code hold}.</li>
 * </ul>
 */
public final class Judge {
    /** Settled events the judged part of the baseline needs at least. */
    public static final int MIN_EVENTS = 100;
    /** Ticks the judged part of the baseline needs at least. */
    public static final int MIN_TICKS = 3;
    /** The share of baseline ticks within tolerance of its median for the baseline to be stable, in %. */
    public static final int STABLE_SHARE_PCT = 80;

    private Judge() {}

    public static Verdict judge(List<PhaseSpan> phases, Series s, Recovery rec) {
        Tolerance tol = new Tolerance(rec.tolerancePct());
        double hold = rec.hold().toMillis() / 1000.0;
        int b = 0;
        for (int i = 0; i < phases.size(); i++) if (phases.get(i).baseline()) b = i;
        PhaseSpan bp = phases.get(b);
        double from = bp.start() + Math.min(hold, (bp.end() - bp.start()) / 2);
        List<String> notes = new ArrayList<>();

        // the baseline
        List<Integer> base = ticks(s, from, bp.end());
        long settled = 0;
        for (int i : base) settled += (long) s.settled()[i];
        Map<Signal, Double> median = new EnumMap<>(Signal.class), share = new EnumMap<>(Signal.class);
        List<Signal> judged = new ArrayList<>();
        for (Signal sig : rec.signals()) {
            double m = median(s, sig, base);
            if (Double.isNaN(m) || (!Tolerance.higherIsWorse(sig) && m <= 0)) {
                notes.add(Tolerance.name(sig) + " not judged: the baseline has no figure of it"
                        + (sig == Signal.INGEST ? " (no database watched, or its tables did not grow)" : ""));
                continue;
            }
            median.put(sig, m);
            int n = 0, within = 0;
            for (int i : base) {
                double v = s.value(sig, i);
                if (Double.isNaN(v)) continue;
                n++;
                if (!tol.out(sig, v, m)) within++;
            }
            share.put(sig, n == 0 ? 1.0 : (double) within / n);
            judged.add(sig);
        }
        Verdict.Baseline baseline = new Verdict.Baseline(median, share, from, bp.end(), settled, base.size(), median(s.eps(), base),
                median(s.ingestEps(), base));

        // the ticks after the baseline, and when each signal was out in them
        int first = s.size();
        for (int i = 0; i < s.size(); i++)
            if (mid(s, i) >= bp.end()) {
                first = i;
                break;
            }
        Map<Signal, boolean[]> out = new EnumMap<>(Signal.class);
        for (Signal sig : judged) out.put(sig, outMask(s, sig, median.get(sig), tol, first));

        List<Verdict.PhaseVerdict> pv = new ArrayList<>();
        for (PhaseSpan p : phases) pv.add(phase(p, phases, s, out, first));

        // a fault that never took effect makes the experiment inconclusive whatever the baseline did
        String why = neverEffective(phases, pv);
        if (why == null) why = baselineProblem(bp, from, settled, base.size(), judged, notes, share, median, tol);
        if (why != null) return new Verdict(Verdict.Kind.INCONCLUSIVE, why, null, baseline, pv, judged, notes);

        // the first tick out after the baseline
        int firstOut = -1;
        Signal left = null;
        for (int i = first; i < s.size() && firstOut < 0; i++)
            for (Signal sig : judged)
                if (out.get(sig)[i]) {
                    firstOut = i;
                    left = sig;
                    break;
                }
        if (firstOut < 0)
            return new Verdict(Verdict.Kind.PASSED, "no signal left " + Tolerance.fmt(tol.pct()) + " % of its baseline: " + worstText(s, judged, median, first),
                    null, baseline, pv, judged, notes);

        double removed = lastRemoval(phases, bp.end());
        String impact = impactText(phases, s, left, firstOut, median.get(left), tol, first);
        int i = first;
        while (i < s.size()) {
            if (s.t()[i] <= removed || anyOut(out, i)) {
                i++;
                continue;
            }
            double st = Math.max(s.from(i), removed);
            int j = i;
            while (j < s.size() && !anyOut(out, j)) {
                if (s.t()[j] - st >= hold - 1e-9) {
                    double rs = round(st - removed);
                    return new Verdict(Verdict.Kind.RECOVERED, impact + String.format(Locale.ROOT, "; every signal was back within tolerance for %s s from %s s "
                            + "after the last fault came off", Tolerance.fmt(hold), Tolerance.fmt(rs)), rs, baseline, pv, judged, notes);
                }
                j++;
            }
            i = j;
        }
        return new Verdict(Verdict.Kind.NOT_RECOVERED, impact + "; " + stillOut(s, judged, out, median, tol, removed, hold), null, baseline, pv, judged, notes);
    }

    /** Why the baseline cannot be judged against: too few events, no signal, or unstable; null when it can. */
    private static String baselineProblem(PhaseSpan bp, double from, long settled, int ticks, List<Signal> judged, List<String> notes,
                                          Map<Signal, Double> share, Map<Signal, Double> median, Tolerance tol) {
        if (settled < MIN_EVENTS || ticks < MIN_TICKS)
            return String.format(Locale.ROOT, "too few events to judge: the baseline phase %s settled %d event(s) in %d tick(s) after its first %s s "
                    + "(at least %d events and %d ticks are needed)", bp.name(), settled, ticks, Tolerance.fmt(from - bp.start()), MIN_EVENTS, MIN_TICKS);
        if (judged.isEmpty()) return "no signal to judge: " + String.join("; ", notes);
        for (Signal sig : judged)
            if (share.get(sig) * 100 < STABLE_SHARE_PCT)
                return String.format(Locale.ROOT, "the baseline was not stable: only %.0f %% of the baseline phase's ticks had %s within tolerance of its "
                        + "median %s (a tick %s is out; %d %% needed)", share.get(sig) * 100, Tolerance.name(sig), Tolerance.value(sig, median.get(sig)),
                        tol.limitText(sig, median.get(sig)), STABLE_SHARE_PCT);
        return null;
    }

    /** The ticks whose middle falls in [from, to). */
    static List<Integer> ticks(Series s, double from, double to) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            double m = mid(s, i);
            if (m >= from && m < to) out.add(i);
        }
        return out;
    }

    private static double mid(Series s, int i) {
        return s.t()[i] - s.dt()[i] / 2;
    }

    private static double median(Series s, Signal sig, List<Integer> idx) {
        double[] v = s.values().get(sig);
        return v == null ? Double.NaN : median(v, idx);
    }

    static double median(double[] v, List<Integer> idx) {
        double[] x = idx.stream().mapToDouble(i -> v[i]).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (x.length == 0) return Double.NaN;
        return x.length % 2 == 1 ? x[x.length / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
    }

    /** Out in a tick and in a neighbouring one, from tick {@code first} on. */
    private static boolean[] outMask(Series s, Signal sig, double base, Tolerance tol, int first) {
        boolean[] raw = new boolean[s.size()], mask = new boolean[s.size()];
        for (int i = first; i < s.size(); i++) raw[i] = tol.out(sig, s.value(sig, i), base);
        for (int i = first; i < s.size(); i++)
            mask[i] = raw[i] && ((i > first && raw[i - 1]) || (i + 1 < s.size() && raw[i + 1]));
        return mask;
    }

    private static boolean anyOut(Map<Signal, boolean[]> out, int i) {
        for (boolean[] m : out.values()) if (m[i]) return true;
        return false;
    }

    private static Verdict.PhaseVerdict phase(PhaseSpan p, List<PhaseSpan> all, Series s, Map<Signal, boolean[]> out, int first) {
        List<Integer> idx = ticks(s, p.start(), p.end());
        Map<String, Double> worst = new LinkedHashMap<>();
        worst.put("eps", extreme(s.eps(), idx, false));
        double[] thr = s.values().get(Signal.THROUGHPUT);
        worst.put("throughput_pct", thr == null ? Double.NaN : extreme(thr, idx, false) * 100);
        double[] err = s.values().get(Signal.ERROR_RATE), p95 = s.values().get(Signal.P95);
        worst.put("error_pct", err == null ? Double.NaN : extreme(err, idx, true));
        worst.put("p95_ms", p95 == null ? Double.NaN : extreme(p95, idx, true));
        worst.put("ingest_eps", extreme(s.ingestEps(), idx, false));
        if (p.faults().isEmpty()) return new Verdict.PhaseVerdict(null, worst, null);
        double on = p.firstOn();
        Double impact = null;
        if (!Double.isNaN(on))
            for (int i = Math.max(first, 0); i < s.size() && s.from(i) < p.end(); i++)
                if (s.t()[i] > on && anyOut(out, i)) {
                    impact = round(s.t()[i] - on);
                    break;
                }
        boolean effective = false;
        for (FaultSpan f : p.faults()) effective |= effective(f, p, all, s, out);
        return new Verdict.PhaseVerdict(impact, worst, effective);
    }

    private static boolean effective(FaultSpan f, PhaseSpan p, List<PhaseSpan> all, Series s, Map<Signal, boolean[]> out) {
        if (!f.applied()) return false;
        Boolean carried = f.carried();
        if (carried == null || carried) return true;
        if (!f.kind().equals("down")) return false;
        if (f.before() != null && f.before() > 0) return true; // traffic flowed before the proxy went down
        double off = Double.isNaN(f.off()) ? p.end() : f.off();
        for (int i = 0; i < s.size(); i++) if (s.t()[i] > f.on() && s.from(i) < off && anyOut(out, i)) return true;
        for (PhaseSpan q : all) {
            if (q.index() >= p.index()) break;
            for (FaultSpan g : q.faults()) if (g.proxy().equals(f.proxy()) && Boolean.TRUE.equals(g.carried())) return true;
        }
        return false;
    }

    private static String neverEffective(List<PhaseSpan> phases, List<Verdict.PhaseVerdict> pv) {
        FaultSpan example = null;
        for (int k = 0; k < phases.size(); k++) {
            if (pv.get(k).effective() == null) continue;
            if (pv.get(k).effective()) return null;
            if (example == null) example = phases.get(k).faults().get(0);
        }
        if (example == null) return null;
        if (!example.applied())
            return "the fault never took effect: " + example.desc() + " was never applied" + (example.error() == null ? "" : " (" + example.error() + ")");
        return "the fault never took effect: proxy " + example.proxy() + " carried no bytes while " + example.desc() + " was on";
    }

    private static double lastRemoval(List<PhaseSpan> phases, double otherwise) {
        double r = otherwise;
        for (PhaseSpan p : phases)
            for (FaultSpan f : p.faults()) if (f.applied()) r = Math.max(r, Double.isNaN(f.off()) ? p.end() : f.off());
        return r;
    }

    private static double extreme(double[] v, List<Integer> idx, boolean max) {
        double w = Double.NaN;
        for (int i : idx) {
            double x = v[i];
            if (Double.isNaN(x)) continue;
            if (Double.isNaN(w) || (max ? x > w : x < w)) w = x;
        }
        return w;
    }

    /** "p95 left the tolerance 1.8 s after latency 200 ms on db came on (worst 243 ms, above 1.25 × baseline 41 ms)". */
    private static String impactText(List<PhaseSpan> phases, Series s, Signal sig, int i, double base, Tolerance tol, int first) {
        double worst = Double.NaN;
        for (int k = first; k < s.size(); k++) if (Tolerance.worse(sig, s.value(sig, k), worst)) worst = s.value(sig, k);
        String when = String.format(Locale.ROOT, "at %s s", Tolerance.fmt(round(s.t()[i])));
        for (PhaseSpan p : phases) {
            double on = p.firstOn();
            if (!Double.isNaN(on) && s.t()[i] > on && s.from(i) < p.end()) {
                FaultSpan f = p.faults().stream().filter(FaultSpan::applied).findFirst().orElseThrow();
                when = String.format(Locale.ROOT, "%s s after %s came on", Tolerance.fmt(round(s.t()[i] - on)), f.desc());
            }
        }
        return Tolerance.name(sig) + " left the tolerance " + when + " (worst " + Tolerance.value(sig, worst) + ", " + tol.limitText(sig, base) + ")";
    }

    private static String stillOut(Series s, List<Signal> judged, Map<Signal, boolean[]> out, Map<Signal, Double> median, Tolerance tol,
                                   double removed, double hold) {
        int last = s.size() - 1;
        List<String> parts = new ArrayList<>();
        for (Signal sig : judged) {
            int k = last; // the signal's last tick with a figure: a last tick too thin to judge says nothing
            while (k >= 0 && Double.isNaN(s.value(sig, k)) && !out.get(sig)[k]) k--;
            if (k >= 0 && (out.get(sig)[k] || tol.out(sig, s.value(sig, k), median.get(sig))))
                parts.add(Tolerance.name(sig) + " " + Tolerance.value(sig, s.value(sig, k)) + " stayed " + tol.limitText(sig, median.get(sig)) + " until the end");
        }
        if (!parts.isEmpty()) return String.join("; ", parts);
        double end = last >= 0 ? s.t()[last] : removed;
        if (end <= removed) return "the run ended before the last fault came off";
        return String.format(Locale.ROOT, "no stretch of %s s with every signal within tolerance in the %s s from the last fault's removal to the end",
                Tolerance.fmt(hold), Tolerance.fmt(round(end - removed)));
    }

    private static String worstText(Series s, List<Signal> judged, Map<Signal, Double> median, int first) {
        List<String> parts = new ArrayList<>();
        for (Signal sig : judged) {
            double w = Double.NaN;
            for (int k = first; k < s.size(); k++) if (Tolerance.worse(sig, s.value(sig, k), w)) w = s.value(sig, k);
            parts.add("worst " + Tolerance.name(sig) + " " + Tolerance.value(sig, w) + " against " + Tolerance.value(sig, median.get(sig)));
        }
        return String.join(", ", parts);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static double[] nan(int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN);
        return v;
    }
}
