package io.longrun.watch;

/** Where watcher samples go (the run's monitor: run log, criteria, console). */
public interface Signals {
    void onHealth(HealthSample sample);

    void onDb(DbSample sample);

    default void onLog(LogSample sample) {}

    default void onProbe(ProbeSample sample) {}
}
