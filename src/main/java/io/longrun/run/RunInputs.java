package io.longrun.run;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Scenario;

/**
 * What one run (or one resumed segment of it) is assembled from, once its run log is open: the scenario and the
 * options, its ids and seed, the database pool (or null), the run log, the console, who may stop it, the resume (or
 * null), the experiment's faults, and this run's shard of the schedule. {@link RunWiring} builds on it.
 */
record RunInputs(Scenario sc, RunOptions opt, String scenarioId, String runId, long seed, HikariDataSource ds, RunLog log, Console console,
                 RunControl control, Resume resume, ExperimentWiring fx, ShardedRun shards) {

    /** Whether the run watches a database. */
    boolean database() {
        return ds != null;
    }

    /** Whether this is a resumed segment. */
    boolean resuming() {
        return resume != null;
    }
}
