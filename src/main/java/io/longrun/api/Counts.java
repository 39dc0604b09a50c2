package io.longrun.api;

import io.longrun.deliver.Outcomes;

/**
 * One emitter's delivery figures, or all emitters' together, under the run log's names: {@code planned} (fell due),
 * {@code sent}, {@code accepted} (2xx), {@code rejected} (4xx), {@code failed} (5xx, refused, timed out),
 * {@code dropped} (never sent: no free slot, or too late).
 *
 * @param emitter the emitter's name, or {@code all}
 * @param planned events that fell due
 * @param sent events sent
 * @param accepted events the target answered with 2xx
 * @param rejected events the target answered with 4xx
 * @param failed events that failed: 5xx, a refused connection, a time-out
 * @param dropped events never sent (no free slot, or too late)
 */
public record Counts(String emitter, long planned, long sent, long accepted, long rejected, long failed, long dropped) {
    static Counts of(Outcomes.Stats s) {
        return new Counts(s.emitter(), s.planned(), s.sent(), s.accepted(), s.rejected(), s.failed(), s.dropped());
    }

    /** Seed 002's {@code count}: the events this emitter emitted (sent). */
    public long count() {
        return sent;
    }

    /** Seed 002's {@code errors}: rejected plus failed. */
    public long errors() {
        return rejected + failed;
    }
}
