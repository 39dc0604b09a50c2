package io.longrun.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the keys of one YAML mapping, checking types and ranges, and reports each problem with its key path
 * and line instead of stopping at the first. Keys never read are reported by {@link #done()} as unknown.
 */
final class Fields {
    /** Collects problems as {@code file:line: path: what is wrong}. */
    static final class Problems {
        private final YamlDoc doc;
        private final List<String> list = new ArrayList<>();

        Problems(YamlDoc doc) {
            this.doc = doc;
            list.addAll(doc.problems());
        }

        void at(String path, String what) {
            list.add(doc.source() + ":" + doc.line(path) + ": " + (path.isEmpty() ? "(top)" : path) + ": " + what);
        }

        /** The problems in the order of their lines in the file (and, on one line, as they were found). */
        List<String> list() {
            List<String> sorted = new ArrayList<>(list);
            sorted.sort(java.util.Comparator.comparingInt(Problems::lineOf));
            return sorted;
        }

        private static int lineOf(String problem) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[^\n]*?:(\\d+): ").matcher(problem);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
    }

    private final Problems problems;
    private final String path;
    private final JsonNode node;
    private final Set<String> read = new LinkedHashSet<>();

    Fields(Problems problems, String path, JsonNode node) {
        this.problems = problems;
        this.path = path;
        if (node != null && !node.isMissingNode() && !node.isNull() && !node.isObject()) {
            problems.at(path, "must be a mapping of keys, got " + describe(node));
            node = MissingNode.getInstance();
        }
        this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** Whether the key holds a mapping. */
    boolean isObject(String key) {
        return has(key) && node.get(key).isObject();
    }

    private JsonNode get(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    Optional<String> text(String key) {
        JsonNode v = get(key);
        if (v == null) return Optional.empty();
        if (!v.isValueNode() || v.isBoolean()) {
            problems.at(path(key), "must be text, got " + describe(v));
            return Optional.empty();
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            problems.at(path(key), "must not be empty");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    Optional<Duration> duration(String key) {
        JsonNode v = get(key);
        if (v == null) return Optional.empty();
        if (v.isNumber()) {
            problems.at(path(key), "needs a unit, e.g. " + v.asText() + "s (units: ms, s, m, h)");
            return Optional.empty();
        }
        Optional<Duration> d = v.isTextual() ? Durations.parse(v.asText()) : Optional.empty();
        if (d.isEmpty()) problems.at(path(key), "not a duration: " + describe(v) + " (write e.g. 250ms, 90s, 15m, 6h)");
        return d;
    }

    Duration duration(String key, Duration dflt) {
        return duration(key).orElse(dflt);
    }

    /** A duration that must be greater than zero. */
    Optional<Duration> positiveDuration(String key) {
        Optional<Duration> d = duration(key);
        if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
            problems.at(path(key), "must be greater than 0");
            return Optional.empty();
        }
        return d;
    }

    Optional<Double> number(String key, double min, double max) {
        JsonNode v = get(key);
        if (v == null) return Optional.empty();
        if (!v.isNumber()) {
            problems.at(path(key), "must be a number, got " + describe(v));
            return Optional.empty();
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            problems.at(path(key), "must be between " + Num.text(min) + " and " + Num.text(max) + ", got " + v.asText());
            return Optional.empty();
        }
        return Optional.of(d);
    }

    Optional<Long> integer(String key, long min, long max) {
        JsonNode v = get(key);
        if (v == null) return Optional.empty();
        if (!v.isIntegralNumber()) {
            problems.at(path(key), "must be a whole number, got " + describe(v));
            return Optional.empty();
        }
        long l = v.asLong();
        if (!v.canConvertToLong() || l < min || l > max) {
            problems.at(path(key), "must be between " + min + " and " + max + ", got " + v.asText());
            return Optional.empty();
        }
        return Optional.of(l);
    }

    Fields object(String key) {
        return new Fields(problems, path(key), get(key));
    }

    /** The items of a list of mappings; a missing key is an empty list. */
    List<Fields> objects(String key) {
        JsonNode v = get(key);
        List<Fields> out = new ArrayList<>();
        if (v == null) return out;
        if (!v.isArray()) {
            problems.at(path(key), "must be a list, got " + describe(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) out.add(new Fields(problems, path(key) + "[" + i + "]", v.get(i)));
        return out;
    }

    /** The items of a list of mappings; a single mapping is a list of one, a missing key an empty list. */
    List<Fields> objectsOrOne(String key) {
        JsonNode v = node.get(key);
        if (v != null && v.isObject()) {
            read.add(key);
            return new ArrayList<>(List.of(new Fields(problems, path(key), v)));
        }
        return objects(key);
    }

    /** A list of texts; a single text is taken as a list of one. */
    List<String> texts(String key) {
        List<String> out = new ArrayList<>();
        List<JsonNode> items = items(key, "a list of texts");
        if (items.size() == 1 && items.get(0) == node.get(key)) { // a single text
            out.add(items.get(0).asText());
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isTextual() || item.asText().isBlank()) problems.at(path(key) + "[" + i + "]", "must be text, got " + describe(item));
            else out.add(item.asText().trim());
        }
        return out;
    }

    /**
     * The items of a list whose items are a text or a mapping (a single text is a list of one): a text comes back as
     * its String, a mapping as Fields at {@code key[i]}; anything else is a problem and comes back as null.
     */
    List<Object> textsOrObjects(String key, String what) {
        List<Object> out = new ArrayList<>();
        List<JsonNode> items = items(key, "a list");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = path(key) + "[" + i + "]";
            if (item.isTextual() && !item.asText().isBlank()) out.add(item.asText().trim());
            else if (item.isObject()) out.add(new Fields(problems, at, item));
            else {
                problems.at(at, "must be " + what + ", got " + describe(item));
                out.add(null);
            }
        }
        return out;
    }

    /** A list's items; a single text is a list of one, a missing key an empty list, anything else a problem. */
    private List<JsonNode> items(String key, String list) {
        JsonNode v = get(key);
        List<JsonNode> out = new ArrayList<>();
        if (v == null) return out;
        if (v.isTextual()) out.add(v);
        else if (v.isArray()) v.forEach(out::add);
        else problems.at(path(key), "must be " + list + ", got " + describe(v));
        return out;
    }

    Optional<Boolean> bool(String key) {
        JsonNode v = get(key);
        if (v == null) return Optional.empty();
        if (!v.isBoolean()) {
            problems.at(path(key), "must be true or false, got " + describe(v));
            return Optional.empty();
        }
        return Optional.of(v.asBoolean());
    }

    /** The value as it is, for keys whose content is free (a template). */
    Optional<JsonNode> raw(String key) {
        return Optional.ofNullable(get(key));
    }

    /** A mapping of names to texts (numbers and booleans are taken as their text). */
    java.util.Map<String, String> textMap(String key) {
        JsonNode v = get(key);
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (v == null) return out;
        if (!v.isObject()) {
            problems.at(path(key), "must be a mapping of names to texts, got " + describe(v));
            return out;
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) problems.at(path(key) + "." + e.getKey(), "must be a text, got " + describe(e.getValue()));
            else out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    /** A mapping of names to numbers that are at least 0. */
    java.util.Map<String, Double> weights(String key) {
        JsonNode v = get(key);
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        if (v == null) return out;
        if (!v.isObject()) {
            problems.at(path(key), "must be a mapping of names to weights, got " + describe(v));
            return out;
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) problems.at(path(key) + "." + e.getKey(), "must be a weight of 0 or more, got " + describe(e.getValue()));
            else out.put(e.getKey(), e.getValue().asDouble());
        });
        if (!out.isEmpty() && out.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) problems.at(path(key), "the weights add up to 0");
        return out;
    }

    /** The keys present, in file order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    void problem(String key, String what) {
        problems.at(key == null ? path : path(key), what);
    }

    /** Reports every key that was never read as unknown, with the closest known key when there is one. */
    void done() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (read.contains(k)) continue;
            String hint = closest(k, read).map(c -> " (did you mean '" + c + "'?)").orElse("");
            problems.at(path(k), "unknown key" + hint + "; known keys here: " + String.join(", ", read));
        }
    }

    static String describe(JsonNode v) {
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        if (v.isTextual()) return "\"" + v.asText() + "\"";
        return v.asText();
    }

    static Optional<String> closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best != null && bestD <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
