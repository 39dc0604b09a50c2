package io.longrun.criteria;

import io.longrun.deliver.Outcomes;
import java.util.List;

/** The delivery figures of one tick, per emitter, taken at monotonic time {@code at}. */
public record TickSample(long at, double seconds, List<Outcomes.Stats> emitters) {
    public long completed() {
        return emitters.stream().mapToLong(Outcomes.Stats::completed).sum();
    }

    public long errors() {
        return emitters.stream().mapToLong(Outcomes.Stats::errors).sum();
    }
}
