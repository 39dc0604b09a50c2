package io.longrun.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.criteria.Alert;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Where alerts go beyond the console and the run log. The webhook: {@link #publish} puts each alert on a bounded
 * in-memory queue (seda:alerts) and returns at once, so a slow or dead receiver never holds up the run; the
 * alerts route renders it ({@link #render}, Alertmanager's or plain JSON) and posts it with retries and
 * exponential back-off; one that still fails is reported ({@link #undelivered}). A criterion's state is sent once
 * per change: a repeat of the same state is dropped here. {@code --on-alert CMD} runs a command per alert, on
 * its own thread.
 */
public final class AlertHooks {
    public static final String QUEUE = "seda:alerts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String format;
    private final Map<String, String> labels;
    private final Consumer<String> report;
    private final Map<String, String> lastState = new HashMap<>();
    private final Map<String, Instant> firingSince = new HashMap<>();
    private final AtomicLong queued = new AtomicLong(), delivered = new AtomicLong(), failed = new AtomicLong(), dropped = new AtomicLong();
    private volatile ProducerTemplate template;
    private final OnAlertCommand command;

    /**
     * @param format alertmanager or json
     * @param labels run labels added to every alert (scenario, run_id)
     * @param report where problems with the hooks are told (the console and the run log)
     */
    public AlertHooks(String format, Map<String, String> labels, OnAlertCommand command, Consumer<String> report) {
        this.format = format;
        this.labels = Map.copyOf(labels);
        this.command = command;
        this.report = report;
    }

    /** The webhook's queue, once Camel is up; without one, only the command runs. */
    public void webhook(ProducerTemplate template) {
        this.template = template;
    }

    /** Hands one alert to the hooks; never blocks. */
    public void publish(Alert a) {
        synchronized (lastState) {
            if (a.state().equals(lastState.get(a.criterion()))) return; // deduplicated
            lastState.put(a.criterion(), a.state());
            if (a.firing()) firingSince.put(a.criterion(), a.time());
        }
        if (command != null) command.run(a, labels);
        ProducerTemplate t = template;
        if (t == null) return;
        try {
            t.sendBody(QUEUE, a);
            queued.incrementAndGet();
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
            report.accept("alert webhook: queue full, alert " + a.criterion() + " " + a.state() + " dropped");
        }
    }

    /** The alerts route: the alert in the body becomes the webhook's JSON. */
    public void render(Exchange exchange) throws Exception {
        Alert a = exchange.getIn().getBody(Alert.class);
        Object body = format.equals("alertmanager") ? List.of(alertmanager(a)) : json(a);
        exchange.getIn().setBody(JSON.writeValueAsBytes(body));
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
    }

    /** The alerts route, after a successful post. */
    public void sent(Exchange exchange) {
        delivered.incrementAndGet();
    }

    /** The dead letter of the alerts route: every retry failed. */
    public void undelivered(Exchange exchange) {
        failed.incrementAndGet();
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object body = exchange.getIn().getBody();
        report.accept("alert webhook: could not deliver an alert after retries: "
                + (e == null ? "unknown error" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0])
                + (body instanceof Alert a ? " (" + a.criterion() + " " + a.state() + ")" : ""));
    }

    Map<String, Object> json(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>(labels);
        m.put("criterion", a.criterion());
        m.put("kind", a.kind());
        m.put("severity", a.severity().name().toLowerCase(Locale.ROOT));
        m.put("state", a.state());
        m.put("time", a.time().toString());
        m.put("observed", a.observed());
        m.put("threshold", a.threshold());
        m.put("message", a.text());
        return m;
    }

    /** One alert in Alertmanager's API v2 shape: labels, annotations, startsAt, and endsAt once resolved. */
    Map<String, Object> alertmanager(Alert a) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("alertname", a.criterion());
        l.put("kind", a.kind());
        l.put("severity", a.severity().name().toLowerCase(Locale.ROOT));
        l.putAll(labels);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", l);
        m.put("annotations", Map.of("summary", a.line(), "description", a.text()));
        Instant since;
        synchronized (lastState) {
            since = firingSince.getOrDefault(a.criterion(), a.time());
        }
        m.put("startsAt", since.toString());
        if (!a.firing()) m.put("endsAt", a.time().toString());
        return m;
    }

    /** Counts for the summary: queued, delivered, failed after retries, dropped (queue full). */
    public Map<String, Long> counts() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("queued", queued.get());
        m.put("delivered", delivered.get());
        m.put("failed", failed.get());
        m.put("dropped", dropped.get());
        return m;
    }
}
