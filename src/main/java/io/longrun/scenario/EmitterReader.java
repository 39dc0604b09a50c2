package io.longrun.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.generate.Formats;
import io.longrun.generate.Profile;
import io.longrun.generate.ProfileParser;
import io.longrun.pace.Arrivals;
import io.longrun.replay.ReplaySpec;
import io.longrun.scenario.Scenario.Emitter;
import io.longrun.scenario.Scenario.FormatOptions;
import io.longrun.scenario.Scenario.Interval;
import io.longrun.scenario.Scenario.Schedule;
import io.longrun.scenario.Scenario.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code emitters} list: plain emitters (a {@code rate}, {@code stages} or an {@code interval}) and seed
 * 002's pools ({@code pool: {count, interval, interval_jitter, prefix}}), which expand into {@code count} emitters
 * named {@code prefix-1 ... prefix-N}.
 */
final class EmitterReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration fileDuration;
    private final Path baseDir;
    private final Set<String> names = new HashSet<>();

    EmitterReader(Duration fileDuration, Path baseDir) {
        this.fileDuration = fileDuration;
        this.baseDir = baseDir;
    }

    List<Emitter> read(Fields top) {
        if (!top.has("emitters")) top.problem("emitters", "missing: a scenario needs at least one emitter");
        List<Fields> items = top.objects("emitters");
        if (top.has("emitters") && items.isEmpty()) top.problem("emitters", "must list at least one emitter");
        List<Emitter> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Fields f = items.get(i);
            if (f.has("pool")) out.addAll(pool(f));
            else if (f.has("source")) out.add(replay(f, i));
            else out.add(emitter(f, i));
        }
        return out;
    }

    private Emitter emitter(Fields f, int i) {
        String name = f.text("name").orElse(null);
        if (name == null && !f.has("name")) f.problem("name", "missing: every emitter needs a name (or use pool: with a prefix)");
        else if (name != null) name(f, "name", name);
        String format = format(f);
        FormatOptions options = options(f, format);
        Optional<Double> rate = f.number("rate", 0, 10_000_000);
        if (rate.isPresent() && rate.get() <= 0) f.problem("rate", "must be greater than 0");
        List<Stage> stages = stages(f);
        Optional<Double> startRate = f.number("start_rate", 0, 10_000_000);
        Optional<Duration> every = f.positiveDuration("interval");
        Duration jitter = f.duration("interval_jitter", Duration.ZERO);
        Arrivals arrivals = arrivals(f);
        Schedule schedule = schedule(f.object("schedule"));
        int kinds = (f.has("rate") ? 1 : 0) + (f.has("stages") ? 1 : 0) + (f.has("interval") ? 1 : 0);
        if (kinds == 0) f.problem("rate", "missing: give rate (events per second), stages, or interval");
        else if (kinds > 1) f.problem(null, "give one of rate, stages and interval, not several");
        if (startRate.isPresent() && !f.has("stages")) f.problem("start_rate", "only goes with stages");
        if (f.has("interval_jitter") && !f.has("interval")) f.problem("interval_jitter", "only goes with interval");
        if (f.has("stages") && (!schedule.rampUp().isZero() || !schedule.rampDown().isZero()))
            f.problem("schedule", "ramp_up and ramp_down do not go with stages: a stage is a ramp");
        Optional<Interval> interval = every.map(e -> interval(f, e, jitter, schedule, arrivals));
        Optional<String> url = f.text("url");
        url.flatMap(ScenarioReader::httpUrl).ifPresent(why -> f.problem("url", why));
        Map<String, String> headers = f.textMap("headers");
        f.done();
        return new Emitter(name == null ? "emitter-" + (i + 1) : name, format, options, rate.orElse(0.0), schedule, stages,
                startRate.orElse(0.0), arrivals, interval, url, headers, Optional.empty());
    }

    /** {@code source: replay}: recorded events instead of generated ones. */
    private Emitter replay(Fields f, int i) {
        String source = f.text("source").orElse("");
        if (!source.equals("replay")) f.problem("source", "the only source is replay, got \"" + source + "\"");
        String name = f.text("name").orElse("replay-" + (i + 1));
        name(f, "name", name);
        List<String> files = f.texts("files");
        if (files.isEmpty()) f.problem("files", "missing: the recordings to replay (NDJSON or CSV)");
        List<Path> paths = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) {
            Path p = baseDir.resolve(files.get(k));
            if (!Files.isRegularFile(p)) f.problem("files[" + k + "]", "no such file: " + p);
            paths.add(p);
        }
        double speed = f.number("speed", 1e-6, 1e6).orElse(1.0);
        Optional<Double> rate = f.number("rate", 1e-6, 10_000_000);
        if (rate.isPresent() && f.has("speed")) f.problem("rate", "give speed (the recorded pace, faster) or rate (a fixed pace), not both");
        Optional<Duration> maxWait = f.positiveDuration("max_wait");
        int loop = f.integer("loop", 1, 1_000_000).map(Long::intValue).orElse(1);
        Optional<String> rebase = f.text("rebase");
        if (rebase.isPresent() && !rebase.get().equals("now")) f.problem("rebase", "the only rebase is now, got \"" + rebase.get() + "\"");
        boolean newIds = f.bool("new_ids").orElse(false);
        Optional<String> tsField = f.text("timestamp_field");
        boolean strict = f.bool("strict").orElse(false);
        Optional<String> url = f.text("url");
        url.flatMap(ScenarioReader::httpUrl).ifPresent(why -> f.problem("url", why));
        Map<String, String> headers = f.textMap("headers");
        f.done();
        ReplaySpec spec = new ReplaySpec(paths, speed, rate, maxWait, loop, rebase.isPresent(), newIds, tsField, strict);
        return replayEmitter(name, spec, url, headers);
    }

    /** An emitter that replays {@code spec}. */
    static Emitter replayEmitter(String name, ReplaySpec spec, Optional<String> url, Map<String, String> headers) {
        return new Emitter(name, "replay", FormatOptions.DEFAULT, spec.rate().orElse(0.0), Schedule.ALWAYS, List.of(), 0, Arrivals.UNIFORM,
                Optional.empty(), url, headers, Optional.of(spec));
    }

    private List<Emitter> pool(Fields f) {
        Fields p = f.object("pool");
        int count = p.integer("count", 1, 100_000).map(Long::intValue).orElse(0);
        if (count == 0 && !p.has("count")) p.problem("count", "missing: how many emitters");
        Optional<Duration> every = p.positiveDuration("interval");
        if (every.isEmpty() && !p.has("interval")) p.problem("interval", "missing: the pause between two events of one emitter (x in x ± y)");
        Duration jitter = p.duration("interval_jitter", Duration.ZERO);
        String prefix = p.text("prefix").orElse("emitter");
        p.done();
        if (!ScenarioReader.NAME.matcher(prefix + "-1").matches()) p.problem("prefix", "use letters, digits, '.', '_' or '-', got \"" + prefix + "\"");
        String format = format(f);
        FormatOptions options = options(f, format);
        Schedule schedule = schedule(f.object("schedule"));
        Optional<String> url = f.text("url");
        url.flatMap(ScenarioReader::httpUrl).ifPresent(why -> f.problem("url", why));
        Map<String, String> headers = f.textMap("headers");
        for (String k : List.of("name", "rate", "stages", "interval", "start_rate", "arrivals")) {
            if (f.has(k)) {
                f.raw(k);
                f.problem(k, "does not go with pool: members are named prefix-1 ... prefix-N and paced by the pool's interval");
            }
        }
        f.done();
        List<Emitter> out = new ArrayList<>();
        if (every.isEmpty() || count == 0) return out;
        Interval interval = interval(p, every.get(), jitter, schedule, Arrivals.UNIFORM);
        for (int k = 1; k <= count; k++) {
            String name = prefix + "-" + k;
            name(p, "prefix", name);
            out.add(new Emitter(name, format, options, 0, schedule, List.of(), 0, Arrivals.UNIFORM, Optional.of(interval), url, headers, Optional.empty()));
        }
        return out;
    }

    private Interval interval(Fields f, Duration every, Duration jitter, Schedule schedule, Arrivals arrivals) {
        if (jitter.compareTo(every) >= 0) f.problem("interval_jitter", "must be less than the interval (" + Durations.format(every) + ")");
        if (!schedule.rampUp().isZero() || !schedule.rampDown().isZero() || schedule.jitterPct() > 0)
            f.problem("schedule", "ramp_up, ramp_down and jitter_pct do not go with an interval: it paces by interval ± interval_jitter");
        if (arrivals != Arrivals.UNIFORM) f.problem("arrivals", "does not go with an interval");
        return new Interval(every, jitter);
    }

    private void name(Fields f, String key, String name) {
        if (!ScenarioReader.NAME.matcher(name).matches()) f.problem(key, "use letters, digits, '.', '_' or '-', got \"" + name + "\"");
        else if (!names.add(name)) f.problem(key, "duplicate emitter name \"" + name + "\"");
    }

    private static String format(Fields f) {
        if (f.isObject("format")) {
            Fields o = f.object("format");
            String cls = o.text("class").orElse(null);
            java.util.Optional<String> instance = o.text("instance");
            if (instance.isPresent()) {
                String name = io.longrun.generate.UserFormat.INSTANCE + instance.get();
                try {
                    io.longrun.generate.UserFormat.resolve(name);
                } catch (IllegalArgumentException e) {
                    f.problem("format", e.getMessage());
                }
                return name;
            }
            if (cls == null) {
                f.problem("format", "a mapping names a user format's class: format: { class: com.acme.TradeEvents }");
                return "agingos-event";
            }
            return userFormat(o, "class", cls);
        }
        String format = f.text("format").orElse("agingos-event");
        if (Formats.byName(format).isPresent()) return format;
        java.util.Optional<String> found = io.longrun.generate.UserFormat.byName(format);
        if (found.isPresent()) return userFormat(f, "format", found.get());
        f.problem("format", "unknown format \"" + format + "\"; known: " + String.join(", ", Formats.names()));
        return format;
    }

    private static String userFormat(Fields f, String key, String className) {
        try {
            io.longrun.generate.UserFormat.instantiate(className);
        } catch (IllegalArgumentException e) {
            f.problem(key, e.getMessage());
        }
        return io.longrun.generate.UserFormat.PREFIX + className;
    }

    private FormatOptions options(Fields f, String format) {
        boolean user = io.longrun.generate.UserFormat.isUser(format);
        String internal = format;
        if (user) format = format.substring(format.indexOf(':') + 1);
        Set<String> allowed = user ? Set.of() : Formats.byName(format).map(Formats.Spec::options).orElse(Formats.allOptions());
        for (String k : Formats.allOptions())
            if (f.has(k) && !allowed.contains(k)) f.problem(k, "does not apply to format " + format
                    + (allowed.isEmpty() ? "" : "; it takes " + String.join(", ", new java.util.TreeSet<>(allowed))));
        Map<String, Object> own = user && f.isObject("format") ? userOptions(f.object("format"), internal) : Map.of();
        FormatOptions d = FormatOptions.DEFAULT;
        int batch = f.integer("batch_size", 1, 100_000).map(Long::intValue).orElse(d.batchSize());
        double partial = f.number("partial_ratio", 0, 1).orElse(d.partialRatio());
        double chaos = f.number("chaos", 0, 1).orElse(d.chaos());
        Map<String, Double> levels = f.weights("levels");
        boolean header = f.bool("header").orElse(d.header());
        int rfc = f.integer("rfc", 0, 9999).map(Long::intValue).orElse(d.syslog());
        if (rfc != 5424 && rfc != 3164) f.problem("rfc", "must be 5424 or 3164, got " + rfc);
        String service = f.text("service").orElse(d.service());
        Optional<JsonNode> template = f.raw("template");
        Optional<String> templateFile = f.text("template_file");
        if (templateFile.isPresent()) {
            if (template.isPresent()) f.problem("template_file", "give template or template_file, not both");
            Path file = baseDir.resolve(templateFile.get());
            template = templateFile(file, f);
        }
        Map<String, Profile> profiles = profiles(f);
        if (format.equals("template")) {
            if (template.isEmpty() && templateFile.isEmpty()) f.problem("template", "missing: the template format needs template or template_file");
            template.ifPresent(t -> {
                try {
                    Formats.checkTemplate(t, profiles.keySet());
                } catch (IllegalArgumentException e) {
                    f.problem(templateFile.isPresent() ? "template_file" : "template", e.getMessage());
                }
            });
        }
        return new FormatOptions(batch, partial, chaos, levels.isEmpty() ? d.levels() : levels, header, rfc, template, service, profiles, own);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * A user format's own keys beside {@code class:}: those its {@code options()} declares, as plain values, checked by
     * its {@code configure}; any other key is reported (an instance given in code takes none).
     */
    private static Map<String, Object> userOptions(Fields o, String format) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        io.longrun.api.EventFormat f;
        try {
            f = io.longrun.generate.UserFormat.resolve(format);
        } catch (IllegalArgumentException e) {
            return out; // reported at class: (or instance:) already
        }
        boolean cls = format.startsWith(io.longrun.generate.UserFormat.PREFIX);
        String name = f.getClass().getName();
        Set<String> declared = cls ? Set.copyOf(f.options()) : Set.of();
        boolean bad = false;
        for (String k : o.keys()) {
            if (k.equals(cls ? "class" : "instance")) continue;
            if (!declared.contains(k)) {
                bad = true;
                o.problem(k, "unknown key; " + (!cls ? "a format given in code takes no options here"
                        : declared.isEmpty() ? name + " takes no options (its options() declares none)"
                        : name + " takes " + String.join(", ", new java.util.TreeSet<>(declared))));
                continue;
            }
            o.raw(k).ifPresent(v -> out.put(k, PLAIN.convertValue(v, Object.class)));
        }
        if (cls && !bad) {
            try {
                io.longrun.generate.UserFormat.configure(f, out);
            } catch (IllegalArgumentException e) {
                o.problem(null, e.getMessage());
            }
        }
        return out;
    }

    /** {@code profiles: { name: "growth(100, 2)", ... }}: the value profiles a template's {@code {{profile(name)}}} reads. */
    private static Map<String, Profile> profiles(Fields f) {
        Map<String, Profile> out = new java.util.LinkedHashMap<>();
        f.textMap("profiles").forEach((name, text) -> {
            if (!ScenarioReader.NAME.matcher(name).matches()) {
                f.problem("profiles", "a profile's name uses letters, digits, '.', '_' or '-', got \"" + name + "\"");
                return;
            }
            try {
                out.put(name, ProfileParser.parse(text, name));
            } catch (IllegalArgumentException e) {
                f.problem("profiles." + name, e.getMessage());
                out.put(name, new Profile.Steady(0)); // declared: the template may name it (the scenario fails anyway)
            }
        });
        return out;
    }

    /** A template file: UTF-8 JSON, or a problem at template_file saying what is wrong with it and where. */
    private static Optional<JsonNode> templateFile(Path file, Fields f) {
        String text;
        try {
            text = InputText.readUtf8(file, file.toString());
        } catch (ScenarioException e) {
            f.problem("template_file", e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            f.problem("template_file", InputText.jsonProblem(file.toString(), text, e));
            return Optional.empty();
        }
    }

    private static List<Stage> stages(Fields f) {
        List<Stage> out = new ArrayList<>();
        for (Fields s : f.objects("stages")) {
            Optional<Duration> d = s.positiveDuration("duration");
            if (d.isEmpty() && !s.has("duration")) s.problem("duration", "missing");
            Optional<Double> r = s.number("rate", 0, 10_000_000);
            if (r.isEmpty() && !s.has("rate")) s.problem("rate", "missing: the rate at the end of this stage");
            s.done();
            if (d.isPresent() && r.isPresent()) out.add(new Stage(d.get(), r.get()));
        }
        if (f.has("stages") && out.isEmpty()) f.problem("stages", "must list at least one stage");
        return out;
    }

    private static Arrivals arrivals(Fields f) {
        Optional<String> a = f.text("arrivals");
        if (a.isEmpty()) return Arrivals.UNIFORM;
        try {
            return Arrivals.valueOf(a.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            f.problem("arrivals", "must be uniform or poisson, got \"" + a.get() + "\"");
            return Arrivals.UNIFORM;
        }
    }

    /**
     * An emitter that starts after the file's own duration is a mistake in the file. One that starts after a
     * shorter --duration is not: it simply sends nothing in that run, and the plan says so.
     */
    private Schedule schedule(Fields f) {
        Duration start = f.duration("start_after", Duration.ZERO);
        Optional<Duration> stop = f.duration("stop_after");
        Duration up = f.duration("ramp_up", Duration.ZERO);
        Duration down = f.duration("ramp_down", Duration.ZERO);
        double jitter = f.number("jitter_pct", 0, 1).orElse(0.0);
        f.done();
        if (stop.isPresent() && stop.get().compareTo(start) <= 0)
            f.problem("stop_after", "must be after start_after (" + Durations.format(start) + ")");
        if (fileDuration != null && start.compareTo(fileDuration) >= 0)
            f.problem("start_after", "is at or after the end of the run (" + Durations.format(fileDuration) + "): the emitter would send nothing");
        return new Schedule(start, stop, up, down, jitter);
    }
}
