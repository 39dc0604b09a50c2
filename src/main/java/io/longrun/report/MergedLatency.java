package io.longrun.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** The merge's latency histograms: the run's range and precision (1 µs to 1 h, 3 digits), read and written as ticks hold them. */
final class MergedLatency {
    private static final long MAX_MICROS = 3_600_000_000L;

    private MergedLatency() {}

    static Histogram histogram() {
        return new Histogram(1, MAX_MICROS, 3);
    }

    static void add(Histogram into, String base64) throws IOException {
        if (base64.isEmpty()) return;
        try {
            into.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), MAX_MICROS));
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IOException("a tick's latency histogram cannot be read: " + e.getMessage());
        }
    }

    static String encode(Histogram h) {
        if (h.getTotalCount() == 0) return "";
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : Math.round(h.getValueAtPercentile(percentile) / 10.0) / 100.0;
    }

    static Map<String, Object> latency(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50", ms(h, 50));
        m.put("p95", ms(h, 95));
        m.put("p99", ms(h, 99));
        m.put("max", h.getTotalCount() == 0 ? 0 : Math.round(h.getMaxValue() / 10.0) / 100.0);
        return m;
    }
}
