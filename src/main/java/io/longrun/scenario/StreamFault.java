package io.longrun.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One stream fault of a phase's {@code faults:}: it acts on longrun's own events as they are sent, not on a proxy.
 * {@code - drop: { pct: 10 }}, {@code - duplicate: { pct: 5, after_ms: 100 }}, {@code - delay: { pct: 5, ms: 500 }},
 * {@code - modify: { pct: 1, path: timestamp, value: "2026-01-01T10:00:00+02:00" }}, {@code - reorder: { window: 10 }},
 * {@code - corrupt: { pct: 1, how: bad_json }}, {@code - inject: { rate: 2, template: {...}, store: false }}.
 *
 * @param index    the fault's place among all stream faults of the scenario (phase by phase): its random stream
 * @param pct      the share of the selected events it touches, 0 to 100
 * @param ms       {@code delay}: how long an event is held back; {@code duplicate}: how long after the original's
 *                 answer the copy goes
 * @param path     {@code modify}: the field, dotted for a nested one ({@code payload.room})
 * @param value    {@code modify}: the value it is set to (a JSON value)
 * @param emitters the emitters it applies to; empty: all
 * @param atCount  it starts with the phase's Nth event (counted over the emitters it applies to), when given
 * @param atTime   it starts this long into the phase, when given
 * @param window   {@code reorder}: how many events of an emitter are shuffled together
 * @param how      {@code corrupt}: how the event is broken
 * @param inject   {@code inject}: what the extra events are, and whether the target should store them
 */
public record StreamFault(Kind kind, int index, double pct, long ms, String path, JsonNode value, List<String> emitters,
                          Optional<Long> atCount, Optional<Duration> atTime, int window, Corruption how, Injection inject) {
    public StreamFault {
        emitters = List.copyOf(emitters);
    }

    /** A fault of the first four kinds (drop, duplicate, delay, modify). */
    public StreamFault(Kind kind, int index, double pct, long ms, String path, JsonNode value, List<String> emitters,
                       Optional<Long> atCount, Optional<Duration> atTime) {
        this(kind, index, pct, ms, path, value, emitters, atCount, atTime, 0, null, null);
    }

    public enum Kind {
        DROP, DUPLICATE, DELAY, REORDER, MODIFY, CORRUPT, INJECT;

        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String yaml) {
            for (Kind k : values()) if (k.yaml().equals(yaml)) return k;
            return null;
        }

        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Kind::yaml).toList();
        }
    }

    /** How {@code corrupt} breaks an event: cut in half, no longer JSON, or a field of the wrong type. */
    public enum Corruption {
        TRUNCATE, BAD_JSON, WRONG_TYPE;

        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Corruption of(String yaml) {
            for (Corruption c : values()) if (c.yaml().equals(yaml)) return c;
            return null;
        }

        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Corruption::yaml).toList();
        }
    }

    /**
     * What {@code inject} sends: events of another format ({@code format}, by name) or of a template (a JSON
     * document with placeholders), and whether the target should store them ({@code store}) or reject them.
     */
    public record Injection(String format, JsonNode template, boolean store) {}

    /** Whether it applies to this emitter. */
    public boolean applies(String emitter) {
        return emitters.isEmpty() || emitters.contains(emitter);
    }

    /** The fault in words: {@code drop 10% of events (emitters a, b) from event 100}. */
    public String describe() {
        String what = switch (kind) {
            case DROP -> "drop " + Num.text(pct) + "% of events";
            case DUPLICATE -> "duplicate " + Num.text(pct) + "% of events, " + ms + " ms after their answer";
            case DELAY -> "delay " + Num.text(pct) + "% of events by " + ms + " ms";
            case MODIFY -> "modify " + Num.text(pct) + "% of events: " + path + " = " + value;
            case REORDER -> "reorder events within windows of " + window;
            case CORRUPT -> "corrupt " + Num.text(pct) + "% of events (" + how.yaml() + (how == Corruption.WRONG_TYPE ? " at " + path : "")
                    + ")";
            case INJECT -> "inject " + Num.text(pct) + " extra event(s) per 100 ("
                    + (inject.format() != null ? "format " + inject.format() : "a template") + ", to be "
                    + (inject.store() ? "stored" : "rejected") + ")";
        };
        return what + (emitters.isEmpty() ? "" : " (emitters " + String.join(", ", emitters) + ")")
                + atCount.map(n -> " from the phase's event " + n).orElse("")
                + atTime.map(t -> " from " + Durations.format(t) + " into the phase").orElse("");
    }
}
