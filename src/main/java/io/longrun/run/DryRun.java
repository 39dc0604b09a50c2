package io.longrun.run;

import io.longrun.pace.Clock;
import io.longrun.pace.DueTimes;
import io.longrun.pace.Traffic;
import io.longrun.random.SplitMix;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --dry-run} (seed 000): the plan per tick, per emitter ({@code n} events due and {@code eff_eps}) and the
 * totals, to the run log and the console; nothing is sent and nothing needs to be reachable. The counts come from
 * the same pacers a run uses, so they are what a run would plan.
 */
final class DryRun {
    private DryRun() {}

    static RunResult run(Scenario sc, RunOptions opt, long seed, Clock clock, ShardedRun shards) throws IOException {
        String runId = RunController.runId(sc, clock);
        Path logFile = RunFiles.logFile(opt, runId);
        Console console = new Console(opt.out(), false, false);
        double tick = Durations.seconds(sc.tick());
        boolean openEnded = sc.duration().equals(Scenario.UNTIL_DONE); // a replay: as long as its recordings
        int ticks = openEnded ? 0 : (int) Math.ceil(Durations.seconds(sc.duration()) / tick);
        List<String> names = new ArrayList<>();
        long[][] perTick = new long[sc.emitters().size()][Math.max(ticks, 16)];
        List<Traffic> traffic = new ArrayList<>();
        for (int i = 0; i < sc.emitters().size(); i++) {
            Scenario.Emitter e = sc.emitters().get(i);
            names.add(e.name());
            Traffic t = shards.traffic(e, Traffic.of(e, sc, seed, SplitMix.hash(e.name())));
            traffic.add(t);
            DueTimes d = t.dueTimes();
            for (double due = d.nextDue(); !Double.isInfinite(due); due = d.nextDue()) {
                int k = (int) Math.floor(due / tick);
                if (!openEnded) k = Math.min(ticks - 1, k);
                if (k >= perTick[i].length) perTick[i] = java.util.Arrays.copyOf(perTick[i], Math.max(k + 1, perTick[i].length * 2));
                perTick[i][k]++;
                ticks = Math.max(ticks, k + 1);
            }
        }
        long[] totals = new long[names.size()];
        try (RunLog log = new RunLog(logFile)) {
            Map<String, Object> start = RunStart.startRecord(sc, opt.scenarioId().orElse(runId), seed, runId);
            start.put("dry_run", true);
            start.putAll(shards.startFields());
            log.write("run.start", clock.now(), start);
            console.line("dry run of " + sc.name() + ": the plan per tick (n events due, eff_eps), nothing is sent");
            if (sc.experiment().isPresent()) {
                // the plan only: no proxy is started and no fault applied
                log.write("experiment", clock.now(), io.longrun.experiment.ExperimentPlan.record(sc.experiment().get(),
                        sc.faultEngine().toxiproxy().map(u -> "Toxiproxy at " + u).orElse("embedded proxy")));
                io.longrun.experiment.ExperimentPlan.lines(sc.experiment().get()).forEach(console::line);
            }
            for (int k = 0; k < ticks; k++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "tick %5d [%s]", k, Durations.format(Duration.ofMillis(Math.round(k * tick * 1000)))));
                for (int i = 0; i < names.size(); i++) {
                    double eff = traffic.get(i).schedule().effEps(k);
                    long n = k < perTick[i].length ? perTick[i][k] : 0;
                    totals[i] += n;
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("elapsed_s", RunMonitor.round((k + 1) * tick, 3));
                    r.put("emitter", names.get(i));
                    r.put("n", n);
                    r.put("planned", n);
                    r.put("eff_eps", RunMonitor.round(eff, 3));
                    r.put("dry_run", true);
                    log.write("tick", clock.now(), r);
                    line.append(" | ").append(names.get(i)).append(" n=").append(n).append(" eff_eps=").append(Num.text(RunMonitor.round(eff, 2)));
                }
                console.line(line.toString());
            }
            Map<String, Object> per = new LinkedHashMap<>();
            long all = 0;
            for (int i = 0; i < names.size(); i++) {
                per.put(names.get(i), Map.of("planned", totals[i]));
                all += totals[i];
            }
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("verdict", "dry run");
            end.put("exit_code", ExitCodes.OK);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("planned", all);
            for (String k : List.of("sent", "accepted", "rejected", "failed", "dropped")) t.put(k, 0L);
            end.put("totals", t);
            end.put("emitters", per);
            log.write("run.end", clock.now(), end);
            console.line("planned in all: " + all + " events (" + per + ")");
            console.line("run log: " + logFile);
        }
        return new RunResult(ExitCodes.OK, "dry run", Optional.empty(), Duration.ZERO, logFile, List.of(),
                new io.longrun.deliver.Outcomes.Stats("all", java.util.Arrays.stream(totals).sum(), 0, 0, 0, 0, 0, Map.of(), Map.of(),
                        io.longrun.deliver.Latency.NONE, io.longrun.deliver.Latency.NONE),
                io.longrun.deliver.Latency.NONE, io.longrun.deliver.Latency.NONE, Map.of());
    }
}
