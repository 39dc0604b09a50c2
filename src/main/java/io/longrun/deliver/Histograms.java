package io.longrun.deliver;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The run's latency histograms: 1 us to {@link #MAX_LATENCY_MICROS} at 3 significant digits, and their form
 * in the run log (HdrHistogram's compressed encoding, base64), from which percentiles of several ticks, segments or
 * shards merge exactly.
 */
public final class Histograms {
    private Histograms() {}

    /** The longest latency the histograms tell apart, in microseconds: one hour, far beyond any request timeout. */
    static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    /**
     * Nanoseconds to the histograms' microseconds, within their range: 1 us at least, their lowest discernible value.
     * Not 0: an event sent up to a millisecond early (to share a wake-up) and answered within it would record 0,
     * a branch in HdrHistogram that the warm-up's slower answers never took, and the run's first quick answer threw
     * the compiled filing of outcomes away.
     */
    static long micros(long nanos) {
        return Math.min(MAX_LATENCY_MICROS, Math.max(1, nanos / 1000));
    }

    /** An empty histogram of the run's range. */
    public static Histogram empty() {
        return new Histogram(1, MAX_LATENCY_MICROS, 3);
    }

    /** A histogram in HdrHistogram's compressed encoding, base64; "" when empty. */
    public static String encode(Histogram h) {
        if (h.getTotalCount() == 0) return "";
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n));
    }

    /** The histogram {@link #encode} wrote ("" is an empty one). */
    public static Histogram decode(String base64) throws DataFormatException {
        Histogram h = empty();
        if (base64 == null || base64.isEmpty()) return h;
        byte[] b = Base64.getDecoder().decode(base64);
        h.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(b), MAX_LATENCY_MICROS));
        return h;
    }
}
