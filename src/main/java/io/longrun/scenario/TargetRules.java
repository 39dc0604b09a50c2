package io.longrun.scenario;

import java.io.StringReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reference target's rule file ({@code longrun target --rules FILE}), after seed 003's {@code backend/config/rules.yaml}:
 * <pre>
 * rules:
 *   - name: no_motion        # names the deviations it writes (deviations.rule)
 *     category: motion       # the events it looks at
 *     absent_for: 10m        # a subject with no such event for this long deviates
 *     every: 30s             # how often the scheduler evaluates it (default 30s)
 *     subject: room          # the payload key naming the subject (default room)
 *     lookback: 1h           # subjects are those with such an event in the last lookback (default 1h)
 *     severity: warning      # info | warning | critical (default warning)
 *     scheduler: true        # false: evaluated only by POST /deviations/evaluate
 * </pre>
 * Every problem is reported at once, as {@code file:line: rules[i].key: what is wrong}.
 */
public record TargetRules(List<Rule> rules) {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final List<String> SEVERITIES = List.of("info", "warning", "critical");
    static final Duration MIN_EVERY = Duration.ofMillis(100);

    /** One absence rule: a subject that had {@code category} events within {@code lookback} but none for {@code absentFor}. */
    public record Rule(String name, String category, Duration absentFor, Duration every, String subject, Duration lookback, String severity,
                       boolean scheduled) {
        public String describe() {
            return name + " (no " + category + " event per " + subject + " for " + Durations.format(absentFor) + ", every " + Durations.format(every) + ")";
        }
    }

    /** The built-in rule when no file is given: no motion event for 10 minutes, evaluated every 30 seconds. */
    public static final TargetRules DEFAULT = new TargetRules(List.of(new Rule("no_motion", "motion", Duration.ofMinutes(10),
            Duration.ofSeconds(30), "room", Duration.ofHours(1), "warning", true)));

    public TargetRules {
        rules = List.copyOf(rules);
    }

    /** The rules the scheduler runs on its own. */
    public List<Rule> scheduled() {
        return rules.stream().filter(Rule::scheduled).toList();
    }

    public static TargetRules read(Path file) throws ScenarioException {
        if (!Files.isRegularFile(file)) throw new ScenarioException("--rules " + file + ": no such file");
        return read(file.toString(), new StringReader(InputText.readUtf8(file, file.toString())));
    }

    public static TargetRules read(String source, Reader reader) throws ScenarioException {
        YamlDoc doc = YamlDoc.read(source, reader);
        Fields.Problems problems = new Fields.Problems(doc);
        if (!doc.root().isObject()) {
            problems.at("", "a rule file must be a mapping with a list under rules:, e.g. rules: [{name: no_motion, category: motion, absent_for: 10m}]");
            throw new ScenarioException(problems.list());
        }
        Fields top = new Fields(problems, "", doc.root());
        if (!top.has("rules")) top.problem("rules", "missing: list at least one rule");
        List<Fields> items = top.objects("rules");
        if (top.has("rules") && items.isEmpty() && doc.root().get("rules").isArray()) top.problem("rules", "list at least one rule");
        top.done();
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Fields f : items) {
            Optional<String> name = f.text("name");
            if (name.isEmpty() && !f.has("name")) f.problem("name", "missing: the rule's name, e.g. no_motion");
            else if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
                f.problem("name", "use lower-case letters, digits and '_', starting with a letter, got \"" + name.get() + "\"");
                name = Optional.empty();
            } else if (name.isPresent() && !names.add(name.get())) {
                f.problem("name", "\"" + name.get() + "\" is already the name of another rule");
            }
            Optional<String> category = f.text("category");
            if (!f.has("category")) f.problem("category", "missing: the event category to watch, e.g. motion");
            Optional<Duration> absentFor = f.positiveDuration("absent_for");
            if (!f.has("absent_for")) f.problem("absent_for", "missing: how long without such an event is a deviation, e.g. 10m");
            Optional<Duration> every = f.positiveDuration("every");
            if (every.isPresent() && every.get().compareTo(MIN_EVERY) < 0) {
                f.problem("every", "must be at least " + Durations.format(MIN_EVERY) + ", got " + Durations.format(every.get()));
                every = Optional.empty();
            }
            Optional<String> subject = f.text("subject");
            if (subject.isPresent() && !KEY.matcher(subject.get()).matches()) {
                f.problem("subject", "must be a payload key (letters, digits, '_'), got \"" + subject.get() + "\"");
                subject = Optional.empty();
            }
            Optional<Duration> lookback = f.positiveDuration("lookback");
            if (lookback.isPresent() && absentFor.isPresent() && lookback.get().compareTo(absentFor.get()) <= 0) {
                f.problem("lookback", "must be longer than absent_for (" + Durations.format(absentFor.get()) + "), got " + Durations.format(lookback.get()));
                lookback = Optional.empty();
            }
            Optional<String> severity = f.text("severity");
            if (severity.isPresent() && !SEVERITIES.contains(severity.get())) {
                f.problem("severity", "must be one of " + String.join(", ", SEVERITIES) + ", got \"" + severity.get() + "\"");
                severity = Optional.empty();
            }
            Optional<Boolean> scheduled = f.bool("scheduler");
            f.done();
            if (name.isPresent() && category.isPresent() && absentFor.isPresent()) {
                Duration lb = lookback.orElse(absentFor.get().compareTo(Duration.ofMinutes(30)) < 0 ? Duration.ofHours(1) : absentFor.get().multipliedBy(2));
                rules.add(new Rule(name.get(), category.get(), absentFor.get(), every.orElse(Duration.ofSeconds(30)), subject.orElse("room"), lb,
                        severity.orElse("warning"), scheduled.orElse(true)));
            }
        }
        if (!problems.list().isEmpty()) throw new ScenarioException(problems.list());
        return new TargetRules(rules);
    }
}
