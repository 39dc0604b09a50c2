package io.longrun.cli;

import io.longrun.criteria.Criteria;
import io.longrun.pace.RateCurve;
import io.longrun.pace.Traffic;
import io.longrun.runlog.Secrets;
import io.longrun.scenario.Durations;
import io.longrun.scenario.HealthUrls;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code longrun validate SCENARIO.yaml}: every problem at once, or the plan. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a scenario file and print its plan: per emitter the window, the ramps and the expected event count.")
final class ValidateCommand extends ScenarioCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        Scenario sc = scenario();
        printPlan(sc, ctx.out());
        return 0;
    }

    static void printPlan(Scenario sc, PrintStream out) {
        out.printf(Locale.ROOT, "scenario %s: valid%n", sc.name());
        out.printf(Locale.ROOT, "duration %s, tick %s, seed %s%n", sc.duration().equals(Scenario.UNTIL_DONE) ? "until the recordings end"
                : Durations.format(sc.duration()), Durations.format(sc.tick()),
                sc.seed().map(String::valueOf).orElse("random (logged at start)"));
        Scenario.Target t = sc.target();
        out.printf(Locale.ROOT, "target %s (timeout %s, max_in_flight %d)%n", Secrets.maskUrl(t.url()), Durations.format(t.timeout()), t.maxInFlight());
        t.healthUrl().ifPresentOrElse(h -> out.printf(Locale.ROOT, "health %s every %s%s%n", Secrets.maskUrl(h), Durations.format(sc.watch().healthEvery()),
                t.healthFollow() == HealthUrls.Follow.MOVED ? " (moved with --target-url)" : ""),
                () -> out.println("health: not watched (no target.health_url)"));
        HealthUrls.warning(t).ifPresent(out::println);
        sc.database().ifPresentOrElse(d -> out.printf(Locale.ROOT, "database %s, tables %s, every %s%n", Secrets.maskUrl(d.url()),
                d.watched().isEmpty() ? "(none)" : String.join(", ", d.watched().stream().map(io.longrun.scenario.WatchedTable::describe).toList()),
                Durations.format(sc.watch().dbEvery())),
                () -> out.println("database: not watched (no database.url)"));
        if (!sc.proxies().isEmpty())
            out.printf(Locale.ROOT, "proxies (%s): %s%n", sc.faultEngine().toxiproxy().map(u -> "Toxiproxy at " + u).orElse("embedded"),
                    String.join(", ", sc.proxies().stream().map(p -> p.name() + " " + p.listen() + " -> " + p.upstream()).toList()));
        sc.experiment().ifPresent(x -> io.longrun.experiment.ExperimentPlan.lines(x).forEach(out::println));
        out.printf(Locale.ROOT, "%-20s %-14s %10s %-18s %8s %9s %7s %16s%n", "emitter", "format", "rate/s", "window", "ramp up", "ramp down",
                "jitter", "expected events");
        double total = 0;
        for (Scenario.Emitter e : sc.emitters()) {
            Scenario.Schedule s = e.schedule();
            RateCurve curve = Traffic.of(e, sc, 0, 0).schedule().curve();
            double expected = curve.area(0, curve.end());
            total += expected;
            Duration stop = s.stopAfter().filter(x -> x.compareTo(sc.duration()) < 0).orElse(sc.duration());
            String rate = e.interval().map(iv -> "1/" + Durations.format(iv.every()) + (iv.jitter().isZero() ? "" : "±" + Durations.format(iv.jitter())))
                    .orElse(e.stages().isEmpty() ? Num.text(e.rate()) : "stages");
            if (e.replay().isPresent()) {
                var r = e.replay().get();
                out.printf(Locale.ROOT, "%-20s %-14s %10s %s%n", e.name(), "replay", r.rate().map(Num::text).orElse(Num.text(r.speed()) + "x"),
                        r.files().size() + " recording(s): " + r.files() + (r.loop() > 1 ? ", " + r.loop() + " times" : "")
                                + " (the count comes from the files: --dry-run reads them)");
                continue;
            }
            if (e.arrivals() == io.longrun.pace.Arrivals.POISSON) rate += " poisson";
            out.printf(Locale.ROOT, "%-20s %-14s %10s %-18s %8s %9s %7s %16d%n", e.name(), e.format(), rate,
                    s.startAfter().compareTo(stop) >= 0 ? "none (after the end)" : "[" + Durations.format(s.startAfter()) + ", " + Durations.format(stop) + ")",
                    Durations.format(s.rampUp()),
                    Durations.format(s.rampDown()), s.jitterPct() == 0 ? "-" : "±" + Num.text(s.jitterPct() * 100) + "%",
                    (long) Math.ceil(expected - 1e-9));
            if (!e.stages().isEmpty()) out.println("    " + curve);
        }
        out.printf(Locale.ROOT, "expected events in all: %d (mean %.1f/s; jitter moves it by a little)%n", (long) Math.ceil(total - 1e-9),
                total / Durations.seconds(sc.duration()));
        if (sc.stopWhen().isEmpty()) out.println("stop_when: none (the run goes to its end)");
        else {
            out.println("stop_when:");
            for (Scenario.StopRule r : sc.stopWhen()) out.println("  " + Criteria.describe(r));
        }
    }
}
