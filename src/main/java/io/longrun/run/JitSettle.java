package io.longrun.run;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether the JIT has settled: the JVM's total compilation time (milliseconds, over all compiler threads) grew
 * by at most {@code quiet} over the last {@code window}. Fed by samples, one per call: pure given its suppliers.
 */
final class JitSettle implements BooleanSupplier {
    private record Sample(long at, long compileMillis) {}

    private final LongSupplier compileMillis, nanoTime;
    private final long window, quiet;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    JitSettle(LongSupplier compileMillis, LongSupplier nanoTime, Duration window, Duration quiet) {
        this.compileMillis = compileMillis;
        this.nanoTime = nanoTime;
        this.window = window.toNanos();
        this.quiet = quiet.toMillis();
    }

    /** On the running JVM; always settled when it cannot tell its compilation time. */
    static BooleanSupplier of(io.longrun.pace.Clock clock) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return () -> true;
        return new JitSettle(jit::getTotalCompilationTime, clock::nanoTime, WINDOW, QUIET);
    }

    /** The JIT has settled when it compiled for at most 30 ms (3 % of a core) in the last second. */
    static final Duration WINDOW = Duration.ofSeconds(1), QUIET = Duration.ofMillis(30);

    @Override
    public boolean getAsBoolean() {
        long now = nanoTime.getAsLong(), c = compileMillis.getAsLong();
        samples.addLast(new Sample(now, c));
        // keep the newest sample that is at least a window old, and those after it
        while (samples.size() > 2) {
            var it = samples.iterator();
            it.next();
            if (now - it.next().at() >= window) samples.pollFirst();
            else break;
        }
        Sample oldest = samples.peekFirst();
        return now - oldest.at() >= window && c - oldest.compileMillis() <= quiet;
    }
}
