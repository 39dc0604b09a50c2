package io.longrun.scenario;

import io.longrun.scenario.Step.Action;
import io.longrun.scenario.Step.Until;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a phase's {@code until:} and its {@code on_start:} / {@code on_end:} actions; problems go to the scenario's list. */
final class StepReader {
    static final int HEALTH_CHECKS = 3;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60), HTTP_TIMEOUT = Duration.ofSeconds(10);
    static final List<String> KINDS = List.of("sql", "health", "accepted", "log", "metric");
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

    private StepReader() {}

    /** {@code until: { sql | health (+ checks) | accepted | log | metric }}: exactly one kind; empty when absent or broken. */
    static Optional<Until> until(Fields phase) {
        if (!phase.has("until")) {
            phase.raw("until");
            return Optional.empty();
        }
        Fields u = phase.object("until");
        List<String> given = u.keys().stream().filter(KINDS::contains).toList();
        Optional<Until> out = Optional.empty();
        if (given.size() != 1) {
            u.problem(null, given.isEmpty() ? "give one condition: " + String.join(", ", KINDS)
                    : "give one condition, got " + String.join(" and ", given) + " (a phase waits for one)");
            KINDS.forEach(u::raw);
            u.raw("checks");
        } else {
            String kind = given.get(0);
            out = switch (kind) {
                case "sql" -> u.text("sql").map(Step.Sql::new);
                case "health" -> health(u);
                case "accepted" -> u.integer("accepted", 1, Long.MAX_VALUE).map(Step.Accepted::new);
                case "log" -> u.text("log").flatMap(r -> regex(u, r));
                default -> metric(u.object("metric"));
            };
            if (!kind.equals("health") && u.has("checks")) u.problem("checks", "goes with health: only");
        }
        u.done();
        return out;
    }

    private static Optional<Until> health(Fields u) {
        Optional<String> v = u.text("health");
        int checks = u.integer("checks", 1, 1000).orElse((long) HEALTH_CHECKS).intValue();
        if (v.isEmpty()) return Optional.empty();
        String s = v.get().toLowerCase(Locale.ROOT);
        if (!s.equals("up") && !s.equals("down")) {
            u.problem("health", "must be up or down, got \"" + v.get() + "\"");
            return Optional.empty();
        }
        return Optional.of(new Step.Health(s.equals("up"), checks));
    }

    private static Optional<Until> regex(Fields u, String r) {
        try {
            return Optional.of(new Step.Log(Pattern.compile(r)));
        } catch (PatternSyntaxException e) {
            u.problem("log", "not a regular expression: " + e.getDescription() + " in \"" + r + "\"");
            return Optional.empty();
        }
    }

    private static Optional<Until> metric(Fields m) {
        Optional<String> name = StopRuleReader.required(m, "name", m.text("name"));
        Optional<Double> above = m.number("above", -Double.MAX_VALUE, Double.MAX_VALUE);
        Optional<Double> below = m.number("below", -Double.MAX_VALUE, Double.MAX_VALUE);
        m.done();
        if (name.isPresent() && !name.get().startsWith("longrun_")) {
            m.problem("name", "one of longrun's own metrics (its name starts with longrun_, e.g. longrun_events_total), got \"" + name.get() + "\"");
            return Optional.empty();
        }
        if (above.isPresent() == below.isPresent()) {
            m.problem(null, "give above: or below: (one of them)");
            return Optional.empty();
        }
        return name.map(n -> new Step.Metric(n, above.orElseGet(below::get), above.isPresent()));
    }

    /** {@code on_start:} or {@code on_end:}: a list of { command: { run, timeout } } or { http: { method, url, body, headers, timeout } }. */
    static List<Action> actions(Fields phase, String key) {
        List<Action> out = new ArrayList<>();
        for (Fields a : phase.objects(key)) {
            boolean command = a.has("command"), http = a.has("http");
            if (command == http) {
                a.problem(null, command ? "give command: or http:, not both (one action per item)" : "give an action: command: { run } or http: { method, url }");
                a.raw("command");
                a.raw("http");
            } else if (command) {
                Fields c = a.object("command");
                Optional<String> run = StopRuleReader.required(c, "run", c.text("run"));
                Duration timeout = c.positiveDuration("timeout").orElse(COMMAND_TIMEOUT);
                c.done();
                run.ifPresent(r -> out.add(new Step.Command(r, timeout)));
            } else {
                http(a.object("http")).ifPresent(out::add);
            }
            a.done();
        }
        return out;
    }

    private static Optional<Action> http(Fields h) {
        Optional<String> url = StopRuleReader.required(h, "url", h.text("url"));
        Optional<String> body = h.text("body");
        String method = h.text("method").map(m -> m.toUpperCase(Locale.ROOT)).orElse(body.isPresent() ? "POST" : "GET");
        var headers = h.textMap("headers");
        Duration timeout = h.positiveDuration("timeout").orElse(HTTP_TIMEOUT);
        h.done();
        if (!METHODS.contains(method)) {
            h.problem("method", "one of " + String.join(", ", METHODS.stream().sorted().toList()) + ", got \"" + method + "\"");
            return Optional.empty();
        }
        if (url.isPresent() && !url.get().matches("(?i)https?://.+")) {
            h.problem("url", "must start with http:// or https://, got \"" + io.longrun.runlog.Secrets.maskUrl(url.get()) + "\"");
            return Optional.empty();
        }
        return url.map(u -> new Step.Http(method, u, body, headers, timeout));
    }
}
