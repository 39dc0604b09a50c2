package io.longrun.fault;

import io.longrun.pace.Clock;
import io.longrun.scenario.FaultEngineSpec;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.ProxySpec;
import java.util.List;
import java.util.Optional;

/**
 * Puts network faults on and takes them off: the one place where faults are applied. An engine only ever
 * removes what it added itself, and {@link #close()} removes everything it added and stops what it started,
 * also after an exception; {@link FaultCleanup} does the same from a JVM shutdown hook.
 *
 * <p>Calls block until the engine has confirmed the change (the embedded proxy: every open connection took it;
 * Toxiproxy: read back), so never call them from an event loop.
 */
public interface FaultEngine extends AutoCloseable {
    /**
     * Makes sure the scenario's proxies exist and serve: the embedded engine starts them; with Toxiproxy,
     * missing ones are created (and deleted again by {@link #close()}). Returns warnings to show.
     */
    List<String> start(List<ProxySpec> proxies) throws FaultException;

    /** What this engine cannot apply among these faults, each in words; empty when it can apply them all. */
    List<String> check(List<FaultSpec> faults);

    /** Applies a fault and confirms it. */
    FaultHandle apply(FaultSpec fault) throws FaultException;

    /** Takes a fault off and confirms it; a fault already gone (someone reset the server) is not an error. */
    void remove(FaultHandle handle) throws FaultException;

    /** Takes off every fault this engine applied that is still on; tries them all, then reports what failed. */
    void removeAll() throws FaultException;

    /** The faults this engine has on, oldest first. */
    List<FaultHandle> active();

    /** A proxy's byte counters, when this engine can tell. */
    Optional<ProxyTraffic> traffic(String proxy);

    /** The engine in words, for the console and the run log: "embedded proxy", "Toxiproxy 2.9.0 at ...". */
    String describe();

    /** Removes every fault this engine added and stops what it started; safe to call twice. */
    @Override
    void close() throws FaultException;

    /**
     * The engine a scenario asks for.
     *
     * @param seed  the run's seed: every random draw of the embedded proxy comes from it
     * @param runId names the toxics this engine creates ({@code longrun-<runId>-<n>}), so that a cleanup finds them
     */
    static FaultEngine open(FaultEngineSpec spec, long seed, String runId, Clock clock) {
        return spec.toxiproxy().<FaultEngine>map(url -> new ToxiproxyEngine(new ToxiproxyClient(url, spec.timeout()), runId, clock))
                .orElseGet(() -> new EmbeddedEngine(seed, runId, clock));
    }
}
