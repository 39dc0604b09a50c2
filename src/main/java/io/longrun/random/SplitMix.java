package io.longrun.random;

/**
 * Deterministic randomness as a pure function of a seed and an index (SplitMix64's finaliser).
 * A draw for (seed, stream, index) does not depend on the order or the thread that asks for it,
 * so events generated on many threads are still the same for the same seed.
 */
public final class SplitMix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SplitMix() {}

    /** SplitMix64's mixing function: a bijection that scatters nearby inputs. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A 64-bit draw for (seed, stream, index). */
    public static long draw(long seed, long stream, long index) {
        return mix(mix(mix(seed + GOLDEN) + stream * GOLDEN) + index * GOLDEN);
    }

    /** A uniform double in [0, 1) for (seed, stream, index). */
    public static double uniform(long seed, long stream, long index) {
        return (draw(seed, stream, index) >>> 11) * 0x1.0p-53;
    }

    /** A stable 64-bit hash of a text, to derive a stream number from a name. */
    public static long hash(String s) {
        long h = 0x84222325CBF29CE4L;
        for (int i = 0; i < s.length(); i++) h = mix(h ^ s.charAt(i));
        return h;
    }

    /** A sequential generator for one (seed, stream, index): successive values for one event's choices. */
    public static final class Stream {
        private long state;

        public Stream(long seed, long stream, long index) {
            this.state = draw(seed, stream, index);
        }

        public long nextLong() {
            state += GOLDEN;
            return mix(state);
        }

        /** Uniform in [0, 1). */
        public double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        /** Uniform in [0, bound). */
        public int nextInt(int bound) {
            return (int) Math.floorMod(nextLong(), (long) bound);
        }
    }
}
