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
import java.io.StringReader;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        String text = InputText.readUtf8(file, file.toString());
        Path dir = file.toAbsolutePath().getParent();
        return read(file.toString(), defaultName(file.getFileName().toString()), new StringReader(text), overrides, dir == null ? Path.of("") : dir);
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

        Optional<Duration> givenDuration = top.positiveDuration("duration");
        List<ProxySpec> proxies = FaultReader.proxies(top);
        Optional<Experiment> experiment = PhaseReader.read(top, proxies);
        // a scenario with phases lasts their sum: a duration that says otherwise is a problem, not a choice
        Optional<Duration> fileDuration = experiment.isEmpty() ? givenDuration : Optional.of(experiment.get().total());
        if (experiment.isPresent()) {
            String sum = Durations.format(experiment.get().total());
            if (givenDuration.isPresent() && !givenDuration.get().equals(experiment.get().total()))
                top.problem("duration", "is " + Durations.format(givenDuration.get()) + " but the phases add up to " + sum
                        + ": leave duration out (a scenario with phases lasts their sum) or make them agree");
            if (o.duration().isPresent() && !o.duration().get().equals(experiment.get().total()))
                top.problem("duration", "--duration " + Durations.format(o.duration().get()) + " differs from the phases' sum, " + sum
                        + ": a scenario with phases lasts their sum");
        }
        Duration duration = experiment.isPresent() ? fileDuration.get() : o.duration().or(() -> fileDuration).orElse(null);

        Optional<Long> seed = top.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        if (o.seed().isPresent()) seed = o.seed();
        Duration tick = top.positiveDuration("tick").orElse(Duration.ofSeconds(1));

        Target target = target(top.object("target"), o);
        Optional<Database> database = database(top.object("database"), o);
        List<Emitter> emitters = emitters(top, fileDuration.orElse(null), baseDir, o);
        if (duration == null && !top.has("duration") && !top.has("phases") && !top.has("experiment")) {
            // a replay may run until its recordings end
            if (!emitters.isEmpty() && emitters.stream().allMatch(e -> e.replay().isPresent())) duration = Scenario.UNTIL_DONE;
            else top.problem("duration", "missing: set it in the file or with --duration");
        }
        Watch watch = RunbookReader.watch(top.object("watch"));
        List<StopRule> rules = StopRuleReader.read(top);
        Scenario.Runbook runbook = RunbookReader.runbook(top);
        FaultEngineSpec faultEngine = FaultReader.engine(top);
        top.done();

        // Rules that need a part of the configuration that is absent.
        for (int i = 0; i < rules.size(); i++) {
            Condition c = rules.get(i).condition();
            String at = "stop_when[" + i + "]." + c.kind();
            if (c instanceof HealthFailures && target.healthUrl().isEmpty())
                problems.at(at, "needs target.health_url (or --health-url)");
            if (needsDatabase(c) && database.isEmpty())
                problems.at(at, "needs database.url (or --db-url)" + table(c).filter(t -> !t.isEmpty()).map(t -> " to watch table " + t).orElse(""));
            if (needsLogs(c) && watch.logs().isEmpty())
                problems.at(at, "needs watch.logs: the target's log file(s) to tail");
            if (c instanceof Conditions.SlowBackend sb && sb.source().equals("health") && target.healthUrl().isEmpty())
                problems.at(at, "source: health needs target.health_url (or --health-url)");
        }
        for (int i = 0; i < runbook.asserts().size(); i++) {
            var a = runbook.asserts().get(i);
            boolean sql = a instanceof io.longrun.scenario.Assertions.NoRows || a instanceof io.longrun.scenario.Assertions.Sql
                    || a instanceof io.longrun.scenario.Assertions.Sequence
                    || a instanceof io.longrun.scenario.Assertions.Count cnt && cnt.sql().isPresent();
            if (sql && database.isEmpty()) problems.at("assert[" + i + "]." + a.kind(), "needs database.url (or --db-url)");
        }
        if (experiment.isPresent()) PhaseReader.check(experiment.get(), emitters, database.isPresent(), target.healthUrl().isPresent(), !watch.logs().isEmpty(), problems);
        if (!problems.list().isEmpty()) throw new ScenarioException(problems.list());
        // Tables named by criteria are watched even when database.tables leaves them out.
        if (database.isPresent()) {
            List<WatchedTable> tables = new ArrayList<>(database.get().watched());
            List<String> names = new ArrayList<>(database.get().tables());
            for (StopRule r : rules)
                if (watchesTable(r.condition())) table(r.condition()).filter(t -> !names.contains(t)).ifPresent(t -> {
                    names.add(t);
                    tables.add(WatchedTable.stats(t));
                });
            Database d = database.get();
            database = Optional.of(new Database(d.url(), d.user(), d.passwordEnv(), tables));
        }
        Scenario sc = new Scenario(name, duration, seed, tick, target, database, emitters, watch, rules, runbook, proxies, faultEngine, experiment);
        profilePhases(sc, problems);
        if (!problems.list().isEmpty()) throw new ScenarioException(problems.list());
        return sc;
    }

    /** A value profile's crash or spike {@code at} may name a phase: the scenario must have it. */
    private static void profilePhases(Scenario sc, Fields.Problems problems) {
        Map<String, Double> starts = sc.phaseStarts();
        for (int i = 0; i < sc.emitters().size(); i++)
            for (var p : sc.emitters().get(i).options().profiles().entrySet())
                for (String phase : p.getValue().phases())
                    if (!starts.containsKey(phase)) problems.at("emitters[" + i + "].profiles." + p.getKey(), "\"" + phase + "\" is neither a duration (90s, 5m) nor one of the scenario's phases"
                            + (starts.isEmpty() ? " (it has none)" : " (" + String.join(", ", starts.keySet()) + ")"));
    }

    private static Target target(Fields f, Overrides o) {
        Optional<String> fileUrl = f.text("url");
        Optional<String> fileHealth = f.text("health_url");
        Duration timeout = f.positiveDuration("timeout").orElse(DEFAULT_TIMEOUT);
        int maxInFlight = f.integer("max_in_flight", 1, 100_000).map(Long::intValue).orElse(DEFAULT_MAX_IN_FLIGHT);
        double catchUp = catchUp(f);
        f.done();
        String url = o.targetUrl().or(() -> fileUrl).or(() -> o.env("LONGRUN_TARGET_URL")).orElse(null);
        if (url == null) f.problem("url", "missing: set target.url, --target-url or LONGRUN_TARGET_URL");
        else httpUrl(url).ifPresent(why -> f.problem("url", why));
        HealthUrls.Choice health = HealthUrls.choose(fileUrl, fileHealth, o.targetUrl(), o.healthUrl());
        health.url().flatMap(ScenarioReader::httpUrl).ifPresent(why -> f.problem("health_url", why));
        return new Target(url == null ? "" : url, health.url(), timeout, maxInFlight, health.follow(), catchUp);
    }

    /** {@code catch_up: 10%}: how much faster than the schedule the pacer may go after a stall; a fraction. */
    private static double catchUp(Fields f) {
        Optional<com.fasterxml.jackson.databind.JsonNode> v = f.raw("catch_up");
        if (v.isEmpty()) return io.longrun.pace.CatchUp.DEFAULT_CAP;
        String t = v.get().asText().trim();
        double pct = Double.NaN;
        if (v.get().isNumber() || v.get().isTextual()) {
            try {
                pct = Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t);
            } catch (NumberFormatException e) {
                // not a number: reported below
            }
        }
        if (!(pct >= 0 && pct <= 1000)) {
            f.problem("catch_up", "must be a percentage from 0% to 1000%, such as 10%; got " + (v.get().isTextual() ? "'" + t + "'" : v.get().toString()));
            return io.longrun.pace.CatchUp.DEFAULT_CAP;
        }
        return pct / 100;
    }

    /** Why a text is not an http(s) URL, or empty when it is one. */
    public static Optional<String> httpUrl(String url) {
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
        List<WatchedTable> tables = tables(f);
        f.done();
        Optional<String> url = o.dbUrl().or(() -> fileUrl).or(() -> o.env("LONGRUN_DB_URL"));
        if (url.isEmpty()) return Optional.empty();
        if (!url.get().startsWith("jdbc:postgresql:")) f.problem("url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got \"" + url.get() + "\"");
        return Optional.of(new Database(url.get(), o.dbUser().or(() -> user).or(() -> o.env("PGUSER")),
                o.dbPasswordEnv().or(() -> passwordEnv), tables));
    }

    static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    /** {@code tables: [events, { name: events, count: stats | exact | keyset, key: received_at }]}: every problem at once. */
    private static List<WatchedTable> tables(Fields f) {
        List<WatchedTable> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Object> items = f.textsOrObjects("tables", "a table name or { name: T, count: stats | exact | keyset, key: COLUMN }");
        for (int i = 0; i < items.size(); i++) {
            String at = "tables[" + i + "]";
            WatchedTable t = null;
            String name = null;
            if (items.get(i) instanceof String n) {
                name = n;
                if (!Tables.wellFormed(n)) f.problem(at, "not a table name: \"" + n + "\"");
                else t = WatchedTable.stats(n);
            } else if (items.get(i) instanceof Fields item) {
                Optional<String> n = item.text("name");
                name = n.orElse(null);
                t = table(item, n);
            }
            if (name != null && !seen.add(name)) f.problem(at, name + " is listed twice");
            else if (t != null) out.add(t);
        }
        return out;
    }

    private static WatchedTable table(Fields item, Optional<String> name) {
        Optional<String> countWord = item.text("count");
        Optional<String> key = item.text("key");
        item.done();
        boolean ok = true;
        if (name.isEmpty()) {
            if (!item.has("name")) item.problem("name", "missing: the table's name");
            ok = false;
        } else if (!Tables.wellFormed(name.get())) {
            item.problem("name", "not a table name: \"" + name.get() + "\"");
            ok = false;
        }
        WatchedTable.Counting count = WatchedTable.Counting.STATS;
        if (countWord.isPresent()) {
            Optional<WatchedTable.Counting> c = WatchedTable.Counting.of(countWord.get().toLowerCase(Locale.ROOT));
            if (c.isEmpty()) {
                item.problem("count", "must be stats, exact or keyset, got \"" + countWord.get() + "\"");
                ok = false;
            } else count = c.get();
        }
        if (key.isPresent() && !COLUMN.matcher(key.get()).matches()) {
            item.problem("key", "not a column name: \"" + key.get() + "\"");
            ok = false;
        }
        if (count == WatchedTable.Counting.KEYSET && key.isEmpty() && !item.has("key")) {
            item.problem(null, "count: keyset needs key: an indexed column whose values only grow (e.g. received_at or id)");
            ok = false;
        }
        if (count != WatchedTable.Counting.KEYSET && key.isPresent()) {
            item.problem("key", "is read only with count: keyset (this table is counted by " + count.key() + ")");
            ok = false;
        }
        return ok ? new WatchedTable(name.get(), count, count == WatchedTable.Counting.KEYSET ? key : Optional.empty()) : null;
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

    /** The table a criterion reads, if it names one. */
    static Optional<String> table(Condition c) {
        if (c instanceof TableGrowth t) return Optional.of(t.table());
        if (c instanceof Conditions.UnexpectedGrowth t) return Optional.of(t.table());
        if (c instanceof Conditions.UtcSkew t) return Optional.of(t.table());
        if (c instanceof Conditions.LostEvents t) return Optional.of(t.table());
        if (c instanceof Conditions.Cadence t) return t.table();
        return Optional.empty();
    }

    /** Criteria whose table is counted by the database watcher (the others read theirs by id). */
    static boolean watchesTable(Condition c) {
        return c instanceof TableGrowth || c instanceof Conditions.UnexpectedGrowth || c instanceof Conditions.Cadence;
    }

    static boolean needsDatabase(Condition c) {
        return table(c).isPresent() || c instanceof Conditions.DuplicateRows || c instanceof Conditions.DbSizeGrowth
                || c instanceof Conditions.DbLoad;
    }

    static boolean needsLogs(Condition c) {
        return c instanceof Conditions.LogErrors || c instanceof Conditions.RepeatedException
                || c instanceof Conditions.Cadence cd && cd.logRegex().isPresent();
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
