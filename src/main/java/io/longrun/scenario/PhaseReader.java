package io.longrun.scenario;

import io.longrun.scenario.Experiment.Phase;
import io.longrun.scenario.Experiment.Recovery;
import io.longrun.scenario.Experiment.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a fault experiment: {@code phases:} or the {@code experiment:} shorthand (seed 001's stabilize, fault and
 * recover phases), and {@code recovery:}. Every problem goes to the scenario's list, with its line and key path.
 */
final class PhaseReader {
    /** Seed 001's phases, the shorthand's defaults. */
    static final Duration STABILIZE = Duration.ofSeconds(30), FAULT_FOR = Duration.ofSeconds(60), RECOVER = Duration.ofSeconds(60);
    static final double MAX_RATE = 1_000_000;

    private PhaseReader() {}

    /** The experiment, when the scenario has {@code phases:} or {@code experiment:}; empty otherwise (or when they are broken). */
    static Optional<Experiment> read(Fields top, List<ProxySpec> proxies) {
        top.raw("phases"); // known keys, even when absent
        top.raw("experiment");
        top.raw("recovery");
        boolean phases = top.has("phases"), shorthand = top.has("experiment");
        if (phases && shorthand) {
            top.problem("experiment", "give phases: or the experiment: shorthand, not both");
            return Optional.empty();
        }
        if (!phases && !shorthand) {
            if (top.has("recovery")) top.problem("recovery", "needs phases: (or the experiment: shorthand): there is nothing to recover from");
            return Optional.empty();
        }
        List<Phase> list = phases ? phases(top, proxies) : shorthand(top.object("experiment"), proxies);
        Recovery recovery = recovery(top);
        return list == null ? Optional.empty() : Optional.of(new Experiment(list, recovery));
    }

    /** {@code phases: [ { name, duration, faults, rate, assert, baseline } ]}; null when one is broken. */
    private static List<Phase> phases(Fields top, List<ProxySpec> proxies) {
        List<Fields> items = top.objects("phases");
        if (items.isEmpty()) {
            if (top.has("phases")) top.problem("phases", "lists no phase: give at least one { name, duration }");
            return null;
        }
        List<Phase> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String baseline = null;
        boolean ok = true;
        int streamIndex = 0;
        for (Fields p : items) {
            Optional<String> name = StopRuleReader.required(p, "name", p.text("name"));
            if (name.isPresent() && !ScenarioReader.NAME.matcher(name.get()).matches()) {
                p.problem("name", "use letters, digits, '.', '_' or '-', got \"" + name.get() + "\"");
                name = Optional.empty();
            } else if (name.isPresent() && !names.add(name.get())) {
                p.problem("name", "two phases are named \"" + name.get() + "\"");
                name = Optional.empty();
            }
            Optional<Step.Until> until = StepReader.until(p);
            Optional<Duration> duration;
            if (p.has("until")) { // its planned length is its timeout
                if (p.has("duration")) p.problem("duration", "a phase with until: lasts until its condition holds or its timeout: give timeout:, not duration:");
                p.raw("duration");
                duration = p.positiveDuration("timeout");
                if (!p.has("timeout")) p.problem("timeout", "missing: a phase with until: needs timeout: (e.g. 60s), how long it may wait");
            } else {
                duration = StopRuleReader.required(p, "duration", p.positiveDuration("duration"));
                if (p.has("timeout")) p.problem("timeout", "goes with until: (a phase that waits for a condition)");
                p.raw("timeout");
            }
            List<Step.Action> onStart = StepReader.actions(p, "on_start"), onEnd = StepReader.actions(p, "on_end");
            Optional<Double> rate = p.number("rate", 0, MAX_RATE);
            boolean isBaseline = p.bool("baseline").orElse(false);
            List<Fields> faultItems = p.objects("faults");
            List<Fields> streamItems = faultItems.stream().filter(StreamFaultReader::isStream).toList();
            List<FaultSpec> faults = FaultReader.faults(faultItems.stream().filter(f -> !StreamFaultReader.isStream(f)).toList(), proxies);
            List<StreamFault> stream = new ArrayList<>();
            for (Fields item : streamItems) {
                StreamFault sf = StreamFaultReader.read(item, streamIndex++);
                if (sf != null) stream.add(sf);
            }
            int given = faultItems.size();
            List<Assertions.Assertion> asserts = RunbookReader.asserts(p);
            p.done();
            if (isBaseline && baseline != null) p.problem("baseline", "phase \"" + baseline + "\" is the baseline already: one phase at most says baseline: true");
            else if (isBaseline) baseline = name.orElse("?");
            if (isBaseline && given > 0) p.problem("faults", "the baseline phase is measured without faults: move them to another phase");
            if (isBaseline && until.isPresent()) p.problem("until", "the baseline phase is measured for a fixed time: give it a duration:");
            if (name.isEmpty() || duration.isEmpty() || faults.size() + stream.size() != given || p.has("until") && until.isEmpty()) ok = false;
            else out.add(new Phase(name.get(), duration.get(), faults, rate, asserts, isBaseline, until, onStart, onEnd, stream));
        }
        if (!ok) return null;
        if (baseline == null) {
            Phase first = out.get(0);
            if (!first.faults().isEmpty() || !first.stream().isEmpty())
                items.get(0).problem("faults", "the first phase is the baseline (no phase says baseline: true), and a baseline is measured without faults");
            if (first.until().isPresent())
                items.get(0).problem("until", "the first phase is the baseline (no phase says baseline: true), and a baseline is measured for a fixed time: give it a duration:");
            out.set(0, first.asBaseline());
        }
        return out;
    }

