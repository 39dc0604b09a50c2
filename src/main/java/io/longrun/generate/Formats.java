package io.longrun.generate;

import io.longrun.scenario.Scenario.FormatOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The event formats by their scenario names, with the options each one takes. */
public final class Formats {
    /** A format: its name, the emitter keys it reads, and how to make it. */
    public record Spec(String name, Set<String> options, Function<FormatOptions, EventFormat> make) {}

    private static final Set<String> LOG = Set.of("batch_size", "partial_ratio", "levels", "service");
    private static final Map<String, Spec> BY_NAME = new LinkedHashMap<>();

    static {
        add(new Spec(AgingosEvent.NAME, Set.of(), o -> new AgingosEvent()));
        add(new Spec("json", Set.of("partial_ratio", "levels", "service"), o -> new JsonLog(JsonLog.Shape.ONE, o)));
        add(new Spec("json-batch", LOG, o -> new JsonLog(JsonLog.Shape.ARRAY, o)));
        add(new Spec("ndjson", LOG, o -> new JsonLog(JsonLog.Shape.LINES, o)));
        add(new Spec("minimal", Set.of("batch_size", "levels"), o -> new JsonLog(JsonLog.Shape.MINIMAL, o)));
        add(new Spec("csv", Set.of("batch_size", "partial_ratio", "levels", "service", "header"), Csv::new));
        add(new Spec("syslog", Set.of("batch_size", "partial_ratio", "levels", "service", "rfc"), Syslog::new));
        add(new Spec("noise", Set.of("batch_size", "chaos", "levels", "service"), Noise::new));
        add(new Spec("template", Set.of("template", "template_file", "profiles"), o -> new Template(o.template().orElseThrow(), o.profiles())));
    }

    private static void add(Spec s) {
        BY_NAME.put(s.name(), s);
    }

    private Formats() {}

    /** The known names, in the order of the documentation. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static Optional<Spec> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every format-specific emitter key, whatever the format. */
    public static Set<String> allOptions() {
        return Set.of("batch_size", "partial_ratio", "chaos", "levels", "service", "header", "rfc", "template", "template_file", "profiles");
    }

    /** Checks a template document: an IllegalArgumentException names the first bad placeholder. */
    public static void checkTemplate(com.fasterxml.jackson.databind.JsonNode template) {
        Template.check(template, Set.of());
    }

    /** Checks a template document whose {@code {{profile(name)}}} placeholders may name these profiles. */
    public static void checkTemplate(com.fasterxml.jackson.databind.JsonNode template, Set<String> profiles) {
        Template.check(template, profiles);
    }

    public static EventFormat create(String name, FormatOptions options) {
        return BY_NAME.get(name).make().apply(options);
    }
}
