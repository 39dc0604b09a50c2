package io.longrun.watch;

import java.time.Instant;
import java.util.Optional;

/**
 * One reading of an SQL probe, for the criterion named {@code criterion}: the value it measured (duplicate rows,
 * the largest timestamp skew in seconds, the share of events lost in percent), how many items it looked at, a
 * sentence, or the error that stopped it. {@code last} marks the final reading taken after the lag allowance.
 */
public record ProbeSample(long at, Instant time, String criterion, double value, long checked, String text, Optional<String> error,
                          boolean last) {}
