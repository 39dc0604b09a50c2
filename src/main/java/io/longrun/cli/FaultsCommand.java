package io.longrun.cli;

import io.longrun.fault.FaultException;
import io.longrun.fault.FaultReset;
import io.longrun.fault.ToxiproxyClient;
import io.longrun.run.BadInput;
import io.longrun.scenario.ScenarioReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code longrun faults ...}: network faults outside a run. */
@Command(name = "faults", mixinStandardHelpOptions = true, description = "Network faults outside a run.",
        subcommands = {FaultsCommand.Reset.class, CommandLine.HelpCommand.class})
final class FaultsCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(parent.ctx.err());
        return 2;
    }

    /** {@code longrun faults reset --toxiproxy URL [--all]}. */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Remove the toxics a killed run left on a Toxiproxy server (those named longrun-*, or all with --all) "
                    + "and enable its disabled proxies; prints what it removed.")
    static final class Reset implements Callable<Integer> {
        @ParentCommand
        FaultsCommand parent;

        @Option(names = "--toxiproxy", paramLabel = "URL", required = true, description = "the Toxiproxy API, e.g. http://127.0.0.1:8474")
        String url;

        @Option(names = "--all", description = "remove every toxic, not only longrun's")
        boolean all;

        @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "5s", converter = DurationConverter.class,
                description = "time-out of each call (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = parent.parent.ctx;
            var bad = ScenarioReader.httpUrl(url);
            if (bad.isPresent()) throw new BadInput("--toxiproxy " + bad.get());
            ToxiproxyClient client = new ToxiproxyClient(url, timeout);
            List<String> done;
            try {
                done = FaultReset.run(client, all);
            } catch (FaultException e) {
                throw new BadInput(e.getMessage());
            }
            for (String line : done) ctx.out().println(line);
            ctx.out().println(done.isEmpty() ? "nothing to clean at " + client.url() : done.size() + " change(s) at " + client.url());
            return 0;
        }
    }
}
