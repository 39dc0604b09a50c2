package io.longrun.experiment;

/**
 * One fault of a phase as the run log tells it: when it was confirmed on and off ({@code fault.on}, {@code fault.off}),
 * and the bytes the proxy carried meanwhile.
 *
 * @param on        elapsed seconds when it was confirmed on; NaN when it never was (a {@code fault.error} instead)
 * @param off       elapsed seconds when its removal was confirmed; NaN when the log has no {@code fault.off}
 * @param bytesUp   bytes carried towards the upstream while it was on; null when the engine cannot tell
 * @param bytesDown bytes carried back; null when the engine cannot tell
 * @param error     why it could not be applied or removed, in words; null when it could
 * @param before    bytes the proxy carried in the phase before this fault came on (fault.off's bytes_before); null when unknown
 */
public record FaultSpan(String kind, String proxy, String desc, double on, double off, Long bytesUp, Long bytesDown, String error, Long before) {
    /** A fault without the figure of the traffic before it. */
    public FaultSpan(String kind, String proxy, String desc, double on, double off, Long bytesUp, Long bytesDown, String error) {
        this(kind, proxy, desc, on, off, bytesUp, bytesDown, error, null);
    }

    /** Whether the proxy carried bytes while it was on: null when the engine cannot tell. */
    public Boolean carried() {
        if (bytesUp == null && bytesDown == null) return null;
        long n = (bytesUp == null ? 0 : bytesUp) + (bytesDown == null ? 0 : bytesDown);
        return n > 0;
    }

    /** Whether it was ever confirmed on. */
    public boolean applied() {
        return !Double.isNaN(on);
    }
}
