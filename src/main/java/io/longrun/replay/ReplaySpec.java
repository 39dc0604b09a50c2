package io.longrun.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to replay and how: the recordings (merged by timestamp), and the pacing: the recorded gaps divided by
 * {@code speed}, or a fixed {@code rate}; {@code maxWait} caps a gap; {@code loop} repeats the recordings;
 * {@code rebaseNow} moves the first event's timestamp to the moment of sending and keeps the gaps;
 * {@code newIds} gives every event a fresh id; {@code strict} makes a bad line fatal instead of counted.
 *
 * @param timestampField the dotted path of the timestamp in a JSON line, or the CSV column; empty: the first of
 *                       timestamp, ts, time, @timestamp
 */
public record ReplaySpec(List<Path> files, double speed, Optional<Double> rate, Optional<Duration> maxWait, int loop, boolean rebaseNow,
                         boolean newIds, Optional<String> timestampField, boolean strict) {
    public ReplaySpec {
        files = List.copyOf(files);
    }
}
