package io.longrun.watch;

import io.longrun.deliver.Outcome;
import io.longrun.pace.Clock;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The health route's beans: {@link #begin} before the GET, {@link #record} after it, whatever happened. The
 * evaluate route (seed 003's mode B) uses the same pair around its POST, with its own sink and a JSON body.
 */
public final class HealthWatcher {
    private static final String STARTED = "longrun.healthStarted";
    private final Clock clock;
    private final java.util.function.Consumer<HealthSample> sink;
    private final String body;

    public HealthWatcher(Clock clock, Signals signals) {
        this(clock, signals::onHealth, null);
    }

    /** @param body what to send (null: nothing, for a GET) */
    public HealthWatcher(Clock clock, java.util.function.Consumer<HealthSample> sink, String body) {
        this.clock = clock;
        this.sink = sink;
        this.body = body;
    }

    public void begin(Exchange exchange) {
        exchange.getIn().setBody(body);
        if (body != null) exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.setProperty(STARTED, clock.nanoTime());
    }

    public void record(Exchange exchange) {
        long end = clock.nanoTime();
        long start = exchange.getProperty(STARTED, end, Long.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = error == null ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        boolean ok = status != null && status >= 200 && status < 300;
        Optional<String> why = error != null ? Optional.of(Outcome.reasonOf(error)) : status == null ? Optional.of("no-status") : Optional.empty();
        sink.accept(new HealthSample(end, clock.now(), ok, Optional.ofNullable(status), (end - start) / 1e6, why));
        exchange.setException(null);
    }
}
