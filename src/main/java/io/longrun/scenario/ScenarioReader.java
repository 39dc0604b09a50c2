package io.longrun.scenario;

import io.longrun.db.Tables;
import io.longrun.scenario.Scenario.Condition;
import io.longrun.scenario.Scenario.Database;
import io.longrun.scenario.Scenario.Emitter;
import io.longrun.scenario.Scenario.ErrorRate;
import io.longrun.scenario.Scenario.HealthFailures;
import io.longrun.scenario.Scenario.Schedule;
import io.longrun.scenario.Scenario.Severity;
import io.longrun.scenario.Scenario.StopRule;
import io.longrun.scenario.Scenario.TableGrowth;
import io.longrun.scenario.Scenario.Target;
import io.longrun.scenario.Scenario.Watch;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a scenario file and applies the command line over it. Every problem is collected and reported at once
 * ({@link ScenarioException}), each with the file, the line, the key path and what is wrong.
 */
public final class ScenarioReader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_MAX_IN_FLIGHT = 64;

    private ScenarioReader() {}

    public static Scenario read(Path file, Overrides overrides) throws ScenarioException {
        if (!Files.isRegularFile(file)) throw new ScenarioException(file + ": no such scenario file");
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Path dir = file.toAbsolutePath().getParent();
            return read(file.toString(), defaultName(file.getFileName().toString()), r, overrides, dir == null ? Path.of("") : dir);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage());
        }
    }

    public static Scenario read(String source, String defaultName, Reader reader, Overrides o) throws ScenarioException {
        return read(source, defaultName, reader, o, Path.of(""));
    }

    /** @param baseDir where files named in the scenario (template_file) are found */
    public static Scenario read(String source, String defaultName, Reader reader, Overrides o, Path baseDir) throws ScenarioException {
        YamlDoc doc = YamlDoc.read(source, reader);
        Fields.Problems problems = new Fields.Problems(doc);
        if (!doc.root().isObject()) {
            problems.at("", "a scenario must be a mapping of keys (name, duration, target, emitters, ...)");
            throw new ScenarioException(problems.list());
        }
        Fields top = new Fields(problems, "", doc.root());

        String name = top.text("name").orElse(defaultName);
        if (!NAME.matcher(name).matches()) top.problem("name", "use letters, digits, '.', '_' or '-' (it names the run folder), got \"" + name + "\"");

        Optional<Duration> fileDuration = top.positiveDuration("duration");
        Duration duration = o.duration().or(() -> fileDuration).orElse(null);

        Optional<Long> seed = top.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        if (o.seed().isPresent()) seed = o.seed();
        Duration tick = top.positiveDuration("tick").orElse(Duration.ofSeconds(1));

        Target target = target(top.object("target"), o);
        Optional<Database> database = database(top.object("database"), o);
        List<Emitter> emitters = emitters(top, fileDuration.orElse(null), baseDir, o);
        if (duration == null && !top.has("duration")) {
            // a replay may run until its recordings end
            if (!emitters.isEmpty() && emitters.stream().allMatch(e -> e.replay().isPresent())) duration = Scenario.UNTIL_DONE;
            else top.problem("duration", "missing: set it in the file or with --duration");
        }
        Watch watch = watch(top.object("watch"));
        List<StopRule> rules = stopRules(top);
        top.done();

        // Rules that need a part of the configuration that is absent.
        for (int i = 0; i < rules.size(); i++) {
            Condition c = rules.get(i).condition();
            String at = "stop_when[" + i + "]." + c.kind();
            if (c instanceof HealthFailures && target.healthUrl().isEmpty())
                problems.at(at, "needs target.health_url (or --health-url)");
            if (c instanceof TableGrowth tg && database.isEmpty())
                problems.at(at, "needs database.url (or --db-url)" + (tg.table().isEmpty() ? "" : " to watch table " + tg.table()));
        }
        if (!problems.list().isEmpty()) throw new ScenarioException(problems.list());
        // Tables named by criteria are watched even when database.tables leaves them out.
        if (database.isPresent()) {
            List<String> tables = new ArrayList<>(database.get().tables());
            for (StopRule r : rules)
                if (r.condition() instanceof TableGrowth tg && !tables.contains(tg.table())) tables.add(tg.table());
            Database d = database.get();
            database = Optional.of(new Database(d.url(), d.user(), d.passwordEnv(), tables));
        }
        return new Scenario(name, duration, seed, tick, target, database, emitters, watch, rules);
    }

    private static Target target(Fields f, Overrides o) {
        Optional<String> fileUrl = f.text("url");
        Optional<String> fileHealth = f.text("health_url");
        Duration timeout = f.positiveDuration("timeout").orElse(DEFAULT_TIMEOUT);
        int maxInFlight = f.integer("max_in_flight", 1, 100_000).map(Long::intValue).orElse(DEFAULT_MAX_IN_FLIGHT);
        f.done();
        String url = o.targetUrl().or(() -> fileUrl).or(() -> o.env("LONGRUN_TARGET_URL")).orElse(null);
        if (url == null) f.problem("url", "missing: set target.url, --target-url or LONGRUN_TARGET_URL");
        else httpUrl(url).ifPresent(why -> f.problem("url", why));
        Optional<String> health = o.healthUrl().or(() -> fileHealth);
        health.flatMap(ScenarioReader::httpUrl).ifPresent(why -> f.problem("health_url", why));
        return new Target(url == null ? "" : url, health, timeout, maxInFlight);
    }

    /** Why a text is not an http(s) URL, or empty when it is one. */
    static Optional<String> httpUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) return Optional.of("must be an http:// or https:// URL, got \"" + url + "\"");
            if (u.getHost() == null) return Optional.of("has no host: \"" + url + "\"");
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("not a URL: \"" + url + "\"");
        }
    }

    private static Optional<Database> database(Fields f, Overrides o) {
        Optional<String> fileUrl = f.text("url");
        Optional<String> user = f.text("user");
        Optional<String> passwordEnv = f.text("password_env");
        if (f.has("password")) {
            f.text("password");
            f.problem("password", "a password is never written in a scenario: put it in an environment variable and name it with password_env");
        }
        List<String> tables = f.texts("tables");
        for (int i = 0; i < tables.size(); i++)
            if (!Tables.wellFormed(tables.get(i))) f.problem("tables[" + i + "]", "not a table name: \"" + tables.get(i) + "\"");
        f.done();
        Optional<String> url = o.dbUrl().or(() -> fileUrl).or(() -> o.env("LONGRUN_DB_URL"));
        if (url.isEmpty()) return Optional.empty();
        if (!url.get().startsWith("jdbc:postgresql:")) f.problem("url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got \"" + url.get() + "\"");
        return Optional.of(new Database(url.get(), o.dbUser().or(() -> user).or(() -> o.env("PGUSER")),
                o.dbPasswordEnv().or(() -> passwordEnv), tables));
    }

    private static List<Emitter> emitters(Fields top, Duration fileDuration, Path baseDir, Overrides o) {
        List<Emitter> out = new EmitterReader(fileDuration, baseDir).read(top);
        if (o.rate().isPresent() && !out.isEmpty()) {
            // --rate sets the total plateau rate; emitters keep their shares of it.
            double total = out.stream().mapToDouble(Emitter::peakRate).sum();
            if (total > 0) {
                double k = o.rate().get() / total;
                out.replaceAll(e -> e.interval().isPresent() || e.replay().isPresent() ? e : e.scaled(k));
            }
        }
        return out;
    }

    private static Watch watch(Fields f) {
        Duration health = f.positiveDuration("health_every").orElse(Duration.ofSeconds(2));
        Duration db = f.positiveDuration("db_every").orElse(Duration.ofSeconds(5));
        f.done();
        return new Watch(health, db);
    }

    private static final List<String> KINDS = List.of("health_failures", "error_rate", "table_growth", "schedule_not_met");

    private static List<StopRule> stopRules(Fields top) {
        List<StopRule> out = new ArrayList<>();
        List<Fields> items = top.objects("stop_when");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Fields item = items.get(i);
            List<String> keys = item.keys();
            List<String> kinds = keys.stream().filter(KINDS::contains).toList();
            if (kinds.size() != 1) {
                String unknown = keys.stream().filter(k -> !KINDS.contains(k) && !List.of("name", "severity", "after").contains(k))
                        .findFirst().orElse(null);
                String hint = unknown == null ? "" : "unknown criterion \"" + unknown + "\""
                        + Fields.closest(unknown, KINDS).map(c -> " (did you mean '" + c + "'?)").orElse("") + "; ";
                item.problem(null, hint + "each item names exactly one criterion: " + String.join(", ", KINDS));
                continue;
            }
            String kind = kinds.get(0);
            Fields c = item.object(kind);
            // name, severity and after may sit beside the criterion or inside it
            Fields common = c.has("name") || c.has("severity") || c.has("after") ? c : item;
            String name = common.text("name").orElse(kind);
            if (!names.add(name)) common.problem("name", "two criteria are named \"" + name + "\": give one a name");
            Severity severity = Severity.ABORT;
            Optional<String> sev = common.text("severity");
            if (sev.isPresent()) {
                try {
                    severity = Severity.valueOf(sev.get().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    common.problem("severity", "must be warn or abort, got \"" + sev.get() + "\"");
                }
            }
            Duration after = common.duration("after", Duration.ZERO);
            Condition condition = switch (kind) {
                case "health_failures" -> new HealthFailures(required(c, "consecutive", c.integer("consecutive", 1, 1_000_000)).orElse(1L).intValue());
                case "error_rate" -> new ErrorRate(required(c, "above_pct", c.number("above_pct", 0, 100)).orElse(0.0),
                        c.duration("for", Duration.ZERO));
                case "schedule_not_met" -> new Scenario.ScheduleNotMet(required(c, "dropped_pct_above",
                        c.number("dropped_pct_above", 0, 100)).orElse(0.0), c.duration("for", Duration.ZERO));
                default -> {
                    String table = required(c, "table", c.text("table")).orElse("");
                    if (!table.isEmpty() && !Tables.wellFormed(table)) c.problem("table", "not a table name: \"" + table + "\"");
                    yield new TableGrowth(table, required(c, "above_per_min", c.number("above_per_min", 0, 1e12)).orElse(0.0),
                            c.duration("for", Duration.ZERO));
                }
            };
            c.done();
            item.done();
            out.add(new StopRule(name, severity, after, condition));
        }
        return out;
    }

    private static <T> Optional<T> required(Fields f, String key, Optional<T> value) {
        if (value.isEmpty() && !f.has(key)) f.problem(key, "missing");
        return value;
    }

    /** An emitter that replays recordings, for {@code longrun replay}. */
    public static Emitter replayEmitter(String name, io.longrun.replay.ReplaySpec spec) {
        return EmitterReader.replayEmitter(name, spec, Optional.empty(), java.util.Map.of());
    }

    static String defaultName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        String clean = base.replaceAll("[^A-Za-z0-9_.-]", "-");
        return clean.isEmpty() ? "scenario" : clean;
    }
}
