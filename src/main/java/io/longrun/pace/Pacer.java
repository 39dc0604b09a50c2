package io.longrun.pace;

import io.longrun.random.SplitMix;
import java.util.List;

/**
 * The due times of one emitter's events, open model: event i is due when the area under the schedule since the
 * run's start first exceeds i, so a due time never depends on when the previous event was actually sent and
 * nothing drifts over hours. The number of events due before t is ceil(area(0, t)): within one event of the
 * integral. With poisson arrivals event i is due where the area first exceeds the i-th arrival of a seeded
 * unit-rate Poisson process instead: random gaps, the same rate. Pure: no clock, no threads; call
 * {@link #nextDue()} in order.
 *
 * <p>The walk goes piece by piece, a piece being a curve segment cut at tick boundaries (one jitter value).
 * Inside a piece the rate is linear, r(x) = r0 + m x, so the area is A(x) = r0 x + m x^2 / 2 and the due time
 * solves A(x) = d: x = 2d / (r0 + sqrt(r0^2 + 2 m d)), a form that stays exact when m is 0 or negative.
 */
public final class Pacer implements DueTimes {
    private final Schedule schedule;
    private final Arrivals arrivals;
    private final long seed, stream;
    private double poissonArea; // with poisson arrivals: the area at which the next event is due
    private final List<RateCurve.Segment> segments;
    private int segment;
    private double at;          // start of the current piece, seconds
    private double areaBefore;  // area under the schedule before the current piece
    private boolean havePiece;
    private double p0, p1, r0, r1, pieceArea;
    private long next;          // index of the next event

    public Pacer(Schedule schedule) {
        this(schedule, Arrivals.UNIFORM, 0, 0);
    }

    /**
     * @param seed   with {@code stream}, the seed of the exponential gaps of poisson arrivals
     */
    public Pacer(Schedule schedule, Arrivals arrivals, long seed, long stream) {
        this.schedule = schedule;
        this.arrivals = arrivals;
        this.seed = seed;
        this.stream = SplitMix.mix(stream ^ 0x5EED_A11EL); // not the jitter's draws
        if (arrivals == Arrivals.POISSON) poissonArea = gap(0);
        this.segments = schedule.curve().segments();
        this.at = segments.isEmpty() ? 0 : segments.get(0).t0();
    }

    /** An exponential gap of mean one event: the area between two poisson arrivals. */
    private double gap(long i) {
        return -Math.log(1 - SplitMix.uniform(seed, stream, i));
    }

    @Override
    public long nextIndex() {
        return next;
    }

    /** Seconds from the run's start when the next event is due, or positive infinity when the schedule is over. */
    @Override
    public double nextDue() {
        double target = arrivals == Arrivals.POISSON ? poissonArea : next;
        while (true) {
            if (!havePiece && !advance()) return Double.POSITIVE_INFINITY;
            // The tolerance keeps float rounding from adding an event when the integral is a whole number.
            if (areaBefore + pieceArea > target + 1e-9 + 1e-12 * target) {
                double d = target - areaBefore;
                double m = (r1 - r0) / (p1 - p0);
                double disc = Math.max(0, r0 * r0 + 2 * m * d);
                double x = d <= 0 ? 0 : 2 * d / (r0 + Math.sqrt(disc));
                next++;
                if (arrivals == Arrivals.POISSON) poissonArea += gap(next);
                return Math.min(p0 + x, p1);
            }
            areaBefore += pieceArea;
            havePiece = false;
        }
    }

    /** Moves to the next piece with a positive length; false when the curve is over. */
    private boolean advance() {
        while (segment < segments.size()) {
            RateCurve.Segment s = segments.get(segment);
            if (at < s.t0()) at = s.t0();
            if (at >= s.t1()) {
                segment++;
                continue;
            }
            long k = schedule.tickOf(at);
            double end = Math.min(s.t1(), (k + 1) * schedule.tick());
            if (end <= at) { // rounding at a tick boundary
                at = Math.nextUp(at);
                continue;
            }
            double j = schedule.jitter(k);
            p0 = at;
            p1 = end;
            r0 = s.rate(p0) * j;
            r1 = s.rate(p1) * j;
            pieceArea = (r0 + r1) / 2 * (p1 - p0);
            at = end;
            havePiece = true;
            return true;
        }
        return false;
    }
}