    /** {@code experiment: { stabilize: 30s, fault: {...} | [...], fault_for: 60s, recover: 60s }}: seed 001's three phases. */
    private static List<Phase> shorthand(Fields e, List<ProxySpec> proxies) {
        Duration stabilize = e.positiveDuration("stabilize").orElse(STABILIZE);
        Duration faultFor = e.positiveDuration("fault_for").orElse(FAULT_FOR);
        Duration recover = e.positiveDuration("recover").orElse(RECOVER);
        List<Fields> items = e.objectsOrOne("fault");
        List<FaultSpec> faults = FaultReader.faults(items, proxies);
        e.done();
        if (items.isEmpty()) {
            e.problem("fault", "missing: the fault to apply, e.g. { latency: { proxy: db, ms: 200 } }");
            return null;
        }
        if (faults.size() != items.size()) return null;
        return List.of(new Phase("stabilize", stabilize, List.of(), Optional.empty(), List.of(), true),
                new Phase("fault", faultFor, faults, Optional.empty(), List.of(), false),
                new Phase("recover", recover, List.of(), Optional.empty(), List.of(), false));
    }

    /**
     * What phases ask of the rest of the scenario: a phase's rate replaces the rate of emitters that have one (not
     * of those sending at intervals or replaying); an assertion that runs SQL needs the database.
     */
    static void check(Experiment exp, List<Scenario.Emitter> emitters, boolean database, boolean health, boolean logs, Fields.Problems problems) {
        for (int i = 0; i < exp.phases().size(); i++) {
            Phase p = exp.phases().get(i);
            if (p.rate().isPresent() && exp.startsLate(i))
                problems.at("phases[" + i + "].rate", "comes after a phase with until:, so it starts at a time known only at run time and its rate cannot"
                        + " be scheduled: leave rate: out here, or give the phase before it a duration:");
            if (p.until().isPresent()) {
                String at = "phases[" + i + "].until." + p.until().get().kind();
                if (p.until().get() instanceof Step.Sql && !database) problems.at(at, "needs database.url (or --db-url)");
                if (p.until().get() instanceof Step.Health && !health) problems.at(at, "needs target.health_url (or --health-url): it reads the health checks");
                if (p.until().get() instanceof Step.Log && !logs) problems.at(at, "needs watch.logs: the target's log file(s) to tail");
            }
            List<String> names = emitters.stream().map(Scenario.Emitter::name).toList();
            for (StreamFault f : p.stream())
                for (String e : f.emitters())
                    if (!names.contains(e))
                        problems.at("phases[" + i + "].faults." + f.kind().yaml() + ".emitters", "no emitter named \"" + e + "\""
                                + Fields.closest(e, names).map(c -> " (did you mean '" + c + "'?)").orElse("") + "; known: " + String.join(", ", names));
            if (p.rate().isPresent())
                for (Scenario.Emitter e : emitters)
                    if (e.interval().isPresent() || e.replay().isPresent())
                        problems.at("phases[" + i + "].rate", "emitter " + e.name() + (e.replay().isPresent() ? " replays recordings" : " sends at intervals")
                                + ": a phase's rate applies to emitters with rate: or stages:");
            for (int j = 0; j < p.asserts().size(); j++) {
                Assertions.Assertion a = p.asserts().get(j);
                if (a instanceof Assertions.Ledger) {
                    problems.at("phases[" + i + "].assert[" + j + "].ledger", "is checked once, at the run's end: put it under the scenario's assert:");
                    continue;
                }
                if (!database && !(a instanceof Assertions.Threshold) && !(a instanceof Assertions.Count c && c.sql().isEmpty()))
                    problems.at("phases[" + i + "].assert[" + j + "]." + a.kind(), "needs database.url (or --db-url)");
            }
        }
    }

    /** {@code recovery: { signals: [...], tolerance_pct: 25, hold: 10s }}, each with its default. */
    private static Recovery recovery(Fields top) {
        if (!top.has("recovery")) return Recovery.DEFAULT;
        Fields r = top.object("recovery");
        List<Signal> signals = new ArrayList<>();
        List<String> known = Arrays.stream(Signal.values()).map(Signal::yaml).toList();
        List<String> given = r.texts("signals");
        for (int i = 0; i < given.size(); i++) {
            Optional<Signal> s = Signal.of(given.get(i));
            if (s.isEmpty()) r.problem("signals[" + i + "]", "unknown signal \"" + given.get(i) + "\""
                    + Fields.closest(given.get(i), known).map(c -> " (did you mean '" + c + "'?)").orElse("") + "; known: " + String.join(", ", known));
            else if (signals.contains(s.get())) r.problem("signals[" + i + "]", given.get(i) + " is listed twice");
            else signals.add(s.get());
        }
        if (r.has("signals") && given.isEmpty() && signals.isEmpty()) r.problem("signals", "lists no signal; known: " + String.join(", ", known));
        double tolerance = r.number("tolerance_pct", 0.001, 10_000).orElse(Recovery.DEFAULT.tolerancePct());
        Duration hold = r.positiveDuration("hold").orElse(Recovery.DEFAULT.hold());
        r.done();
        return new Recovery(signals.isEmpty() ? Recovery.DEFAULT.signals() : signals, tolerance, hold);
    }
}
