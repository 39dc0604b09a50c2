package io.longrun.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.scenario.StreamFault.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads the stream faults of a phase's {@code faults:} (those that name no proxy): {@code drop}, {@code duplicate},
 * {@code delay}, {@code modify}. Every problem goes to the scenario's list, with its line and key path.
 */
final class StreamFaultReader {
    static final long MAX_MS = 3_600_000;
    static final long MAX_WINDOW = 10_000;
    private static final String PATH = "[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*";

    /** The formats {@code inject} can send by name (a template is given as {@code template}). */
    static List<String> injectable() {
        return io.longrun.generate.Formats.names().stream().filter(n -> !n.equals("template")).toList();
    }

    private StreamFaultReader() {}

    /** Whether this item of a fault list names a stream fault. */
    static boolean isStream(Fields item) {
        return item.keys().size() == 1 && Kind.of(item.keys().get(0)) != null;
    }

    /** The stream fault of this item; null when it is broken (the problems are reported). */
    static StreamFault read(Fields item, int index) {
        Kind kind = Kind.of(item.keys().get(0));
        Fields f = item.object(kind.yaml());
        boolean ok = true;
        Optional<Double> pct = Optional.of(0.0);
        if (kind == Kind.INJECT) {
            pct = f.number("rate", 0, 100);
            if (pct.isEmpty()) {
                if (!f.has("rate")) f.problem("rate", "missing: how many extra events per 100 of the emitter's events, 0 to 100");
                ok = false;
            }
        } else if (kind != Kind.REORDER) {
            pct = f.number("pct", 0, 100);
            if (pct.isEmpty()) {
                if (!f.has("pct")) f.problem("pct", "missing: the share of events, 0 to 100");
                ok = false;
            }
        }
        int window = 0;
        if (kind == Kind.REORDER) {
            Optional<Long> w = f.integer("window", 2, MAX_WINDOW);
            if (w.isEmpty()) {
                if (!f.has("window")) f.problem("window", "missing: how many events are shuffled together, 2 to " + MAX_WINDOW);
                ok = false;
            } else window = w.get().intValue();
        }
        StreamFault.Corruption how = null;
        StreamFault.Injection inject = null;
        String path = null;
        if (kind == Kind.CORRUPT) {
            Optional<String> h = f.text("how");
            if (h.isEmpty()) {
                if (!f.has("how")) f.problem("how", "missing: one of " + String.join(", ", StreamFault.Corruption.names()));
                ok = false;
            } else if ((how = StreamFault.Corruption.of(h.get())) == null) {
                f.problem("how", "must be one of " + String.join(", ", StreamFault.Corruption.names()) + ", got \"" + h.get() + "\"");
                ok = false;
            }
            Optional<String> p = f.text("path");
            if (p.isPresent() && how != null && how != StreamFault.Corruption.WRONG_TYPE) {
                f.problem("path", "only wrong_type takes a path (the field given a value of the wrong type)");
                ok = false;
            } else if (p.isPresent() && !p.get().matches(PATH)) {
                f.problem("path", "not a field path (names joined by '.'), got \"" + p.get() + "\"");
                ok = false;
            }
            if (how == StreamFault.Corruption.WRONG_TYPE) path = p.orElse("timestamp");
        }
        if (kind == Kind.INJECT) {
            Optional<String> format = f.text("format");
            Optional<JsonNode> template = f.raw("template");
            if (format.isPresent() && template.isPresent()) {
                f.problem("template", "give format or template, not both");
                ok = false;
            } else if (format.isEmpty() && template.isEmpty()) {
                if (!f.has("format")) f.problem("format", "missing: the extra events' format (one of " + String.join(", ", injectable()) + ") or a template");
                ok = false;
            } else if (format.isPresent() && !injectable().contains(format.get())) {
                f.problem("format", "must be one of " + String.join(", ", injectable()) + " (or give a template), got \"" + format.get() + "\"");
                ok = false;
            } else if (template.isPresent()) {
                try {
                    io.longrun.generate.Formats.checkTemplate(template.get());
                } catch (IllegalArgumentException e) {
                    f.problem("template", e.getMessage());
                    ok = false;
                }
            }
            Optional<Boolean> store = f.bool("store");
            if (store.isEmpty() && f.has("store")) ok = false;
            inject = new StreamFault.Injection(format.orElse(null), template.orElse(null), store.orElse(true));
        }
        long ms = 0;
        if (kind == Kind.DELAY || kind == Kind.DUPLICATE) {
            String key = kind == Kind.DELAY ? "ms" : "after_ms";
            Optional<Long> v = f.integer(key, 0, MAX_MS);
            if (v.isEmpty() && f.has(key)) ok = false;
            else if (v.isEmpty() && kind == Kind.DELAY) {
                f.problem(key, "missing: how long an event is held back, in milliseconds");
                ok = false;
            }
            ms = v.orElse(0L);
        }
        JsonNode value = null;
        if (kind == Kind.MODIFY) {
            Optional<String> p = f.text("path");
            if (p.isEmpty()) {
                if (!f.has("path")) f.problem("path", "missing: the field to set, e.g. timestamp or payload.room");
                ok = false;
            } else if (!p.get().matches(PATH)) {
                f.problem("path", "not a field path (names joined by '.'), got \"" + p.get() + "\"");
                ok = false;
            } else path = p.get();
            Optional<JsonNode> v = f.raw("value");
            if (v.isEmpty()) {
                f.problem("value", "missing: the value the field is set to");
                ok = false;
            } else value = v.get();
        }
        List<String> emitters = f.texts("emitters");
        Optional<Long> atCount = Optional.empty();
        Optional<Duration> atTime = Optional.empty();
        Optional<JsonNode> at = f.raw("at");
        if (at.isPresent() && at.get().isIntegralNumber() && at.get().asLong() >= 0) atCount = Optional.of(at.get().asLong());
        else if (at.isPresent() && at.get().isNumber()) {
            f.problem("at", "must be a whole count of events (0 or more) or a time into the phase such as 30s, got " + Fields.describe(at.get()));
            ok = false;
        } else if (at.isPresent()) {
            atTime = f.positiveDuration("at");
            ok &= atTime.isPresent();
        }
        f.done();
        item.done();
        return ok ? new StreamFault(kind, index, pct.get(), ms, path, value, emitters, atCount, atTime, window, how, inject) : null;
    }
}
