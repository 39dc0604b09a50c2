package io.longrun.experiment;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;

/**
 * Adds a tick's histogram, as the run log holds it (HdrHistogram's V2 compressed encoding, base64), into histograms
 * of the same range, without decoding it into a histogram of its own. HdrHistogram's decoder allocates the full range
 * the encoding names (1 µs to 1 h: ~350 kB) for every tick and its add() then scans all of it, which made a 6-hour
 * experiment's verdict take a minute (bench/verdict.sh); this reads the few counts the tick holds and records each.
 *
 * <p>The format: {@code int cookie, int compressed length}, then deflated {@code int cookie, int payload length,
 * int normalizing index offset, int significant digits, long lowest discernible value, long highest trackable value,
 * double ratio}, then the counts, each a ZigZag LEB128 long, a negative one standing for that many empty counts.
 */
final class HistDecoder {
    private static final int V2_COMPRESSED = 0x1c849304, V2 = 0x1c849303, HEADER = 40;
    private final Inflater inflater = new Inflater();
    private byte[] buf = new byte[1 << 16];

    /** Values with their counts, gathered over a tick's emitters, for its percentiles; reused tick after tick. */
    static final class Pairs {
        private long[] value = new long[256], count = new long[256];
        private int n;
        private long total;

        void clear() {
            n = 0;
            total = 0;
        }

        void add(long v, long c) {
            if (n == value.length) {
                value = java.util.Arrays.copyOf(value, n * 2);
                count = java.util.Arrays.copyOf(count, n * 2);
            }
            value[n] = v;
            count[n++] = c;
            total += c;
        }

        long total() {
            return total;
        }

        /** As HdrHistogram's getValueAtPercentile: the highest value equivalent to the one at that rank; NaN when empty. */
        double percentile(double pct) {
            if (total == 0) return Double.NaN;
            if (n > 1) sort();
            double p = Math.min(Math.max(Math.nextDown(pct), 0), 100); // as HdrHistogram 2.1.12 ranks
            long rank = Math.max(1, (long) Math.ceil(p / 100 * total)), seen = 0;
            for (int i = 0; i < n; i++) {
                seen += count[i];
                if (seen >= rank) return value[i];
            }
            return value[n - 1];
        }

        private void sort() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Long.compare(value[a], value[b]));
            long[] v = new long[n], c = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = value[order[i]];
                c[i] = count[order[i]];
            }
            System.arraycopy(v, 0, value, 0, n);
            System.arraycopy(c, 0, count, 0, n);
        }
    }

    /**
     * Records every count of {@code base64} into each of {@code into} (null ones skipped), and into {@code pairs}
     * (when not null) as the highest value equivalent to each.
     *
     * @return the number of values added; -1 when the text is not such an encoding (nothing was added)
     */
    long addTo(String base64, Pairs pairs, Histogram... into) {
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            if ((in.getInt() & ~0xf0) != (V2_COMPRESSED & ~0xf0)) return -1;
            int len = in.getInt();
            inflater.reset();
            inflater.setInput(in.array(), in.position(), len);
            int n = 0;
            while (!inflater.finished()) {
                if (n == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                int got = inflater.inflate(buf, n, buf.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) return -1;
                n += got;
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            if ((b.getInt() & ~0xf0) != (V2 & ~0xf0)) return -1;
            int payload = b.getInt(), offset = b.getInt(), digits = b.getInt();
            long lowest = b.getLong();
            b.getLong(); // highest trackable value
            b.getDouble();
            if (offset != 0 || HEADER + payload > n) return -1;
            // the bucket layout, as HdrHistogram derives it from the lowest value and the significant digits
            long largestSingleUnit = 2 * (long) Math.pow(10, digits);
            int subBucketCountMagnitude = (int) Math.ceil(Math.log(largestSingleUnit) / Math.log(2));
            int subHalfMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
            int subHalf = 1 << subHalfMagnitude;
            int unitMagnitude = (int) (Math.log(lowest) / Math.log(2));
            long added = 0;
            int index = 0, end = HEADER + payload;
            b.position(HEADER);
            while (b.position() < end) {
                long count = zigZag(b);
                if (count < 0) {
                    index += (int) -count;
                    continue;
                }
                if (count > 0) {
                    long value = valueAt(index, subHalfMagnitude, subHalf, unitMagnitude);
                    for (Histogram h : into) if (h != null) h.recordValueWithCount(value, count);
                    if (pairs != null) pairs.add(valueAt(index + 1, subHalfMagnitude, subHalf, unitMagnitude) - 1, count);
                    added += count;
                }
                index++;
            }
            return added;
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | DataFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** The value an index of the counts stands for (HdrHistogram's valueFromIndex). */
    static long valueAt(int index, int subHalfMagnitude, int subHalf, int unitMagnitude) {
        int bucket = (index >> subHalfMagnitude) - 1;
        int sub = (index & (subHalf - 1)) + subHalf;
        if (bucket < 0) {
            sub -= subHalf;
            bucket = 0;
        }
        return (long) sub << (bucket + unitMagnitude);
    }

    /** One ZigZag LEB128 long, as HdrHistogram's ZigZagEncoding writes it (the ninth byte holds 8 bits). */
    private static long zigZag(ByteBuffer b) {
        long v = b.get();
        long value = v & 0x7F;
        if ((v & 0x80) != 0) {
            v = b.get();
            value |= (v & 0x7F) << 7;
            if ((v & 0x80) != 0) {
                v = b.get();
                value |= (v & 0x7F) << 14;
                if ((v & 0x80) != 0) {
                    v = b.get();
                    value |= (v & 0x7F) << 21;
                    if ((v & 0x80) != 0) {
                        v = b.get();
                        value |= (v & 0x7F) << 28;
                        if ((v & 0x80) != 0) {
                            v = b.get();
                            value |= (v & 0x7F) << 35;
                            if ((v & 0x80) != 0) {
                                v = b.get();
                                value |= (v & 0x7F) << 42;
                                if ((v & 0x80) != 0) {
                                    v = b.get();
                                    value |= (v & 0x7F) << 49;
                                    if ((v & 0x80) != 0) {
                                        v = b.get();
                                        value |= v << 56;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (value >>> 1) ^ (-(value & 1));
    }
}
