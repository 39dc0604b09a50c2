package io.longrun.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.deliver.Outcome;
import io.longrun.pace.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.camel.Exchange;

/**
 * The health route's beans: {@link #begin} before the GET, {@link #record} after it, whatever happened. The
 * evaluate route (seed 003's mode B) uses the same pair around its POST ({@link #evaluate}), with its own sink, a
 * JSON body, and the target's JSON answer handed on with the sample.
 */
public final class HealthWatcher {
    private static final String STARTED = "longrun.healthStarted";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An evaluate answer longer than this is not kept. */
    static final int MAX_ANSWER = 64 << 10;
    private final Clock clock;
    private final java.util.function.Consumer<HealthSample> sink;
    private final String body;
    private final BiConsumer<HealthSample, JsonNode> answers;

    public HealthWatcher(Clock clock, Signals signals) {
        this(clock, signals::onHealth, null);
    }

    /** @param body what to send (null: nothing, for a GET) */
    public HealthWatcher(Clock clock, java.util.function.Consumer<HealthSample> sink, String body) {
        this(clock, sink, body, null);
    }

    private HealthWatcher(Clock clock, java.util.function.Consumer<HealthSample> sink, String body, BiConsumer<HealthSample, JsonNode> answers) {
        this.clock = clock;
        this.sink = sink;
        this.body = body;
        this.answers = answers;
    }

    /** Seed 003's mode B: POST {} to the evaluate endpoint; {@code sink} gets each call and its JSON object answer (null when none). */
    public static HealthWatcher evaluate(Clock clock, BiConsumer<HealthSample, JsonNode> sink) {
        return new HealthWatcher(clock, null, "{}", sink);
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
        HealthSample sample = new HealthSample(end, clock.now(), ok, Optional.ofNullable(status), (end - start) / 1e6, why);
        if (answers != null) answers.accept(sample, error == null ? answer(exchange) : null);
        else sink.accept(sample);
        exchange.setException(null);
    }

    private static JsonNode answer(Exchange exchange) {
        try {
            String text = exchange.getMessage().getBody(String.class);
            if (text == null || text.isBlank() || text.length() > MAX_ANSWER) return null;
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null; // not JSON: the status says enough
        }
    }
}
