package io.longrun.api;

import io.longrun.scenario.ScenarioSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario written in code, in the style of Gatling's Java DSL: each step returns a new immutable value, and the
 * types allow {@link #build()} only once the scenario has a name, a target, a duration and an emitter. What it builds is read
 * and checked by the same reader as a scenario file, so it can say everything the YAML can say
 * ({@link #with(String, Object)} reaches any top-level key: {@code watch}, {@code experiment}, {@code proxies},
 * {@code lag_allowance}, ...) and a mistake is reported as the file's would be.
 *
 * <pre>{@code
 * Soak soak = Soak.scenario("checkout")
 *         .target("http://127.0.0.1:8000/event")
 *         .duration(Duration.ofMinutes(10))
 *         .emitter(Emitter.named("orders").rate(20))
 *         .stopWhen("error_rate", Map.of("above_pct", 5, "for", "30s"))
 *         .assertThat("threshold", "error_rate < 1%")
 *         .build();
 * }</pre>
 */
public final class ScenarioBuilder {
    private final Map<String, Object> tree;

    private ScenarioBuilder(Map<String, Object> tree) {
        this.tree = tree;
    }

    /** A scenario with a name only: give its target next. */
    public static final class Named {
        private final Map<String, Object> tree;

        Named(String name) {
            this.tree = Yaml.with(new LinkedHashMap<>(), "name", name);
        }

        /** Where events are posted (the YAML's {@code target.url}). */
        public Targeted target(String url) {
            return new Targeted(Yaml.with(tree, "target", Map.of("url", url)));
        }

        /** The whole {@code target:} section: {@code url}, {@code health_url}, {@code timeout}, {@code max_in_flight}, ... */
        public Targeted target(Map<String, Object> target) {
            return new Targeted(Yaml.with(tree, "target", target));
        }
    }

    /** A scenario with a name and a target: give how long it runs next. */
    public static final class Targeted {
        private final Map<String, Object> tree;

        private Targeted(Map<String, Object> tree) {
            this.tree = tree;
        }

        /** How long the schedule runs. */
        public Timed duration(Duration d) {
            return new Timed(Yaml.with(tree, "duration", d));
        }
    }

    /** A scenario with a name, a target and a duration: give its first emitter next. */
    public static final class Timed {
        private final Map<String, Object> tree;

        private Timed(Map<String, Object> tree) {
            this.tree = tree;
        }

        /** The scenario's first emitter (or pool); after it, the scenario can be built. */
        public ScenarioBuilder emitter(Emitter e) {
            return new ScenarioBuilder(Yaml.append(tree, "emitters", e.tree()));
        }
    }

    /** One more emitter (or pool). */
    public ScenarioBuilder emitter(Emitter e) {
        return new ScenarioBuilder(Yaml.append(tree, "emitters", e.tree()));
    }

    /** How long the schedule runs, instead of the duration given before. */
    public ScenarioBuilder duration(Duration d) {
        return with("duration", d);
    }

    /** The seed of every random choice (default: a random one, logged). */
    public ScenarioBuilder seed(long seed) {
        return with("seed", seed);
    }

    /** The target's health endpoint, polled while the run lasts. */
    public ScenarioBuilder healthUrl(String url) {
        @SuppressWarnings("unchecked") Map<String, Object> t = new LinkedHashMap<>((Map<String, Object>) tree.get("target"));
        t.put("health_url", url);
        return with("target", t);
    }

    /** The database to watch: a JDBC URL, a user, and the tables whose growth is followed. */
    public ScenarioBuilder database(String jdbcUrl, String user, List<String> tables) {
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("url", jdbcUrl);
        db.put("user", user);
        db.put("tables", tables);
        return with("database", db);
    }

    /**
     * A stop criterion of the runbook's {@code stop_when:}, as the YAML writes it: its kind and its parameters, for
     * example {@code stopWhen("error_rate", Map.of("above_pct", 5, "for", "2m"))}.
     */
    public ScenarioBuilder stopWhen(String kind, Map<String, Object> params) {
        return new ScenarioBuilder(Yaml.append(tree, "stop_when", Map.of(kind, params)));
    }

    /**
     * An end-of-run assertion of the runbook's {@code assert:}, as the YAML writes it: its kind and its value, for
     * example {@code assertThat("threshold", "p95 < 200ms")} or {@code assertThat("no_rows", "select ...")}.
     */
    public ScenarioBuilder assertThat(String kind, Object value) {
        return new ScenarioBuilder(Yaml.append(tree, "assert", Map.of(kind, value)));
    }

    /** Sets any top-level key of the scenario YAML; durations may be given as {@link Duration}. */
    public ScenarioBuilder with(String key, Object value) {
        return new ScenarioBuilder(Yaml.with(tree, key, value));
    }

    /** The scenario as YAML text, as {@link #build()} reads it: handy to save as a file. */
    public String toYaml() {
        return Yaml.write(tree);
    }

    /**
     * Reads and checks the scenario.
     *
     * @throws InvalidScenarioException listing every problem at once, each naming its field
     */
    public Soak build() {
        String origin = "(scenario " + tree.get("name") + " built in code)";
        ScenarioSource src = new ScenarioSource(origin, toYaml().getBytes(StandardCharsets.UTF_8), Path.of("").toAbsolutePath(), Optional.empty());
        return Soak.read(null, src, Map.of(), Soak.LIBRARY);
    }
}
