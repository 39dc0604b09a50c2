package io.longrun.metrics;

import io.longrun.criteria.Criteria;
import io.longrun.deliver.Outcome;
import io.longrun.deliver.Outcomes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A run's live figures in Prometheus' registry, which camel-micrometer-prometheus serves at /observe/metrics on the
 * management port. Counters read the delivery's own running counts at scrape time (nothing extra per event); the
 * latency histograms are fed per completed request; the gauges hold what the tick, the watchers and the criteria
 * saw last ({@link #tick}, {@link #db}, {@link #health}, {@link #criteria}).
 */
public final class RunMetrics {
    private final PrometheusMeterRegistry registry;
    private final Timer intended, service;
    private volatile double targetRate, actualRate;
    private final MultiGauge tableRows, tableBytes, criterionState;
    private volatile double dbBytes = Double.NaN, healthUp = Double.NaN, healthLatency = Double.NaN;

    private final String scenario;

    public RunMetrics(String scenario, String runId, Outcomes outcomes) {
        this.scenario = scenario;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
            @Override
            public String scrape(String contentType) { // what camel-micrometer-prometheus's /observe/metrics calls
                scrapes.incrementAndGet();
                return super.scrape(contentType);
            }

            @Override
            public String scrape() {
                scrapes.incrementAndGet();
                return super.scrape();
            }
        };
        Gauge.builder("longrun.run.info", () -> 1).description("the run: scenario and run id").tags("scenario", scenario, "run_id", runId)
                .register(registry);
        List<String> emitters = outcomes.emitters();
        for (int i = 0; i < emitters.size(); i++) {
            int e = i;
            for (Outcome o : Outcome.values()) {
                FunctionCounter.builder("longrun.events", outcomes, x -> x.count(e, o))
                        .description("events by emitter and outcome").tags("emitter", emitters.get(i), "outcome", o.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
        }
        intended = latency("intended", registry);
        service = latency("service", registry);
        outcomes.onLatency(timers(intended, service));
        // the warm-up's latencies go to timers of the same kind in a registry nobody scrapes: the path is compiled
        // before the first event, and the run's timers count the run's events only
        PrometheusMeterRegistry warmRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        outcomes.warm().onLatency(timers(latency("intended", warmRegistry), latency("service", warmRegistry)));
        Gauge.builder("longrun.target.rate", () -> targetRate).description("scheduled events per second, last tick").register(registry);
        Gauge.builder("longrun.actual.rate", () -> actualRate).description("events sent per second, last tick").register(registry);
        Gauge.builder("longrun.in.flight", outcomes, Outcomes::inFlight).description("requests sent and not answered").register(registry);
        tableRows = MultiGauge.builder("longrun.db.table.rows").description("rows per watched table").register(registry);
        tableBytes = MultiGauge.builder("longrun.db.table.bytes").description("total relation size per watched table").baseUnit("bytes").register(registry);
        Gauge.builder("longrun.db.size", () -> dbBytes).description("pg_database_size").baseUnit("bytes").register(registry);
        Gauge.builder("longrun.health.up", () -> healthUp).description("1 when the last health check answered 2xx").register(registry);
        Gauge.builder("longrun.health.latency", () -> healthLatency).description("the last health check's latency").baseUnit("seconds")
                .register(registry);
        criterionState = MultiGauge.builder("longrun.criterion.state").description("1 while a stop criterion fires").register(registry);
    }

    /**
     * A listener that records into two timers. The run's and the warm-up's are made here, so that both are of one
     * class: with a lambda of its own each, the run's first completion met a class the warm-up had never shown the
     * JIT, and the compiled recording path was thrown away and compiled again at the start of the schedule.
     */
    private static Outcomes.LatencyListener timers(Timer intended, Timer service) {
        return (i, s) -> {
            intended.record(i, TimeUnit.NANOSECONDS);
            service.record(s, TimeUnit.NANOSECONDS);
        };
    }

    private static Timer latency(String clock, PrometheusMeterRegistry registry) {
        return Timer.builder("longrun.delivery.latency").description("delivery latency: from the intended send time, or service time")
                .tag("clock", clock).serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(registry);
    }

    /** How many times the registry was scraped (a scrape may count twice): whether anyone reads the endpoint. */
    public long scrapes() {
        return scrapes.get();
    }

    private final java.util.concurrent.atomic.AtomicLong scrapes = new java.util.concurrent.atomic.AtomicLong();

    /** The registry to bind as Camel's {@code metricsRegistry}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * A fault experiment's verdict: {@code longrun_experiments_total{scenario,verdict}} counts it and
     * {@code longrun_recovery_seconds{scenario}} holds its recovery time (NaN when it did not recover).
     */
    public void verdict(String scenario, String verdict, Double recoverySeconds) {
        io.micrometer.core.instrument.Counter.builder("longrun.experiments").description("fault experiments judged, by verdict")
                .tags("scenario", scenario, "verdict", verdict).register(registry).increment();
        recovery = recoverySeconds == null ? Double.NaN : recoverySeconds;
        Gauge.builder("longrun.recovery", () -> recovery).description("the last experiment's recovery time").baseUnit("seconds")
                .tags("scenario", scenario).register(registry);
    }

    private volatile double recovery = Double.NaN;

    public void tick(double target, double actual) {
        targetRate = target;
        actualRate = actual;
    }

    public void db(Map<String, long[]> tables, long databaseBytes) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(), bytes = new ArrayList<>();
        tables.forEach((t, v) -> {
            rows.add(MultiGauge.Row.of(Tags.of("table", t), v[0]));
            bytes.add(MultiGauge.Row.of(Tags.of("table", t), v[1]));
        });
        tableRows.register(rows, true);
        tableBytes.register(bytes, true);
        dbBytes = databaseBytes;
    }

    public void health(boolean up, double latencyMs) {
        healthUp = up ? 1 : 0;
        healthLatency = latencyMs / 1000;
    }

    public void criteria(List<Criteria.State> states) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Criteria.State s : states)
            rows.add(MultiGauge.Row.of(Tags.of("criterion", s.name(), "severity", s.severity().name().toLowerCase(Locale.ROOT)),
                    s.firing() ? 1 : 0));
        criterionState.register(rows, true);
    }

    private volatile double phaseIndex, experimentActive;
    private MultiGauge phaseOn, faultActive, faultValue;
    private List<String> phaseNames = List.of();

    /**
     * A fault experiment's gauges, after seed 001's names: longrun_phase{scenario,phase}, longrun_phase_index{scenario}
     * (1-based, 0 when idle), longrun_phase_duration_seconds{scenario,phase} (planned), longrun_experiment_active,
     * longrun_fault_active{proxy,type} and longrun_fault_value{proxy,type,param}.
     */
    public synchronized void experiment(io.longrun.scenario.Experiment exp) {
        phaseNames = exp.phases().stream().map(io.longrun.scenario.Experiment.Phase::name).toList();
        Gauge.builder("longrun.phase.index", () -> phaseIndex).description("the phase on, 1-based; 0 when none is").tags("scenario", scenario)
                .register(registry);
        Gauge.builder("longrun.experiment.active", () -> experimentActive).description("1 while a phase of the experiment is on").register(registry);
        for (io.longrun.scenario.Experiment.Phase p : exp.phases())
            Gauge.builder("longrun.phase.duration", () -> p.duration().toNanos() / 1e9).description("a phase's planned duration")
                    .baseUnit("seconds").tags("scenario", scenario, "phase", p.name()).register(registry);
        phaseOn = MultiGauge.builder("longrun.phase").description("1 while the phase is on").register(registry);
        faultActive = MultiGauge.builder("longrun.fault.active").description("1 while a fault of this type is on this proxy").register(registry);
        faultValue = MultiGauge.builder("longrun.fault.value").description("the setting of a fault that is on").register(registry);
        phase(-1, List.of());
    }

    /** Phase {@code index} (0-based; -1: none) is on, with these faults. */
    public synchronized void phase(int index, List<io.longrun.scenario.FaultSpec> faults) {
        if (phaseOn == null) return;
        phaseIndex = index + 1;
        experimentActive = index >= 0 ? 1 : 0;
        List<MultiGauge.Row<?>> phases = new ArrayList<>(), active = new ArrayList<>(), values = new ArrayList<>();
        for (int i = 0; i < phaseNames.size(); i++) phases.add(MultiGauge.Row.of(Tags.of("scenario", scenario, "phase", phaseNames.get(i)), i == index ? 1 : 0));
        java.util.Set<Tags> seen = new java.util.HashSet<>();
        for (io.longrun.scenario.FaultSpec f : faults) {
            Tags t = Tags.of("proxy", f.proxy(), "type", f.kind().yaml());
            if (seen.add(t)) active.add(MultiGauge.Row.of(t, 1));
            f.params().forEach((k, v) -> {
                if (seen.add(t.and("param", k))) values.add(MultiGauge.Row.of(t.and("param", k), v));
            });
        }
        phaseOn.register(phases, true);
        faultActive.register(active, true);
        faultValue.register(values, true);
    }

    /** The exposition text, as a scrape would see it (for tests). */
    public String scrape() {
        return registry.scrape();
    }
}
