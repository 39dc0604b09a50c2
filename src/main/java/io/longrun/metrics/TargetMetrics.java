package io.longrun.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference target's own figures, served like the run's ({@link Metrics}) at /observe/metrics on its
 * {@code --metrics-port}: {@code longrun_target_events_total{outcome}}, {@code longrun_target_ingest_latency_seconds}
 * (a histogram, from the request's arrival to its response, fault delays included),
 * {@code longrun_target_deviations_upserted_total} and {@code longrun_target_scheduler_ticks_total}. The meters exist
 * whether or not they are served, so the target counts the same way in both cases.
 */
public final class TargetMetrics {
    /** What became of a {@code POST /event}. */
    public enum Outcome {
        /** 201: a new row. */
        STORED,
        /** 200: the id was already stored. */
        DUPLICATE,
        /** 201 answered, nothing stored (fault lose). */
        LOST,
        /** 4xx: invalid, or rate limited. */
        REJECTED,
        /** 5xx: injected failures, down, the database unavailable. */
        FAILED
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Outcome, Counter> events = new EnumMap<>(Outcome.class);
    private final Timer latency;
    private final Counter upserted, ticks;

    public TargetMetrics() {
        for (Outcome o : Outcome.values())
            events.put(o, Counter.builder("longrun.target.events").description("POST /event requests by outcome")
                    .tag("outcome", o.name().toLowerCase(Locale.ROOT)).register(registry));
        latency = Timer.builder("longrun.target.ingest.latency").description("POST /event, from the request's arrival to its response")
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(registry);
        upserted = Counter.builder("longrun.target.deviations.upserted").description("deviation rows written by rule evaluation (inserted or updated)")
                .register(registry);
        ticks = Counter.builder("longrun.target.scheduler.ticks").description("scheduler ticks logged (the hot_loop fault's included)")
                .register(registry);
    }

    public void event(Outcome o) {
        events.get(o).increment();
    }

    public void latency(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void upserted(int n) {
        if (n > 0) upserted.increment(n);
    }

    public void tick() {
        ticks.increment();
    }

    /** The registry to bind as Camel's {@code metricsRegistry}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The exposition text, as a scrape would see it. */
    public String scrape() {
        return registry.scrape();
    }
}
