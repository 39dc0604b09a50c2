package io.longrun.fault;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Faults always come off: this closes a fault engine once, whichever comes first of the run's normal end
 * ({@link #close()}), a signal the run handles (the caller runs {@link #run()}), or the JVM shutting down (the
 * shutdown hook runs {@link #run()}). Closing the engine removes every fault it added and stops what it started;
 * what could not be taken off is reported, never thrown, so the rest of the shutdown goes on.
 *
 * <p>No hook runs when the JVM is killed (SIGKILL, or {@code Runtime.halt} on a second Ctrl+C). The embedded
 * proxy dies with the process and its faults with it; a Toxiproxy server keeps its toxics, and
 * {@code longrun faults reset} removes them.
 */
public final class FaultCleanup implements AutoCloseable, Runnable {
    private final FaultEngine engine;
    private final Consumer<String> report;
    private final Thread hook;
    private final AtomicBoolean done = new AtomicBoolean();

    private FaultCleanup(FaultEngine engine, Consumer<String> report) {
        this.engine = engine;
        this.report = report;
        this.hook = new Thread(this, "longrun-fault-cleanup");
    }

    /** Registers the shutdown hook; {@code report} gets a line for each fault that could not be taken off. */
    public static FaultCleanup onShutdown(FaultEngine engine, Consumer<String> report) {
        FaultCleanup c = new FaultCleanup(engine, report);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** Takes every fault off and stops the engine, once; later calls do nothing. */
    @Override
    public void run() {
        if (!done.compareAndSet(false, true)) return;
        try {
            engine.close();
        } catch (FaultException | RuntimeException e) {
            report.accept("faults: " + e.getMessage());
        }
    }

    /** The normal end: cleans up now and takes the hook away. */
    @Override
    public void close() {
        run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook has run or is running
        }
    }
}
