package io.longrun.coord;

import io.longrun.deliver.Outcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one shard publishes every tick: its delivery outcomes so far (cumulative, so that a reader that missed a
 * tick loses nothing: it subtracts the previous figures it read), per emitter, with the service time's histogram
 * (HdrHistogram's encoding, cumulative too; "" when no criterion needs it).
 *
 * @param timeMs when the shard wrote it, epoch milliseconds
 * @param ended  the shard's run is over: its silence from then on is not a death
 */
public record ShardStatus(int index, int count, long timeMs, boolean ended, List<Lane> emitters) {
    /** One emitter's figures so far. */
    public record Lane(String emitter, long planned, long sent, long accepted, long rejected, long failed, long dropped,
                       Map<String, Long> rejectedBy, Map<String, Long> failedBy, String service) {
        public long completed() {
            return accepted + rejected + failed;
        }
    }

    /** A status of the run's totals so far; {@code service}: per emitter, the encoded histogram, or null for none. */
    public static ShardStatus of(int index, int count, long timeMs, boolean ended, List<Outcomes.Stats> totals, List<String> service) {
        List<Lane> lanes = new ArrayList<>(totals.size());
        for (int i = 0; i < totals.size(); i++) {
            Outcomes.Stats s = totals.get(i);
            lanes.add(new Lane(s.emitter(), s.planned(), s.sent(), s.accepted(), s.rejected(), s.failed(), s.dropped(), s.rejectedBy(),
                    s.failedBy(), service == null ? "" : service.get(i)));
        }
        return new ShardStatus(index, count, timeMs, ended, lanes);
    }

    /** The shard as people write it: 1/3. */
    public String shard() {
        return index + "/" + count;
    }

    public long accepted() {
        return emitters.stream().mapToLong(Lane::accepted).sum();
    }

    public String toJson() {
        return Json.write(this);
    }

    /** @throws IllegalArgumentException not a shard status (a file half written by hand, another tool's row) */
    public static ShardStatus fromJson(String json) {
        return Json.read(json, ShardStatus.class);
    }
}
