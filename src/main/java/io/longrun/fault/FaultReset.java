package io.longrun.fault;

import io.longrun.fault.ToxiproxyClient.ProxyInfo;
import io.longrun.fault.ToxiproxyClient.ToxicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code longrun faults reset}: cleans a Toxiproxy server after a run that was killed before it could take its
 * faults off. Toxics do not expire there, so whoever added one must remove it.
 */
public final class FaultReset {
    private FaultReset() {}

    /**
     * Before a resume: removes from these proxies the toxics that run itself left when it was killed (named
     * {@code longrun-<run id>-*}), and nothing else. Returns what it did, a line each.
     */
    public static List<String> ofRun(ToxiproxyClient client, List<String> proxies, String runId) throws FaultException {
        String prefix = "longrun-" + runId.replaceAll("[^A-Za-z0-9_.-]", "-") + "-";
        List<String> done = new ArrayList<>();
        for (String name : proxies) {
            java.util.Optional<ProxyInfo> p = client.proxy(name);
            if (p.isEmpty()) continue;
            for (ToxicInfo t : p.get().toxics())
                if (t.name().startsWith(prefix) && client.removeToxic(name, t.name())) done.add("removed " + t.describe() + " from " + name);
        }
        return done;
    }

    /**
     * Removes the toxics named {@code longrun-*} (every toxic with {@code all}) from every proxy, and enables the
     * disabled proxies (a {@code down} left on). Returns what it did, a line each.
     */
    public static List<String> run(ToxiproxyClient client, boolean all) throws FaultException {
        List<String> done = new ArrayList<>();
        for (ProxyInfo p : client.proxies()) {
            for (ToxicInfo t : p.toxics()) {
                if (!all && !t.name().startsWith("longrun-")) continue;
                if (client.removeToxic(p.name(), t.name())) done.add("removed " + t.describe() + " from " + p.name());
            }
            if (!p.enabled()) {
                client.updateProxy(p.name(), Map.of("enabled", true));
                done.add("enabled " + p.name() + " (it was disabled)");
            }
        }
        return done;
    }
}
