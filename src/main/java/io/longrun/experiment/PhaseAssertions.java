package io.longrun.experiment;

import io.longrun.scenario.Experiment;
import io.longrun.verify.AssertionResult;
import io.longrun.verify.Verifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A phase's {@code assert:}: the existing assertion kinds on the phase's own figures (counts of the outcomes within
 * it, thresholds on its percentiles and error rate), and SQL with {@code :phase_start} and {@code :phase_end} bound to
 * the phase's times as timestamps. Each result is named {@code <phase>/<assertion>}, so that a failure says which
 * phase it was in.
 */
public final class PhaseAssertions {
    private PhaseAssertions() {}

    public static List<AssertionResult> run(Experiment plan, VerdictRecord.Judged judged, ExperimentLog log, DataSource ds, String scenarioId) {
        List<AssertionResult> out = new ArrayList<>();
        List<PhaseSpan> spans = judged.phases();
        for (int i = 0; i < plan.phases().size() && i < spans.size(); i++) {
            Experiment.Phase p = plan.phases().get(i);
            if (p.asserts().isEmpty()) continue;
            PhaseSpan span = spans.get(i);
            Map<String, Instant> times = new LinkedHashMap<>();
            log.wall(span.start()).ifPresent(t -> times.put("phase_start", t));
            log.wall(span.end()).ifPresent(t -> times.put("phase_end", t));
            Map<String, Double> figures = i < judged.figures().size() ? judged.figures().get(i).assertable() : new PhaseFigures().assertable();
            for (AssertionResult a : new Verifier(ds, scenarioId, figures, times).run(p.asserts())) out.add(named(p.name(), a));
        }
        return out;
    }

    private static AssertionResult named(String phase, AssertionResult a) {
        return new AssertionResult(phase + "/" + a.name(), a.kind(), "in phase " + phase + ": " + a.description(), a.passed(), a.observed(),
                a.expected(), a.error(), a.millis());
    }

    /** Whether any phase has assertions. */
    public static boolean any(Experiment plan) {
        return plan.phases().stream().anyMatch(p -> !p.asserts().isEmpty());
    }
}
