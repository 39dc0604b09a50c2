package io.longrun.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.Tables;
import io.longrun.scenario.Assertions.Assertion;
import io.longrun.scenario.Assertions.Bound;
import io.longrun.scenario.Scenario.Alerts;
import io.longrun.scenario.Scenario.Evaluate;
import io.longrun.scenario.Scenario.Runbook;
import io.longrun.scenario.Scenario.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code watch}, {@code evaluate}, {@code alerts}, {@code assert} and {@code lag_allowance}. */
final class RunbookReader {
    static final List<String> ASSERT_KINDS = List.of("count", "sequence", "no_rows", "sql", "threshold", "ledger");
    static final List<String> OUTCOMES = List.of("accepted", "rejected", "failed", "dropped", "sent", "planned");

    private RunbookReader() {}

    static Watch watch(Fields f) {
        Duration health = f.positiveDuration("health_every").orElse(Duration.ofSeconds(2));
        Duration db = f.positiveDuration("db_every").orElse(Duration.ofSeconds(5));
        List<String> logs = f.texts("logs");
        Duration logsEvery = f.positiveDuration("logs_every").orElse(Duration.ofSeconds(1));
        Map<String, String> levels = new LinkedHashMap<>(Watch.DEFAULT_LEVELS);
        Map<String, String> given = f.textMap("levels");
        given.forEach((level, regex) -> {
            try {
                Pattern.compile(regex);
                levels.put(level.toUpperCase(Locale.ROOT), regex);
            } catch (PatternSyntaxException e) {
                f.problem("levels." + level, "not a regular expression: " + e.getDescription());
            }
        });
        f.done();
        return new Watch(health, db, logs, logsEvery, levels);
    }

    static Runbook runbook(Fields top) {
        Optional<Evaluate> evaluate = Optional.empty();
        top.raw("evaluate"); // known keys, even when absent
        top.raw("alerts");
        if (top.has("evaluate")) {
            Fields e = top.object("evaluate");
            String url = StopRuleReader.required(e, "url", e.text("url")).orElse("");
            if (!url.isEmpty()) ScenarioReader.httpUrl(url).ifPresent(why -> e.problem("url", why));
            Duration every = e.positiveDuration("every").orElse(Duration.ofSeconds(30));
            e.done();
            evaluate = Optional.of(new Evaluate(url, every));
        }
        Alerts alerts = Alerts.NONE;
        if (top.has("alerts")) {
            Fields a = top.object("alerts");
            Optional<String> webhook = a.text("webhook");
            webhook.flatMap(ScenarioReader::httpUrl).ifPresent(why -> a.problem("webhook", why));
            String format = a.text("format").orElse("json");
            if (!format.equals("json") && !format.equals("alertmanager")) a.problem("format", "must be alertmanager or json, got \"" + format + "\"");
            a.done();
            alerts = new Alerts(webhook, format);
        }
        Duration lag = top.duration("lag_allowance", Duration.ofSeconds(5));
        return new Runbook(evaluate, alerts, asserts(top), lag);
    }

