package io.longrun.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scenario written in code, as the YAML text the scenario reader reads: one reader, one validation. */
final class Yaml {
    private static final YAMLMapper YAML = new YAMLMapper();

    private Yaml() {}

    static String write(Map<String, Object> tree) {
        try {
            return YAML.writeValueAsString(plain(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the scenario: " + e.getOriginalMessage(), e);
        }
    }

    /** Durations as the YAML's text ({@code 1500ms}); maps and lists copied; everything else as it is. */
    static Object plain(Object v) {
        if (v instanceof Duration d) return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }

    /** A copy of {@code tree} with {@code key} set (or appended to, for a list). */
    static Map<String, Object> with(Map<String, Object> tree, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(tree);
        m.put(key, plain(value));
        return m;
    }

    static Map<String, Object> append(Map<String, Object> tree, String key, Object item) {
        Map<String, Object> m = new LinkedHashMap<>(tree);
        List<Object> list = new ArrayList<>(m.get(key) instanceof List<?> l ? l : List.of());
        list.add(plain(item));
        m.put(key, list);
        return m;
    }
}
