package io.longrun.deliver;

import io.longrun.generate.EventContext;
import io.longrun.generate.EventFormat;
import io.longrun.pace.Clock;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The delivery route's beans: {@link #prepare} renders the event of a ticket and sets the request headers,
 * {@link #sending} stamps the actual send time, {@link #record} files the outcome, and {@link #finish} makes sure
 * that an exchange which failed before {@link #record} still ends in exactly one outcome.
 */
public final class Delivery {
    static final String SENT_AT = "longrun.sentAt";
    static final String RECORDED = "longrun.recorded";

    /** One emitter as delivery sees it. */
    public record Lane(String name, EventFormat format, long stream) {}

    private final List<Lane> lanes;
    private final long seed;
    private final String scenarioId;
    private final Clock clock;
    private final Outcomes outcomes;

    public Delivery(List<Lane> lanes, long seed, String scenarioId, Clock clock, Outcomes outcomes) {
        this.lanes = List.copyOf(lanes);
        this.seed = seed;
        this.scenarioId = scenarioId;
        this.clock = clock;
        this.outcomes = outcomes;
    }

    /** The camel-http endpoint for a URL: statuses are outcomes here, not exceptions. */
    public static String endpointUri(String url, String method) {
        return url + (url.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false&httpMethod=" + method;
    }

    public void prepare(Exchange exchange) {
        Dispatcher.Ticket t = exchange.getProperty(PacerComponent.TICKET, Dispatcher.Ticket.class);
        Lane lane = lanes.get(t.emitter());
        byte[] body = lane.format().render(new EventContext(seed, lane.stream(), lane.name(), t.seq(), scenarioId, clock.now()));
        var in = exchange.getIn();
        in.setBody(body);
        in.setHeader(Exchange.CONTENT_TYPE, lane.format().contentType());
        in.setHeader("X-Emitter", lane.name());
        in.setHeader("X-Scenario-Id", scenarioId);
    }

    public void sending(Exchange exchange) {
        exchange.setProperty(SENT_AT, clock.nanoTime());
    }

    public void record(Exchange exchange) {
        Dispatcher.Ticket t = exchange.getProperty(PacerComponent.TICKET, Dispatcher.Ticket.class);
        long end = clock.nanoTime();
        long sentAt = exchange.getProperty(SENT_AT, t.due(), Long.class);
        Throwable error = exchange.getProperty(HttpSink.FAILURE, Throwable.class);
        if (error == null) error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) error = exchange.getException();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (error != null || status == null) {
            outcomes.completed(t.emitter(), Outcome.FAILED, error == null ? "no-status" : Outcome.reasonOf(error), t.due(), sentAt, end);
        } else {
            Outcome o = Outcome.ofStatus(status);
            outcomes.completed(t.emitter(), o, Integer.toString(status), t.due(), sentAt, end);
        }
        exchange.setProperty(RECORDED, true);
        exchange.setException(null);
    }

    /** Called by the consumer after the route: files a failure for an exchange that never reached {@link #record}. */
    void finish(Exchange exchange) {
        if (exchange.getProperty(RECORDED, false, Boolean.class)) return;
        Dispatcher.Ticket t = exchange.getProperty(PacerComponent.TICKET, Dispatcher.Ticket.class);
        long sentAt = exchange.getProperty(SENT_AT, t.due(), Long.class);
        Throwable error = exchange.getException();
        outcomes.completed(t.emitter(), Outcome.FAILED, error == null ? "internal" : "internal:" + Outcome.reasonOf(error),
                t.due(), sentAt, clock.nanoTime());
        exchange.setProperty(RECORDED, true);
    }
}
