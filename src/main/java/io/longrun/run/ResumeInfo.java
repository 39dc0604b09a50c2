package io.longrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.runlog.Secrets;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run keeps at its start so that it can be resumed: a copy of its scenario beside the run log, the copy's
 * SHA-256, and in run.start the values that flags or the environment gave over the file (the URLs, the database
 * user and password variable, the duration, --rate). A URL holding a secret is kept masked, never in clear: a
 * resume must then be given it again.
 */
final class ResumeInfo {
    private ResumeInfo() {}

    /** Writes the scenario's copy (when its source is known) and returns run.start's {@code resume} field. */
    static Map<String, Object> keep(Scenario sc, Optional<ScenarioSource> source, Path logFile) throws IOException {
        if (source.isEmpty()) return Map.of();
        ScenarioSource src = source.get();
        Path copy = RunFiles.scenarioCopy(logFile);
        Files.write(copy, src.text());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario_copy", copy.getFileName().toString());
        r.put("scenario_origin", src.origin());
        r.put("base_dir", src.baseDir().toAbsolutePath().toString());
        r.put("target_url", Secrets.maskUrl(sc.target().url()));
        sc.target().healthUrl().ifPresent(h -> r.put("health_url", Secrets.maskUrl(h)));
        sc.database().ifPresent(db -> {
            r.put("db_url", Secrets.maskUrl(db.url()));
            db.user().ifPresent(u -> r.put("db_user", u));
            db.passwordEnv().ifPresent(p -> r.put("db_password_env", p));
        });
        if (!sc.duration().equals(Scenario.UNTIL_DONE)) r.put("duration_s", sc.duration().toNanos() / 1e9);
        src.rate().ifPresent(x -> r.put("rate", x));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario_sha256", Resumption.sha256(src.text()));
        out.put("resume", r);
        return out;
    }

    /**
     * The overrides that read the copy as the first segment read its file: the kept values, or those given again.
     * A kept URL that was masked and is not given again is bad input, naming the flag.
     */
    static Overrides overrides(Resumption earlier, Resumption.Given given, Map<String, String> env) throws BadInput {
        JsonNode r = earlier.start.path("resume");
        List<String> needed = new ArrayList<>();
        Optional<String> target = given.targetUrl().or(() -> kept(r, "target_url", "--target-url", needed));
        Optional<String> health = given.healthUrl().or(() -> kept(r, "health_url", "--health-url", needed));
        Optional<String> db = given.dbUrl().or(() -> kept(r, "db_url", "--db-url", needed));
        if (!needed.isEmpty())
            throw new BadInput(earlier.log + ": the run's " + String.join(", ", needed).replace("--", "")
                    + " held a secret, which longrun does not keep: give it again with " + String.join(", ", needed));
        Optional<String> user = given.dbUser().or(() -> Optional.ofNullable(r.path("db_user").asText(null)));
        Optional<String> pwEnv = given.dbPasswordEnv().or(() -> Optional.ofNullable(r.path("db_password_env").asText(null)));
        Optional<Duration> duration = r.hasNonNull("duration_s") ? Optional.of(Duration.ofNanos(Math.round(r.get("duration_s").asDouble() * 1e9)))
                : Optional.empty();
        Optional<Double> rate = r.hasNonNull("rate") ? Optional.of(r.get("rate").asDouble()) : Optional.empty();
        return new Overrides(target, health, db, user, pwEnv, duration, rate, Optional.of(earlier.seed()), env);
    }

    private static Optional<String> kept(JsonNode r, String key, String flag, List<String> needed) {
        String v = r.path(key).asText(null);
        if (v == null) return Optional.empty();
        if (v.contains(Secrets.MASK)) {
            needed.add(flag);
            return Optional.empty();
        }
        return Optional.of(v);
    }
}
