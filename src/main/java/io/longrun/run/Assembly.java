package io.longrun.run;

import io.longrun.alert.AlertHooks;
import io.longrun.alert.OnAlertCommand;
import io.longrun.deliver.Delivery;
import io.longrun.deliver.Dispatcher;
import io.longrun.deliver.HttpSink;
import io.longrun.experiment.LostTally;
import io.longrun.watch.LogWatcher;
import io.longrun.watch.Probes;
import org.apache.camel.main.Main;

/**
 * The parts of one run, built from its {@link RunPlan} and bound into Camel's registry by {@link RunWiring}: what
 * {@link RunLifecycle} starts, drains and stops, and what {@link RunOutcome} reads at the end. Null where the run
 * asks for no such part (alerts, log watcher, probes, lost tally, a coordinated shard's leadership).
 *
 * @param main the Camel main the routes run in, configured and bound but not started
 * @param metricsPort the port the metrics are served on, 0 for none
 */
record Assembly(RunInputs in, RunPlan plan, Dispatcher dispatcher, Delivery delivery, HttpSink sink, ChaosWiring chaos, RunMonitor monitor,
                Leadership lead, OnAlertCommand onAlert, AlertHooks hooks, LogWatcher logWatcher, Probes probes, LostTally lost, Main main, int metricsPort) {

    /** Whether alerts go to a webhook (its route is up, its counts are logged at the end). */
    boolean webhook() {
        return hooks != null && in.sc().runbook().alerts().webhook().isPresent();
    }

    /** Whether probes read the database while the run lasts. */
    boolean probing() {
        return probes != null && probes.any();
    }
}