    /** An {@code assert:} list under {@code top} (the scenario's, or a phase's). */
    static List<Assertion> asserts(Fields top) {
        List<Assertion> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Fields item : top.objects("assert")) {
            List<String> kinds = item.keys().stream().filter(ASSERT_KINDS::contains).toList();
            if (kinds.size() != 1) {
                String unknown = item.keys().stream().filter(k -> !ASSERT_KINDS.contains(k) && !k.equals("name")).findFirst().orElse(null);
                String hint = unknown == null ? "" : "unknown assertion \"" + unknown + "\""
                        + Fields.closest(unknown, ASSERT_KINDS).map(c -> " (did you mean '" + c + "'?)").orElse("") + "; ";
                item.problem(null, hint + "each item names exactly one assertion: " + String.join(", ", ASSERT_KINDS));
                continue;
            }
            String kind = kinds.get(0);
            String name = item.text("name").orElse(kind + "_" + (out.size() + 1));
            if (!names.add(name)) item.problem("name", "two assertions are named \"" + name + "\"");
            Assertion a = assertion(kind, name, item);
            item.done();
            if (a != null) out.add(a);
        }
        return out;
    }

    private static Assertion assertion(String kind, String name, Fields item) {
        // sql and threshold may be a bare text: "sql: select ..." / "threshold: p95 < 200ms"
        Optional<JsonNode> raw = item.raw(kind);
        if (raw.isPresent() && raw.get().isTextual() && (kind.equals("sql") || kind.equals("threshold") || kind.equals("no_rows"))) {
            String text = raw.get().asText().trim();
            return switch (kind) {
                case "sql" -> new Assertions.Sql(name, text);
                case "no_rows" -> new Assertions.NoRows(name, text);
                default -> threshold(name, text, item, kind);
            };
        }
        Fields c = item.object(kind);
        Assertion a = switch (kind) {
            case "count" -> {
                Optional<String> sql = c.text("sql");
                Optional<String> outcome = c.text("outcome");
                outcome.ifPresent(o -> {
                    if (!OUTCOMES.contains(o)) c.problem("outcome", "unknown outcome \"" + o + "\"; known: " + String.join(", ", OUTCOMES));
                });
                if (sql.isPresent() == outcome.isPresent()) c.problem("sql", "give sql (a query that counts) or outcome (a delivery count), one of them");
                Optional<Bound> eq = bound(c, "equals"), min = bound(c, "at_least"), max = bound(c, "at_most");
                if (c.has("between")) {
                    JsonNode b = c.raw("between").orElseThrow();
                    if (!b.isArray() || b.size() != 2 || !b.get(0).isNumber() || !b.get(1).isNumber() || b.get(0).asDouble() > b.get(1).asDouble())
                        c.problem("between", "must be [low, high], two numbers, low first");
                    else {
                        min = Optional.of(new Bound(Optional.of(b.get(0).asDouble()), Optional.empty()));
                        max = Optional.of(new Bound(Optional.of(b.get(1).asDouble()), Optional.empty()));
                    }
                }
                if (eq.isEmpty() && min.isEmpty() && max.isEmpty()) c.problem("equals", "missing: give equals, at_least, at_most or between");
                yield new Assertions.Count(name, sql, outcome, eq, min, max);
            }
            case "sequence" -> {
                String table = column(c, "table", null);
                yield new Assertions.Sequence(name, table, column(c, "entity_column", null), column(c, "ts_column", "timestamp"),
                        column(c, "order_column", "received_at"), c.text("where"));
            }
            case "ledger" -> new Assertions.Ledger(name, column(c, "table", null), column(c, "id_column", "id"));
            case "no_rows" -> new Assertions.NoRows(name, StopRuleReader.required(c, "sql", c.text("sql")).orElse(""));
            case "sql" -> new Assertions.Sql(name, StopRuleReader.required(c, "sql", c.text("sql")).orElse(""));
            default -> threshold(name, StopRuleReader.required(c, "expr", c.text("expr")).orElse("p95 < 0ms"), c, "expr");
        };
        c.done();
        return a;
    }

    private static Assertion threshold(String name, String text, Fields f, String key) {
        Object t = Assertions.Threshold.parse(name, text);
        if (t instanceof String why) {
            f.problem(key, why);
            return null;
        }
        return (Assertion) t;
    }

    /** A number, or the name of a delivery count ("accepted"). */
    private static Optional<Bound> bound(Fields c, String key) {
        Optional<JsonNode> v = c.raw(key);
        if (v.isEmpty()) return Optional.empty();
        if (v.get().isNumber()) return Optional.of(new Bound(Optional.of(v.get().asDouble()), Optional.empty()));
        if (v.get().isTextual() && OUTCOMES.contains(v.get().asText())) return Optional.of(new Bound(Optional.empty(), Optional.of(v.get().asText())));
        c.problem(key, "must be a number or a delivery count (" + String.join(", ", OUTCOMES) + "), got " + Fields.describe(v.get()));
        return Optional.empty();
    }

    private static String column(Fields c, String key, String dflt) {
        Optional<String> v = c.text(key);
        if (v.isEmpty() && dflt == null) {
            if (!c.has(key)) c.problem(key, "missing");
            return "";
        }
        String name = v.orElse(dflt);
        if (!Tables.wellFormed(name)) c.problem(key, "not a name: \"" + name + "\"");
        return name;
    }
}
