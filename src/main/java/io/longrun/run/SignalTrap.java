package io.longrun.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Catches Ctrl+C (SIGINT) and SIGTERM while a run is going, so that the run drains and writes its summary
 * instead of the JVM dying mid-request. A second signal quits at once with exit 130.
 */
public final class SignalTrap implements AutoCloseable {
    public static final SignalTrap NONE = new SignalTrap(List.of());

    private record Installed(Signal signal, SignalHandler previous) {}

    private final List<Installed> installed;

    private SignalTrap(List<Installed> installed) {
        this.installed = installed;
    }

    /** Installs the trap; {@code onFirst} gets the signal's name (SIGINT or SIGTERM). */
    public static SignalTrap onInterrupt(Consumer<String> onFirst) {
        AtomicBoolean seen = new AtomicBoolean();
        List<Installed> list = new ArrayList<>();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal s = new Signal(name);
                SignalHandler prev = Signal.handle(s, sig -> {
                    if (seen.compareAndSet(false, true)) onFirst.accept("SIG" + sig.getName());
                    else Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                });
                list.add(new Installed(s, prev));
            } catch (IllegalArgumentException e) {
                // the platform does not have this signal (or the JVM reserves it): nothing to trap
            }
        }
        return new SignalTrap(list);
    }

    @Override
    public void close() {
        for (Installed i : installed) Signal.handle(i.signal(), i.previous());
    }
}
