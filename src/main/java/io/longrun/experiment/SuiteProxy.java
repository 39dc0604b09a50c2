package io.longrun.experiment;

import io.longrun.fault.FaultException;
import io.longrun.fault.ProxyServer;
import io.longrun.scenario.FaultEngineSpec;
import io.longrun.scenario.ProxySpec;
import io.longrun.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded proxies of a suite, kept up from its first experiment to its last. Alone, a run with the embedded
 * engine starts its proxies and closes them at its end, so the target's path to its database would break between two
 * experiments, and each would begin with a target reconnecting. A suite instead starts one {@code longrun proxy}
 * in its own process for every proxy its embedded scenarios name, and points those scenarios at its Toxiproxy API: the
 * same faults (emulated loss included), applied and removed by each run as before, on a path that stays up.
 */
public final class SuiteProxy {
    private SuiteProxy() {}

    /** The server, and the suite's experiments pointed at it; no server when no experiment has embedded proxies. */
    public record Started(Optional<ProxyServer> server, List<SuiteRunner.Item> items, List<String> described) {}

    /** The proxies of the embedded scenarios, one per name; a name given two different addresses is a problem in words. */
    public static List<ProxySpec> proxies(List<SuiteRunner.Item> items, List<String> problems) {
        Map<String, ProxySpec> byName = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (SuiteRunner.Item it : items) {
            if (!it.scenario().faultEngine().embedded()) continue;
            for (ProxySpec p : it.scenario().proxies()) {
                ProxySpec earlier = byName.putIfAbsent(p.name(), p);
                if (earlier == null) from.put(p.name(), it.file().toString());
                else if (!earlier.listen().equals(p.listen()) || !earlier.upstream().equals(p.upstream()))
                    problems.add(it.file() + ": proxies: " + p.name() + " listens on " + p.listen() + " to " + p.upstream() + ", but in "
                            + from.get(p.name()) + " on " + earlier.listen() + " to " + earlier.upstream()
                            + "; a suite keeps one proxy of each name up for all its experiments");
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** Starts the proxies on 127.0.0.1 (the API on a free port) and points the embedded scenarios at it. */
    public static Started start(List<SuiteRunner.Item> items, List<ProxySpec> proxies, long seed, String version) throws FaultException {
        if (proxies.isEmpty()) return new Started(Optional.empty(), items, List.of());
        ProxyServer server = ProxyServer.start("127.0.0.1", 0, proxies, seed, version);
        String url = "http://127.0.0.1:" + server.apiPort();
        List<SuiteRunner.Item> out = new ArrayList<>();
        for (SuiteRunner.Item it : items) {
            Scenario sc = it.scenario();
            out.add(!sc.faultEngine().embedded() || sc.proxies().isEmpty() ? it
                    : new SuiteRunner.Item(it.name(), it.file(), sc.withFaultEngine(new FaultEngineSpec(Optional.of(url), sc.faultEngine().timeout()))));
        }
        return new Started(Optional.of(server), out, server.describeProxies());
    }
}
