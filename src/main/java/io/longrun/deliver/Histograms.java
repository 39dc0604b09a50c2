package io.longrun.deliver;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The run's latency histograms: 1 us to {@link Outcomes#MAX_LATENCY_MICROS} at 3 significant digits, and their form
 * in the run log (HdrHistogram's compressed encoding, base64), from which percentiles of several ticks, segments or
 * shards merge exactly.
 */
public final class Histograms {
    private Histograms() {}

    /** An empty histogram of the run's range. */
    public static Histogram empty() {
        return new Histogram(1, Outcomes.MAX_LATENCY_MICROS, 3);
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
        h.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(b), Outcomes.MAX_LATENCY_MICROS));
        return h;
    }
}
