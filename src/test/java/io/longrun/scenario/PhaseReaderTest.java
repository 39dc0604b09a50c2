package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.scenario.Experiment.Phase;
import io.longrun.scenario.Experiment.Signal;
import io.longrun.scenario.FaultSpec.Kind;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code phases:}, the {@code experiment:} shorthand and {@code recovery:}, read through the scenario reader. */
class PhaseReaderTest {
    static final String BASE = """
            target: { url: "http://127.0.0.1:8000/event" }
            emitters: [ { name: a, rate: 10 } ]
            proxies: [ { name: db, listen: "127.0.0.1:15432", upstream: "127.0.0.1:5432" } ]
            """;

    static Scenario read(String yaml) throws ScenarioException {
        return read(yaml, Overrides.NONE);
    }

    static Scenario read(String yaml, Overrides o) throws ScenarioException {
        return ScenarioReader.read("s.yaml", "s", new StringReader(yaml), o);
    }

    /** The problems, one a line, of a scenario that must not read. */
    static String problems(String yaml) {
        try {
            read(yaml);
        } catch (ScenarioException e) {
            return e.getMessage();
        }
        throw new AssertionError("read without a problem:\n" + yaml);
    }

    @Test
    void readsPhasesWithFaultsRatesAssertsAndTheBaseline() throws Exception {
        Scenario sc = read(BASE + """
                phases:
                  - { name: warm, duration: 10s }
                  - { name: stabilize, duration: 30s, baseline: true }
                  - name: fault
                    duration: 1m
                    rate: 200
                    faults:
                      - latency: { proxy: db, ms: 200 }
                      - down: { proxy: db }
                    assert:
                      - { name: few-errors, threshold: "error_rate < 5%" }
                  - { name: recover, duration: 60s }
                recovery: { signals: [p95, error_rate], tolerance_pct: 50, hold: 5s }
                """);
        Experiment e = sc.experiment().orElseThrow();
        assertThat(e.phases()).extracting(Phase::name).containsExactly("warm", "stabilize", "fault", "recover");
        assertThat(e.baselineIndex()).isEqualTo(1);
        assertThat(e.phases().get(0).baseline()).isFalse();
        Phase fault = e.phases().get(2);
        assertThat(fault.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(fault.rate()).contains(200.0);
        assertThat(fault.faults()).extracting(FaultSpec::kind).containsExactly(Kind.LATENCY, Kind.DOWN);
        assertThat(fault.asserts()).extracting(Assertions.Assertion::describe).containsExactly("error_rate < 5%");
        assertThat(e.recovery()).isEqualTo(new Experiment.Recovery(List.of(Signal.P95, Signal.ERROR_RATE), 50, Duration.ofSeconds(5)));
        // the run's duration is the sum of the phases
        assertThat(sc.duration()).isEqualTo(Duration.ofSeconds(160));
    }

    @Test
    void theFirstPhaseIsTheBaselineByDefaultAndRecoveryHasDefaults() throws Exception {
        Experiment e = read(BASE + "duration: 20s\nphases: [ { name: a, duration: 5s }, { name: b, duration: 15s } ]\n").experiment().orElseThrow();
        assertThat(e.phases()).extracting(Phase::baseline).containsExactly(true, false);
        assertThat(e.recovery()).isEqualTo(Experiment.Recovery.DEFAULT);
    }

    @Test
    void theShorthandWritesSeed001sThreePhases() throws Exception {
        Scenario sc = read(BASE + "experiment: { stabilize: 10s, fault: { latency: { proxy: db, ms: 200 } }, fault_for: 20s, recover: 30s }\n");
        Experiment e = sc.experiment().orElseThrow();
        assertThat(e.phases()).extracting(Phase::name).containsExactly("stabilize", "fault", "recover");
        assertThat(e.phases()).extracting(Phase::duration).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30));
        assertThat(e.phases()).extracting(p -> p.faults().size()).containsExactly(0, 1, 0);
        assertThat(e.phases().get(1).faults().get(0)).isEqualTo(new FaultSpec(Kind.LATENCY, "db", FaultSpec.Stream.DOWNSTREAM,
                Map.of("ms", 200.0, "jitter_ms", 0.0)));
        assertThat(sc.duration()).isEqualTo(Duration.ofMinutes(1));
        // a list of faults, and seed 001's durations by default
        Experiment two = read(BASE + "experiment: { fault: [ { down: { proxy: db } }, { loss: { proxy: db, pct: 2 } } ] }\n").experiment().orElseThrow();
        assertThat(two.phases()).extracting(Phase::duration).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(two.phases().get(1).faults()).extracting(FaultSpec::kind).containsExactly(Kind.DOWN, Kind.LOSS);
    }

    @Test
    void aScenarioWithoutPhasesHasNoExperiment() throws Exception {
        assertThat(read(BASE + "duration: 1m\n").experiment()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # what is wrong                 | the scenario's extra lines                                                                | the problem
            both forms                      | experiment: { fault: { down: { proxy: db } } }\\nphases: [ { name: a, duration: 1s } ]      | s.yaml:4: experiment: give phases: or the experiment: shorthand, not both
            duration differs                | duration: 1m\\nphases: [ { name: a, duration: 10s }, { name: b, duration: 20s } ]         | s.yaml:4: duration: is 1m but the phases add up to 30s: leave duration out (a scenario with phases lasts their sum) or make them agree
            two names alike                 | phases: [ { name: a, duration: 1s }, { name: a, duration: 1s } ]                         | s.yaml:4: phases[1].name: two phases are named "a"
            a name that is not one          | phases: [ { name: "a b", duration: 1s } ]                                                | s.yaml:4: phases[0].name: use letters, digits, '.', '_' or '-', got "a b"
            no name                         | phases: [ { duration: 1s } ]                                                             | s.yaml:4: phases[0].name: missing
            no duration                     | phases: [ { name: a } ]                                                                  | s.yaml:4: phases[0].duration: missing
            a zero duration                 | phases: [ { name: a, duration: 0s } ]                                                    | s.yaml:4: phases[0].duration: must be greater than 0
            two baselines                   | phases: [ { name: a, duration: 1s, baseline: true }, { name: b, duration: 1s, baseline: true } ] | s.yaml:4: phases[1].baseline: phase "a" is the baseline already: one phase at most says baseline: true
            faults in the baseline          | phases: [ { name: a, duration: 1s, baseline: true, faults: [ { down: { proxy: db } } ] } ] | s.yaml:4: phases[0].faults: the baseline phase is measured without faults: move them to another phase
            faults in the first phase       | phases: [ { name: a, duration: 1s, faults: [ { down: { proxy: db } } ] } ]                | s.yaml:4: phases[0].faults: the first phase is the baseline (no phase says baseline: true), and a baseline is measured without faults
            an unknown proxy                | phases: [ { name: a, duration: 1s }, { name: b, duration: 1s, faults: [ { down: { proxy: dv } } ] } ] | s.yaml:4: phases[1].faults[0].down.proxy: no proxy named "dv" in proxies: (did you mean 'db'?); known: db
            a negative rate                 | phases: [ { name: a, duration: 1s, rate: -1 } ]                                          | s.yaml:4: phases[0].rate: must be between 0 and 1000000, got -1
            an unknown key                  | phases: [ { name: a, duration: 1s, faluts: [] } ]                                        | s.yaml:4: phases[0].faluts: unknown key (did you mean 'faults'?); known keys here: name, until, duration, timeout, on_start, on_end, rate, baseline, faults, assert
            no phase                        | phases: []                                                                               | s.yaml:4: phases: lists no phase: give at least one { name, duration }
            shorthand without a fault       | experiment: { stabilize: 10s }                                                           | s.yaml:4: experiment.fault: missing: the fault to apply, e.g. { latency: { proxy: db, ms: 200 } }
            shorthand unknown key           | experiment: { fault: { down: { proxy: db } }, recovr: 1m }                               | s.yaml:4: experiment.recovr: unknown key (did you mean 'recover'?); known keys here: stabilize, fault_for, recover, fault
            recovery without phases         | duration: 1m\\nrecovery: { hold: 5s }                                                      | s.yaml:5: recovery: needs phases: (or the experiment: shorthand): there is nothing to recover from
            an unknown signal               | experiment: { fault: { down: { proxy: db } } }\\nrecovery: { signals: [p59] }              | s.yaml:5: recovery.signals[0]: unknown signal "p59" (did you mean 'p95'?); known: error_rate, p95, throughput, ingest
            a zero tolerance                | experiment: { fault: { down: { proxy: db } } }\\nrecovery: { tolerance_pct: 0 }            | s.yaml:5: recovery.tolerance_pct: must be between 0.001 and 10000, got 0
            a phase assert's SQL            | phases: [ { name: a, duration: 1s, assert: [ { sql: "select true" } ] } ]                | s.yaml:4: phases[0].assert[0].sql: needs database.url (or --db-url)
            until without a timeout         | phases: [ { name: a, duration: 1s }, { name: b, until: { accepted: 5 } } ]                | s.yaml:4: phases[1].timeout: missing: a phase with until: needs timeout: (e.g. 60s), how long it may wait
            until with a duration           | phases: [ { name: a, duration: 1s }, { name: b, duration: 5s, timeout: 5s, until: { accepted: 5 } } ] | s.yaml:4: phases[1].duration: a phase with until: lasts until its condition holds or its timeout: give timeout:, not duration:
            a timeout without until         | phases: [ { name: a, duration: 1s, timeout: 5s } ]                                       | s.yaml:4: phases[0].timeout: goes with until: (a phase that waits for a condition)
            two conditions                  | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { accepted: 5, log: x } } ] | s.yaml:4: phases[1].until: give one condition, got accepted and log (a phase waits for one)
            no condition                    | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { } } ]              | s.yaml:4: phases[1].until: give one condition: sql, health, accepted, log, metric
            until on the baseline           | phases: [ { name: a, timeout: 5s, until: { accepted: 5 } } ]                             | s.yaml:4: phases[0].until: the first phase is the baseline (no phase says baseline: true), and a baseline is measured for a fixed time: give it a duration:
            health neither up nor down      | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { health: sideways } } ] | s.yaml:4: phases[1].until.health: must be up or down, got "sideways"
            health without health_url       | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { health: up } } ]   | s.yaml:4: phases[1].until.health: needs target.health_url (or --health-url): it reads the health checks
            sql without a database          | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { sql: "select true" } } ] | s.yaml:4: phases[1].until.sql: needs database.url (or --db-url)
            log without watch.logs          | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { log: "ready" } } ] | s.yaml:4: phases[1].until.log: needs watch.logs: the target's log file(s) to tail
            a bad regex                     | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { log: "(" } } ]     | s.yaml:4: phases[1].until.log: not a regular expression: Unclosed group in "("
            a metric not longrun's          | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { metric: { name: up, above: 1 } } } ] | s.yaml:4: phases[1].until.metric.name: one of longrun's own metrics (its name starts with longrun_, e.g. longrun_events_total), got "up"
            a metric without a bound        | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { metric: { name: longrun_events_total } } } ] | s.yaml:4: phases[1].until.metric: give above: or below: (one of them)
            a rate after until              | phases: [ { name: a, duration: 1s }, { name: b, timeout: 5s, until: { accepted: 5 } }, { name: c, duration: 1s, rate: 5 } ] | s.yaml:4: phases[2].rate: comes after a phase with until:, so it starts at a time known only at run time and its rate cannot be scheduled: leave rate: out here, or give the phase before it a duration:
            an action of neither kind       | phases: [ { name: a, duration: 1s, on_start: [ { run: "x" } ] } ]                         | s.yaml:4: phases[0].on_start[0]: give an action: command: { run } or http: { method, url }
            a command without run           | phases: [ { name: a, duration: 1s, on_end: [ { command: { timeout: 5s } } ] } ]          | s.yaml:4: phases[0].on_end[0].command.run: missing
            an http url that is not one     | phases: [ { name: a, duration: 1s, on_start: [ { http: { url: "ftp://u:pw@x" } } ] } ]     | s.yaml:4: phases[0].on_start[0].http.url: must start with http:// or https://, got "ftp://u:***@x"
            an unknown http method          | phases: [ { name: a, duration: 1s, on_start: [ { http: { url: "http://x", method: FETCH } } ] } ] | s.yaml:4: phases[0].on_start[0].http.method: one of DELETE, GET, HEAD, PATCH, POST, PUT, got "FETCH"
            """)
    void eachProblemInTheUsersWords(String what, String extra, String problem) {
        assertThat(problems(BASE + extra.replace("\\n", "\n") + "\n")).as(what).contains(problem);
    }

    @Test
    void everyProblemAtOnceInFileOrder() {
        String all = problems(BASE + """
                duration: 1m
                phases:
                  - { name: a, duration: 10s }
                  - name: b
                    duration: 5x
                    faults:
                      - latency: { proxy: db, ms: -5 }
                      - lag: { proxy: db }
                recovery: { hold: 0s }
                """);
        assertThat(all.split("\n")).containsExactly(
                "s.yaml:8: phases[1].duration: not a duration: \"5x\" (write e.g. 250ms, 90s, 15m, 6h)",
                "s.yaml:10: phases[1].faults[0].latency.ms: must be between 0 and 3600000, got -5",
                "s.yaml:11: phases[1].faults[1]: unknown fault \"lag\"; each item names exactly one fault: latency, bandwidth, timeout, reset, "
                        + "slicer, limit_data, down, loss, drop, duplicate, delay, reorder, modify, corrupt, inject",
                "s.yaml:12: recovery.hold: must be greater than 0");
    }

    @Test
    void aPhaseRateAppliesToEmittersWithARateOnly() {
        String p = problems("""
                target: { url: "http://127.0.0.1:8000/event" }
                emitters: [ { name: tick, interval: 1s } ]
                phases: [ { name: a, duration: 1s }, { name: b, duration: 1s, rate: 50 } ]
                """);
        assertThat(p).contains("s.yaml:3: phases[1].rate: emitter tick sends at intervals: a phase's rate applies to emitters with rate: or stages:");
    }

    @Test
    void durationFromTheCommandLineMustAgreeWithThePhases() {
        Overrides o = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Duration.ofMinutes(5)), Optional.empty(), Optional.empty(), Map.of());
        assertThatThrownBy(() -> read(BASE + "phases: [ { name: a, duration: 1m } ]\n", o))
                .hasMessageContaining("duration: --duration 5m differs from the phases' sum, 1m: a scenario with phases lasts their sum");
    }
}
