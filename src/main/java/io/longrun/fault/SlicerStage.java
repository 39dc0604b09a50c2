package io.longrun.fault;

import io.longrun.random.SplitMix;
import io.vertx.core.buffer.Buffer;

/**
 * {@code slicer}: cuts each chunk into slices of {@code average_size ± size_variation} bytes (uniform, seeded)
 * and hands them on {@code delay} microseconds apart, so the receiver reads the data in small pieces.
 */
final class SlicerStage extends TimedStage {
    private final int average, variation;
    private final long delayNanos;
    private final SplitMix.Stream draws;

    SlicerStage(int average, int variation, double delayMicros, SplitMix.Stream draws) {
        this.average = average;
        this.variation = Math.min(variation, average - 1);
        this.delayNanos = Math.round(delayMicros * 1000);
        this.draws = draws;
    }

    @Override
    void data(Buffer chunk) {
        long at = holding() ? lastAt + delayNanos : link.now(); // the pause after the last slice still held
        int from = 0;
        while (from < chunk.length()) {
            int size = variation == 0 ? average : average - variation + draws.nextInt(2 * variation + 1);
            int to = Math.min(chunk.length(), from + size);
            hold(chunk.slice(from, to), at);
            at = Math.max(at, lastAt) + delayNanos;
            from = to;
        }
    }
}
