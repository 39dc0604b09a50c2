package io.longrun.scenario;

import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Param;
import io.longrun.scenario.FaultSpec.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the network-fault parts of a scenario: {@code proxies:}, {@code fault_engine:} and a fault list (a
 * phase's {@code faults:}). Every problem goes to the scenario's list, with its line and key path.
 */
final class FaultReader {
    private FaultReader() {}

    /** {@code proxies: [ { name, listen, upstream } ]}: names and listen addresses are unique. */
    static List<ProxySpec> proxies(Fields top) {
        List<ProxySpec> out = new ArrayList<>();
        Map<String, String> names = new HashMap<>(), listens = new HashMap<>();
        List<Fields> items = top.objects("proxies");
        for (int i = 0; i < items.size(); i++) {
            Fields p = items.get(i);
            String name = StopRuleReader.required(p, "name", p.text("name")).orElse("");
            String listen = StopRuleReader.required(p, "listen", p.text("listen")).orElse("");
            String upstream = StopRuleReader.required(p, "upstream", p.text("upstream")).orElse("");
            p.done();
            boolean ok = !name.isEmpty() && !listen.isEmpty() && !upstream.isEmpty();
            if (!name.isEmpty() && !ScenarioReader.NAME.matcher(name).matches()) {
                p.problem("name", "use letters, digits, '.', '_' or '-', got \"" + name + "\"");
                ok = false;
            }
            if (!name.isEmpty() && names.putIfAbsent(name, p.path("name")) != null) {
                p.problem("name", "two proxies are named \"" + name + "\"");
                ok = false;
            }
            for (String key : List.of("listen", "upstream")) {
                String address = key.equals("listen") ? listen : upstream;
                String why = address.isEmpty() ? null : ProxySpec.addressProblem(address, 1);
                if (why != null) {
                    p.problem(key, why);
                    ok = false;
                }
            }
            if (ok && listens.putIfAbsent(listen, name) != null) {
                p.problem("listen", "proxy \"" + listens.get(listen) + "\" listens on " + listen + " already");
                ok = false;
            }
            if (ok && listen.equals(upstream)) {
                p.problem("upstream", "is the proxy's own listen address: it would forward to itself");
                ok = false;
            }
            if (ok) out.add(new ProxySpec(name, listen, upstream));
        }
        return out;
    }

    /** {@code fault_engine: { toxiproxy: URL, timeout: 5s }}; absent: the embedded proxy. */
    static FaultEngineSpec engine(Fields top) {
        top.raw("fault_engine"); // a known key, even when absent
        if (!top.has("fault_engine")) return FaultEngineSpec.EMBEDDED;
        Fields f = top.object("fault_engine");
        Optional<String> url = f.text("toxiproxy");
        url.flatMap(ScenarioReader::httpUrl).ifPresent(why -> f.problem("toxiproxy", why));
        if (url.isEmpty() && !f.has("toxiproxy")) f.problem("toxiproxy", "missing: the Toxiproxy API's URL, e.g. http://127.0.0.1:8474 "
                + "(leave fault_engine out for longrun's embedded proxy)");
        Duration timeout = f.positiveDuration("timeout").orElse(FaultEngineSpec.DEFAULT_TIMEOUT);
        f.done();
        return new FaultEngineSpec(url.map(u -> u.replaceAll("/+$", "")), timeout);
    }

    /**
     * A fault list, e.g. a phase's {@code faults:}: each item names one fault kind, whose mapping holds
     * {@code proxy}, {@code stream} where it applies, and the kind's settings.
     *
     * @param proxies the scenario's proxies: a fault naming another is a problem
     */
    static List<FaultSpec> faults(Fields owner, String key, List<ProxySpec> proxies) {
        return faults(owner.objects(key), proxies);
    }

    /** The faults of these items (each one fault kind's mapping). */
    static List<FaultSpec> faults(List<Fields> items, List<ProxySpec> proxies) {
        List<FaultSpec> out = new ArrayList<>();
        List<String> known = proxies.stream().map(ProxySpec::name).toList();
        for (Fields item : items) {
            List<String> kinds = item.keys().stream().filter(k -> Kind.of(k) != null).toList();
            if (kinds.size() != 1) {
                String unknown = item.keys().stream().filter(k -> Kind.of(k) == null).findFirst().orElse(null);
                String hint = unknown == null ? "" : "unknown fault \"" + unknown + "\""
                        + Fields.closest(unknown, allKinds()).map(c -> " (did you mean '" + c + "'?)").orElse("") + "; ";
                item.problem(null, hint + "each item names exactly one fault: " + String.join(", ", allKinds()));
                continue;
            }
            Kind kind = Kind.of(kinds.get(0));
            Fields f = item.object(kind.yaml());
            FaultSpec spec = fault(kind, f, known);
            f.done();
            item.done();
            if (spec != null) out.add(spec);
        }
        return out;
    }

    /** The network faults' kinds, then the stream faults'. */
    static List<String> allKinds() {
        List<String> out = new ArrayList<>(Kind.names());
        out.addAll(StreamFault.Kind.names());
        return out;
    }

    private static FaultSpec fault(Kind kind, Fields f, List<String> known) {
        boolean ok = true;
        String proxy = StopRuleReader.required(f, "proxy", f.text("proxy")).orElse("");
        if (!proxy.isEmpty() && !known.contains(proxy)) {
            String hint = Fields.closest(proxy, known).map(c -> " (did you mean '" + c + "'?)").orElse("");
            f.problem("proxy", "no proxy named \"" + proxy + "\" in proxies:" + hint
                    + (known.isEmpty() ? "; proxies: lists none" : "; known: " + String.join(", ", known)));
            ok = false;
        }
        ok &= !proxy.isEmpty();
        Stream stream = Stream.DOWNSTREAM;
        Optional<String> s = f.text("stream");
        if (s.isPresent() && !kind.hasStream()) {
            f.problem("stream", "down takes the whole proxy away; stream does not apply");
            ok = false;
        } else if (s.isPresent()) {
            try {
                stream = Stream.valueOf(s.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                f.problem("stream", "must be upstream, downstream or both, got \"" + s.get() + "\"");
                ok = false;
            }
        }
        Map<String, Double> params = new LinkedHashMap<>();
        for (Param p : kind.params()) {
            Optional<Double> v = p.whole() ? f.integer(p.key(), (long) p.min(), (long) p.max()).map(Long::doubleValue)
                    : f.number(p.key(), p.min(), p.max());
            if (v.isEmpty() && f.has(p.key())) ok = false; // already reported
            else if (v.isEmpty() && p.required()) {
                f.problem(p.key(), "missing");
                ok = false;
            }
            params.put(p.key(), v.orElse(p.dflt()));
        }
        if (ok && kind == Kind.LATENCY && params.get("jitter_ms") > params.get("ms")) {
            f.problem("jitter_ms", "is above ms: a latency cannot go below 0");
            ok = false;
        }
        if (ok && kind == Kind.SLICER && params.get("jitter_bytes") >= params.get("avg_bytes")) {
            f.problem("jitter_bytes", "must be less than avg_bytes");
            ok = false;
        }
        return ok ? new FaultSpec(kind, proxy, stream, params) : null;
    }
}
