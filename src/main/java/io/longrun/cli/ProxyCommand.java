package io.longrun.cli;

import io.longrun.fault.FaultException;
import io.longrun.fault.ProxyServer;
import io.longrun.run.BadInput;
import io.longrun.run.SignalTrap;
import io.longrun.scenario.ProxySpec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code longrun proxy}: the embedded TCP fault proxy, standalone, with Toxiproxy's API, until Ctrl+C. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Run longrun's TCP fault proxy on its own, serving the part of Toxiproxy's HTTP API that longrun uses "
                + "(proxies and toxics, /reset, /populate, /version, /metrics), until Ctrl+C.")
final class ProxyCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @Option(names = "--api", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8474",
            description = "where the API listens (default: ${DEFAULT-VALUE}, Toxiproxy's port)")
    String api;

    @Option(names = "--proxy", paramLabel = "NAME=LISTEN=UPSTREAM",
            description = "a proxy to start with, e.g. db=127.0.0.1:15432=127.0.0.1:5432 (repeatable; more can be created through the API)")
    List<String> proxies = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "the seed of every random draw (jitter, slicer, loss, toxicity); default: random, printed")
    Long seed;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        List<String> problems = new ArrayList<>();
        String why = ProxySpec.addressProblem(api, 0);
        if (why != null) problems.add("--api " + why);
        List<ProxySpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String p : proxies) {
            String[] parts = p.split("=", -1);
            if (parts.length != 3 || parts[0].isBlank()) {
                problems.add("--proxy must be NAME=LISTEN=UPSTREAM, e.g. db=127.0.0.1:15432=127.0.0.1:5432, got \"" + p + "\"");
                continue;
            }
            String listenWhy = ProxySpec.addressProblem(parts[1], 0), upWhy = ProxySpec.addressProblem(parts[2], 1);
            if (listenWhy != null) problems.add("--proxy " + parts[0] + ": LISTEN " + listenWhy);
            if (upWhy != null) problems.add("--proxy " + parts[0] + ": UPSTREAM " + upWhy);
            if (!names.add(parts[0])) problems.add("--proxy: two proxies are named \"" + parts[0] + "\"");
            if (listenWhy == null && upWhy == null) specs.add(new ProxySpec(parts[0], parts[1], parts[2]));
        }
        if (!problems.isEmpty()) throw new BadInput(String.join("\n", problems));
        long s = seed != null ? seed : new SecureRandom().nextLong();
        ProxyServer server;
        try {
            server = ProxyServer.start(ProxySpec.host(api), ProxySpec.port(api), specs, s, version());
        } catch (FaultException e) {
            throw new BadInput(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (server; SignalTrap trap = ctx.handleSignals() ? SignalTrap.onInterrupt(sig -> stop.countDown()) : SignalTrap.NONE) {
            ctx.out().println("longrun proxy: Toxiproxy API on http://" + api.substring(0, api.lastIndexOf(':') + 1) + server.apiPort() + " (seed " + s + ")");
            for (String p : server.describeProxies()) ctx.out().println("proxy " + p);
            ctx.out().println("Ctrl+C to stop");
            stop.await();
            ctx.out().println("stopping: proxies closed, faults gone");
        }
        return 0;
    }

    static String version() {
        String v = Longrun.class.getPackage().getImplementationVersion();
        return "longrun-" + (v == null ? "dev" : v);
    }
}
