package io.longrun.scenario;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the command line and the environment say about a scenario. Precedence: a flag, then the file,
 * then the environment ({@code LONGRUN_TARGET_URL}, {@code LONGRUN_DB_URL}, {@code PGUSER}).
 */
public record Overrides(
        Optional<String> targetUrl,
        Optional<String> healthUrl,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPasswordEnv,
        Optional<Duration> duration,
        Optional<Double> rate,
        Optional<Long> seed,
        Map<String, String> env) {

    public static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    public Overrides {
        env = Map.copyOf(env);
    }

    Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank());
    }
}
