package io.longrun.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.fault.ToxiproxyClient.ProxyInfo;
import io.longrun.fault.ToxiproxyClient.ToxicInfo;
import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.ProxySpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults on a Toxiproxy server (or {@code longrun proxy}, which speaks the same API). Each toxic is named
 * {@code longrun-<run id>-<n>}, confirmed by reading it back, and removed by name: this engine never touches a
 * toxic it did not create. Toxicity stays 1 (see {@link BaseEngine#toxics}).
 *
 * <p>{@code loss}: Toxiproxy has no packet loss (a {@code packet_loss} toxic, where a build has one, drops bytes
 * from the TCP stream, which no real network does). Only {@code longrun proxy} offers it, emulated; against any
 * other server {@link #check} refuses it before the run.
 */
public final class ToxiproxyEngine extends BaseEngine {
    private final ToxiproxyClient client;
    private final Set<String> known = new LinkedHashSet<>(), created = new LinkedHashSet<>();
    private String version;

    public ToxiproxyEngine(ToxiproxyClient client, String runId, Clock clock) {
        super(runId, clock);
        this.client = client;
    }

    @Override
    public synchronized List<String> start(List<ProxySpec> proxies) throws FaultException {
        List<String> warnings = new ArrayList<>();
        version();
        for (ProxySpec p : proxies) {
            Optional<ProxyInfo> found = client.proxy(p.name());
            if (found.isEmpty()) {
                client.createProxy(p.name(), p.listen(), p.upstream(), true);
                created.add(p.name());
                known.add(p.name());
                continue;
            }
            ProxyInfo info = found.get();
            if (!sameAddress(info.upstream(), p.upstream()) || ProxySpec.port(info.listen()) != p.listenPort())
                throw new FaultException("Toxiproxy at " + client.url() + ": proxy " + p.name() + " listens on " + info.listen() + " and forwards to "
                        + info.upstream() + ", the scenario says " + p.listen() + " to " + p.upstream() + ": change one or the other");
            List<String> left = info.toxics().stream().filter(t -> t.name().startsWith("longrun-")).map(ToxicInfo::describe).toList();
            if (!left.isEmpty())
                throw new FaultException("Toxiproxy at " + client.url() + ": proxy " + p.name() + " still has toxics a longrun run left: "
                        + String.join(", ", left) + "; remove them with: longrun faults reset --toxiproxy " + client.url());
            List<String> others = info.toxics().stream().map(ToxicInfo::describe).toList();
            if (!others.isEmpty()) warnings.add("proxy " + p.name() + " has toxics longrun did not add; they act for the whole run: "
                    + String.join(", ", others));
            if (!info.enabled()) {
                client.updateProxy(p.name(), Map.of("enabled", true));
                warnings.add("proxy " + p.name() + " was disabled on Toxiproxy; longrun enabled it");
            }
            known.add(p.name());
        }
        return warnings;
    }

    private static boolean sameAddress(String a, String b) {
        return a.equals(b) || ProxySpec.port(a) == ProxySpec.port(b)
                && List.of("localhost", "127.0.0.1", "::1").containsAll(List.of(ProxySpec.host(a), ProxySpec.host(b)));
    }

    /** The server's version, asked once. */
    synchronized String version() throws FaultException {
        if (version == null) version = client.version();
        return version;
    }

    /** Whether the server is {@code longrun proxy}: it has emulated loss and counts bytes live. */
    private boolean longrunProxy() {
        try {
            return version().startsWith("longrun");
        } catch (FaultException e) {
            return false;
        }
    }

    @Override
    public List<String> check(List<FaultSpec> faults) {
        List<String> out = new ArrayList<>();
        for (FaultSpec f : faults) {
            if (f.kind() != Kind.LOSS || longrunProxy()) continue;
            String v;
            try {
                v = "Toxiproxy " + version() + " at " + client.url();
            } catch (FaultException e) {
                v = "the Toxiproxy at " + client.url() + " (" + e.getMessage() + ")";
            }
            out.add(f.describe() + ": " + v + " has no packet loss (Toxiproxy cannot emulate it; a packet_loss toxic drops bytes from "
                    + "the TCP stream instead). Use longrun's embedded proxy (leave fault_engine out) or point fault_engine at longrun proxy");
        }
        return out;
    }

    @Override
    synchronized boolean knows(String proxy) {
        return known.contains(proxy);
    }

    @Override
    void addToxic(String proxy, Toxic toxic) throws FaultException {
        client.addToxic(proxy, toxic.json());
        Optional<ToxicInfo> back = client.toxic(proxy, toxic.name());
        String differs = back.isEmpty() ? "it is not listed" : differs(toxic, back.get());
        if (differs != null) {
            client.removeToxic(proxy, toxic.name());
            throw new FaultException("Toxiproxy at " + client.url() + " did not keep toxic " + toxic.name() + " on " + proxy + " as sent: " + differs);
        }
    }

    /** How a toxic read back differs from the one sent, or null when it does not. */
    private static String differs(Toxic sent, ToxicInfo back) {
        if (!sent.type().equals(back.type())) return "type " + back.type() + ", sent " + sent.type();
        if (!sent.stream().json().equals(back.stream())) return "stream " + back.stream() + ", sent " + sent.stream().json();
        if (back.toxicity() != sent.toxicity()) return "toxicity " + back.toxicity() + ", sent " + sent.toxicity();
        for (Map.Entry<String, Double> a : sent.attributes().entrySet()) {
            JsonNode v = back.attributes().path(a.getKey());
            if (!v.isNumber() || v.asDouble() != a.getValue()) return a.getKey() + " " + v + ", sent " + a.getValue();
        }
        return null;
    }

    @Override
    void removeToxic(String proxy, String toxic) throws FaultException {
        client.removeToxic(proxy, toxic);
        if (client.toxic(proxy, toxic).isPresent())
            throw new FaultException("Toxiproxy at " + client.url() + " still lists toxic " + toxic + " on " + proxy + " after removing it");
    }

    @Override
    void setEnabled(String proxy, boolean enabled) throws FaultException {
        client.updateProxy(proxy, Map.of("enabled", enabled));
        boolean now = client.proxy(proxy).map(ProxyInfo::enabled).orElseThrow(
                () -> new FaultException("Toxiproxy at " + client.url() + " no longer has proxy " + proxy));
        if (now != enabled) throw new FaultException("Toxiproxy at " + client.url() + " did not " + (enabled ? "enable " : "disable ") + proxy);
    }

    private static final Pattern METRIC = Pattern.compile(
            "^toxiproxy_proxy_(received|sent)_bytes_total\\{([^}]*)\\}\\s+([0-9.eE+]+)\\s*$", Pattern.MULTILINE);

    /** From the server's Prometheus {@code /metrics} when it serves them; empty otherwise. */
    @Override
    public Optional<ProxyTraffic> traffic(String proxy) {
        Optional<String> text;
        try {
            text = client.metrics();
        } catch (FaultException e) {
            return Optional.empty();
        }
        if (text.isEmpty()) return Optional.empty();
        long[] v = new long[4]; // upstream received, sent; downstream received, sent
        boolean any = false;
        Matcher m = METRIC.matcher(text.get());
        while (m.find()) {
            String labels = m.group(2);
            if (!labels.contains("proxy=\"" + proxy + "\"")) continue;
            int i = (labels.contains("direction=\"upstream\"") ? 0 : 2) + (m.group(1).equals("sent") ? 1 : 0);
            v[i] += (long) Double.parseDouble(m.group(3));
            any = true;
        }
        if (!any) return Optional.empty();
        return Optional.of(new ProxyTraffic(v[0], v[1], v[2], v[3], OptionalLong.empty(), longrunProxy()));
    }

    @Override
    public String describe() {
        try {
            return (longrunProxy() ? "longrun proxy " : "Toxiproxy ") + version() + " at " + client.url();
        } catch (FaultException e) {
            return "Toxiproxy at " + client.url();
        }
    }

    @Override
    synchronized void stopStarted() throws FaultException {
        List<String> failed = new ArrayList<>();
        for (String p : created) {
            try {
                client.deleteProxy(p);
            } catch (FaultException e) {
                failed.add("could not delete proxy " + p + ": " + e.getMessage());
            }
        }
        created.clear();
        if (!failed.isEmpty()) throw new FaultException(String.join("; ", failed));
    }
}
