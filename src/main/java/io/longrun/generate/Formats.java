package io.longrun.generate;

import java.util.Map;
import java.util.Optional;

/** The event formats by their scenario names. */
public final class Formats {
    private static final Map<String, EventFormat> BY_NAME = Map.of(AgingosEvent.NAME, new AgingosEvent());

    private Formats() {}

    /** The known names, sorted. */
    public static java.util.List<String> names() {
        return BY_NAME.keySet().stream().sorted().toList();
    }

    public static Optional<EventFormat> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
