package io.longrun.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How one experiment of a suite ended, in the figures a suite's table and JUnit XML show. The verdict and its
 * figures come from the run's summary.json ({@code experiment} key); a scenario without phases has none, and its
 * verdict is the run's.
 *
 * @param name       the experiment's name (the scenario's)
 * @param round      the round of {@code --loop} it ran in (1-based)
 * @param file       the scenario file
 * @param runDir     the run folder; empty when the run did not start
 * @param exitCode   the run's exit code
 * @param verdict    passed, recovered, not_recovered, inconclusive; else the run's own verdict, or "error"
 * @param reason     the verdict's reason in words (may be empty)
 * @param seconds    how long the experiment took, the wait before it excluded
 * @param figures    baseline and worst p95 and error rate, time to impact and recovery time; empty without a verdict
 * @param settle     what the wait before it found (empty for the first)
 */
public record ExperimentOutcome(String name, int round, Path file, Optional<Path> runDir, int exitCode, String verdict, String reason,
                                double seconds, Optional<Figures> figures, Optional<Settle.Waited> settle) {
    /** The verdicts that fail an experiment in JUnit XML, besides a non-zero exit code. */
    public boolean failed() {
        return exitCode != 0 || verdict.equals("not_recovered") || verdict.equals("inconclusive");
    }

    /** Whether the run could not be done at all (bad input, an internal error), as opposed to judged and failed. */
    public boolean error() {
        return exitCode == 1 || exitCode == 2;
    }

    public ExperimentOutcome withSettle(Optional<Settle.Waited> s) {
        return new ExperimentOutcome(name, round, file, runDir, exitCode, verdict, reason, seconds, figures, s);
    }

    /**
     * The figures of a verdict; a figure the summary does not give is null.
     *
     * @param baselineP95Ms   p95 latency (from the intended send time) in the baseline phase
     * @param worstP95Ms      the worst p95 of a later phase
     * @param baselineErrPct  error rate in the baseline phase, %
     * @param worstErrPct     the worst error rate of a later phase, %
     * @param impactS         from the first fault's confirmed start to the first tick out of tolerance; null: no impact
     * @param recoveryS       from the last fault's confirmed removal until every signal held within tolerance; null: not recovered or no impact
     */
    public record Figures(Double baselineP95Ms, Double worstP95Ms, Double baselineErrPct, Double worstErrPct, Double impactS, Double recoveryS) {}

    /** The verdict, its reason and figures from a run's summary.json; empty when it has no {@code experiment} key. */
    public record Judged(String verdict, String reason, Figures figures) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads summary.json's {@code experiment} key; empty when the file or the key is missing. */
    public static Optional<Judged> read(Path summaryJson) throws IOException {
        if (!Files.isRegularFile(summaryJson)) return Optional.empty();
        JsonNode e = JSON.readTree(summaryJson.toFile()).path("experiment");
        if (!e.isObject() || !e.path("verdict").isTextual()) return Optional.empty();
        JsonNode base = e.path("baseline");
        Double worstP95 = null, worstErr = null, impact = null;
        int baselineIndex = baselineIndex(e.path("phases"));
        int i = 0;
        for (JsonNode p : e.path("phases")) {
            if (i++ == baselineIndex) continue;
            worstP95 = max(worstP95, num(p.path("worst"), "p95_ms"), num(p, "p95_ms"));
            worstErr = max(worstErr, num(p.path("worst"), "error_pct"), num(p, "error_pct"));
            Double im = num(p, "impact_s");
            if (impact == null && im != null) impact = im;
        }
        return Optional.of(new Judged(e.path("verdict").asText(), e.path("reason").asText(""),
                new Figures(num(base, "p95_ms"), worstP95, num(base, "error_pct"), worstErr, impact, num(e, "recovery_s"))));
    }

    /** The baseline phase: the one marked so, else the first. */
    private static int baselineIndex(JsonNode phases) {
        int i = 0;
        for (JsonNode p : phases) {
            if (p.path("baseline").asBoolean(false)) return i;
            i++;
        }
        return 0;
    }

    static Double num(JsonNode n, String key) {
        JsonNode v = n.path(key);
        return v.isNumber() ? v.asDouble() : null;
    }

    private static Double max(Double a, Double... more) {
        Double m = a;
        for (Double d : more) if (d != null && (m == null || d > m)) m = d;
        return m;
    }
}
