package io.longrun.cli;

import io.longrun.experiment.SuitePlan;
import io.longrun.experiment.SuiteProxy;
import io.longrun.fault.FaultException;
import io.longrun.fault.ProxyServer;
import io.longrun.scenario.ProxySpec;
import io.longrun.experiment.SuiteReport;
import io.longrun.experiment.SuiteRunner;
import io.longrun.run.BadInput;
import io.longrun.run.RunController;
import io.longrun.run.RunResult;
import io.longrun.run.SignalTrap;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioException;
import io.longrun.scenario.ScenarioReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code longrun suite FILE|DIR...}: experiments one after another, with a summary as a table, suite.json and junit.xml. */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = "Run experiments one after another, each as longrun run would, waiting between them until the target is back "
                + "within its baseline; then a summary: a table, suite.json and junit.xml. Exit code: the worst of the experiments'.")
final class SuiteCommand implements Callable<Integer> {
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @ParentCommand
    Longrun parent;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "scenario files, or folders of them (*.yaml, *.yml, in name order, numbers by value)")
    List<Path> paths;

    @Option(names = "--list", description = "list the experiments, their phases and faults; run nothing")
    boolean list;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "run only these experiments (by name, repeatable or comma-separated; * matches any characters, e.g. 'latency-*')")
    List<String> only = new ArrayList<>();

    @Option(names = "--loop", paramLabel = "N|forever", description = "run the list N times, or until Ctrl+C (default: 1)")
    String loop;

    @Option(names = "--shuffle", description = "a new order each round, drawn from --seed")
    boolean shuffle;

    @Option(names = "--seed", paramLabel = "S", description = "with --shuffle: the seed of the orders (default: random, printed and in suite.json)")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "the suite's folder: a run folder per experiment, suite.json, junit.xml "
            + "(default: runs/suite-<UTC time>)")
    Path outDir;

    @Option(names = "--settle-max", paramLabel = "DUR", converter = DurationConverter.class,
            description = "how long to wait at most between experiments for the target to return to its baseline (default: 2m)")
    Duration settleMax;

    @Option(names = "--quiet", description = "no live progress from the runs; their summaries and the suite's")
    boolean quiet;

    @Option(names = "--metrics-port", paramLabel = "P", description = "each run's Prometheus metrics port (default: $LONGRUN_METRICS_PORT, else 9876; 0: off)")
    Integer metricsPort;

    @Option(names = "--metrics-linger", paramLabel = "DUR", converter = DurationConverter.OrZero.class, description = "after each experiment, keep "
            + "its metrics endpoint up until the next scrape reads the verdict, at most DUR (default 1m; 0: not at all); only when it was scraped")
    Duration metricsLinger;

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        CommandLine cmd = spec.commandLine();
        int loops = loops(cmd);
        if (seed != null && !shuffle) throw new CommandLine.ParameterException(cmd, "--seed orders a --shuffle: give both, or neither");
        if (settleMax != null && settleMax.isNegative()) throw new CommandLine.ParameterException(cmd, "--settle-max must not be negative");
        List<SuiteRunner.Item> all = read(ctx, cmd);
        List<SuiteRunner.Item> items;
        try {
            items = SuitePlan.select(all.stream().map(SuiteRunner.Item::name).toList(), only).stream().map(all::get).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
        if (list) {
            printList(items, ctx.out());
            return 0;
        }
        List<String> problems = new ArrayList<>();
        List<ProxySpec> proxies = SuiteProxy.proxies(items, problems);
        if (!problems.isEmpty()) throw new ScenarioException(problems);
        long proxySeed = items.stream().flatMap(i -> i.scenario().seed().stream()).findFirst().orElse(1L);
        SuiteProxy.Started started;
        try {
            started = SuiteProxy.start(items, proxies, proxySeed, ProxyCommand.version());
        } catch (FaultException e) {
            throw new BadInput(e.getMessage());
        }
        try {
            return run(ctx, started.items(), loops, started.described());
        } finally {
            started.server().ifPresent(ProxyServer::close);
        }
    }

    private int run(CliContext ctx, List<SuiteRunner.Item> items, int loops, List<String> proxies) throws IOException, InterruptedException {
        Optional<Long> order = shuffle ? Optional.of(seed != null ? seed : new SecureRandom().nextLong() >>> 16) : Optional.empty();
        Path dir = ctx.workDir().resolve(outDir != null ? outDir : Path.of("runs", "suite-" + FOLDER_TIME.format(ctx.clock().now())));
        ctx.out().printf(Locale.ROOT, "longrun suite: %d experiment(s)%s%s; folder %s%n", items.size(),
                loops == SuitePlan.FOREVER ? ", until Ctrl+C" : loops > 1 ? ", " + loops + " rounds" : "",
                order.map(s -> ", shuffled with seed " + s).orElse(""), dir);
        for (String p : proxies) ctx.out().println("suite: proxy " + p + " (up for the whole suite; the experiments' faults go through it)");
        AtomicBoolean stop = new AtomicBoolean();
        SuiteRunner.Waiting waiting = settleMax == null ? SuiteRunner.Waiting.DEFAULT
                : new SuiteRunner.Waiting(settleMax, SuiteRunner.Waiting.DEFAULT.probeTimeout());
        SuiteReport.Result result;
        try (SignalTrap trap = ctx.handleSignals() ? SignalTrap.onInterrupt(sig -> {
            ctx.out().println("received " + sig + ": the suite stops after the current experiment's clean end (again to quit at once)");
            stop.set(true);
        }) : SignalTrap.NONE) {
            SuiteRunner runner = new SuiteRunner(items, (sc, runsDir) -> runOne(ctx, sc, runsDir), ctx.out(), ctx.clock(), waiting, stop::get);
            result = runner.run(SuitePlan.steps(items.size(), loops, order), loops == SuitePlan.FOREVER, dir, order);
        }
        ctx.out().println();
        ctx.out().print(SuiteReport.table(result));
        ctx.out().println("suite: " + dir.resolve(SuiteReport.JSON_FILE) + ", " + dir.resolve(SuiteReport.JUNIT_FILE));
        return SuiteReport.exitCode(result);
    }

    private int loops(CommandLine cmd) {
        if (loop == null) return 1;
        if (loop.equalsIgnoreCase("forever")) return SuitePlan.FOREVER;
        try {
            int n = Integer.parseInt(loop.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new CommandLine.ParameterException(cmd, "--loop must be a number of rounds (1 or more) or forever, got \"" + loop + "\"");
    }

    /** Every scenario of every FILE and DIR, every problem of every file at once; names must be unique. */
    private List<SuiteRunner.Item> read(CliContext ctx, CommandLine cmd) throws ScenarioException, IOException {
        List<Path> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path p : paths) {
            Path f = ctx.workDir().resolve(p);
            if (Files.isDirectory(f)) {
                try (Stream<Path> s = Files.list(f)) {
                    List<Path> found = s.filter(x -> Files.isRegularFile(x) && x.getFileName().toString().matches(".*\\.ya?ml")).sorted(SuiteCommand::natural).toList();
                    if (found.isEmpty()) problems.add(p + ": no *.yaml or *.yml file in this folder");
                    files.addAll(found);
                }
            } else if (Files.isRegularFile(f)) {
                files.add(f);
            } else {
                problems.add(p + ": no such file or folder");
            }
        }
        Overrides o = new Overrides(Optional.ofNullable(service.targetUrl), Optional.ofNullable(service.healthUrl), Optional.ofNullable(service.db.url),
                Optional.ofNullable(service.db.user), Optional.ofNullable(service.db.passwordEnv), Optional.empty(), Optional.empty(), Optional.empty(),
                ctx.env());
        List<SuiteRunner.Item> items = new ArrayList<>();
        Map<String, Path> names = new HashMap<>();
        for (Path f : files) {
            try {
                Scenario sc = service.applyTo(ScenarioReader.read(f, o), ctx, cmd);
                Path earlier = names.putIfAbsent(sc.name(), f);
                if (earlier != null) problems.add(f + ": name: \"" + sc.name() + "\" is also the name of " + earlier + "; a suite's names are unique");
                else items.add(new SuiteRunner.Item(sc.name(), f, sc));
            } catch (ScenarioException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new ScenarioException(problems);
        return items;
    }

    /** File names in order, the numbers in them by value: packet-loss-2-pct before packet-loss-10-pct. */
    static int natural(Path a, Path b) {
        java.util.regex.Matcher x = NUMBERS.matcher(a.getFileName().toString()), y = NUMBERS.matcher(b.getFileName().toString());
        while (x.find() && y.find()) {
            int c = x.group(1).compareTo(y.group(1));
            if (c != 0) return c;
            if (x.group(2) != null && y.group(2) != null) {
                c = new java.math.BigInteger(x.group(2)).compareTo(new java.math.BigInteger(y.group(2)));
                if (c != 0) return c;
            } else if (x.group(2) != null || y.group(2) != null) {
                return x.group(2) == null ? -1 : 1;
            }
        }
        return a.getFileName().toString().compareTo(b.getFileName().toString());
    }

    private static final java.util.regex.Pattern NUMBERS = java.util.regex.Pattern.compile("(\\D*)(\\d+)?");

    private SuiteRunner.Ran runOne(CliContext ctx, Scenario sc, Path runsDir) throws InterruptedException {
        RunFlags flags = new RunFlags();
        flags.quiet = quiet;
        flags.metricsPort = metricsPort;
        flags.metricsLinger = metricsLinger;
        try {
            io.longrun.run.RunOptions opt = flags.options(ctx).runsDir(runsDir).build();
            io.longrun.api.SoakResult r = io.longrun.api.Soak.of(sc, null, opt).run();
            return new SuiteRunner.Ran(r.exitCode(), Optional.of(r.runLog()), r.verdict(), Optional.empty());
        } catch (io.longrun.api.SoakException e) {
            if (!e.badInput()) return internal(ctx, sc, e);
            ctx.err().println("longrun: " + sc.name() + ": " + e.getMessage());
            return new SuiteRunner.Ran(2, Optional.empty(), "bad input", Optional.of(e.getMessage()));
        } catch (RuntimeException e) {
            return internal(ctx, sc, e);
        }
    }

    private static SuiteRunner.Ran internal(CliContext ctx, Scenario sc, RuntimeException e) {
        String why = Longrun.describe(e);
        ctx.err().println("longrun: " + sc.name() + ": internal error: " + why);
        return new SuiteRunner.Ran(1, Optional.empty(), "internal error", Optional.of(why));
    }

    private static void printList(List<SuiteRunner.Item> items, PrintStream out) {
        for (SuiteRunner.Item it : items) {
            Scenario sc = it.scenario();
            out.printf(Locale.ROOT, "%-26s %8s  %s%n", it.name(), Durations.format(sc.duration()), it.file());
            for (Experiment.Phase p : sc.experiment().map(Experiment::phases).orElse(List.of())) {
                List<String> faults = p.faults().stream().map(FaultSpec::describe).toList();
                out.printf(Locale.ROOT, "    %-14s %8s  %s%n", p.name(), Durations.format(p.duration()), faults.isEmpty() ? "no fault" : String.join(", ", faults));
            }
        }
        out.println(items.size() + " experiment(s)");
    }
}
