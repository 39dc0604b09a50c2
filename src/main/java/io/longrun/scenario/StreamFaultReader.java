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
        Optional<Double> pct = f.number("pct", 0, 100);
        if (pct.isEmpty()) {
            if (!f.has("pct")) f.problem("pct", "missing: the share of events, 0 to 100");
            ok = false;
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
        String path = null;
        JsonNode value = null;
        if (kind == Kind.MODIFY) {
            Optional<String> p = f.text("path");
            if (p.isEmpty()) {
                if (!f.has("path")) f.problem("path", "missing: the field to set, e.g. timestamp or payload.room");
                ok = false;
            } else if (!p.get().matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*")) {
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
        return ok ? new StreamFault(kind, index, pct.get(), ms, path, value, emitters, atCount, atTime) : null;
    }
}
