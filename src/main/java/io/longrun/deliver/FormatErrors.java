package io.longrun.deliver;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/** The events user formats could not render, per emitter: the class, the last message, how many. */
public final class FormatErrors {
    /** One emitter's user-format errors. */
    public record Error(String className, String message, long count) {}

    private final Map<Integer, Error> byEmitter = new ConcurrentHashMap<>();

    void add(int emitter, String className, String message) {
        byEmitter.merge(emitter, new Error(className, message, 1), (a, b) -> new Error(b.className(), b.message(), a.count() + 1));
    }

    Map<String, Error> byName(IntFunction<String> name) {
        Map<String, Error> m = new TreeMap<>();
        byEmitter.forEach((i, e) -> m.put(name.apply(i), e));
        return m;
    }
}
