package io.longrun.watch;

import io.longrun.deliver.Outcome;
import io.longrun.pace.Clock;
import java.util.Optional;
import org.apache.camel.Exchange;

/** The health route's beans: {@link #begin} before the GET, {@link #record} after it, whatever happened. */
public final class HealthWatcher {
    private static final String STARTED = "longrun.healthStarted";
    private final Clock clock;
    private final Signals signals;

    public HealthWatcher(Clock clock, Signals signals) {
        this.clock = clock;
        this.signals = signals;
    }

    public void begin(Exchange exchange) {
        exchange.getIn().setBody(null);
        exchange.setProperty(STARTED, clock.nanoTime());
    }

    public void record(Exchange exchange) {
        long end = clock.nanoTime();
        long start = exchange.getProperty(STARTED, end, Long.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = error == null ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        boolean ok = status != null && status >= 200 && status < 300;
        Optional<String> why = error != null ? Optional.of(Outcome.reasonOf(error)) : status == null ? Optional.of("no-status") : Optional.empty();
        signals.onHealth(new HealthSample(end, clock.now(), ok, Optional.ofNullable(status), (end - start) / 1e6, why));
        exchange.setException(null);
    }
}
