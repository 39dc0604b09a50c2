package io.longrun.fault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.scenario.ProxySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of Toxiproxy's API for the embedded proxies: reading requests (with Toxiproxy's error texts) and writing answers. */
final class ApiJson {
    private ApiJson() {}

    /** A proxy to create, from {@code {name, listen, upstream, enabled}}. */
    record NewProxy(String name, String listen, String upstream, boolean enabled) {}

    static NewProxy newProxy(JsonNode body, String where) {
        if (body == null || !body.isObject()) throw ApiError.badRequest("bad request body: expected a JSON object" + where);
        String name = body.path("name").asText(""), upstream = body.path("upstream").asText("");
        String listen = body.path("listen").asText("");
        if (name.isEmpty()) throw ApiError.badRequest("missing required field: name" + where);
        if (upstream.isEmpty()) throw ApiError.badRequest("missing required field: upstream" + where);
        if (listen.isEmpty()) listen = "127.0.0.1:0";
        checkAddresses(listen, upstream, where);
        return new NewProxy(name, listen, upstream, body.path("enabled").asBoolean(true));
    }

    /** 400 unless listen is host:port (port 0: a free one) and upstream host:port. */
    static void checkAddresses(String listen, String upstream, String where) {
        for (String[] a : List.of(new String[] {"listen", listen}, new String[] {"upstream", upstream})) {
            String why = ProxySpec.addressProblem(a[1], a[0].equals("listen") ? 0 : 1);
            if (why != null) throw ApiError.badRequest("bad request body: " + a[0] + " " + why + where);
        }
    }

    /** A new toxic from {@code {name, type, stream, toxicity, attributes}}, with Toxiproxy's defaults and errors. */
    static Toxic newToxic(JsonNode body) {
        if (body == null || !body.isObject()) throw ApiError.badRequest("bad request body: expected a JSON object");
        String type = body.path("type").asText("");
        Direction stream = Direction.of(body.path("stream").asText("downstream"));
        if (stream == null) throw ApiError.badRequest("stream was invalid, can be either upstream or downstream");
        if (!Toxic.TYPES.containsKey(type)) throw ApiError.badRequest("invalid toxic type");
        String name = body.path("name").asText("");
        if (name.isEmpty()) name = type + "_" + stream.json();
        return toxic(name, type, stream, body.path("toxicity"), Toxic.TYPES.get(type), body.path("attributes"));
    }

    /** A toxic with the attributes and toxicity given over those it had. */
    static Toxic changedToxic(Toxic old, JsonNode body) {
        if (body == null || !body.isObject()) throw ApiError.badRequest("bad request body: expected a JSON object");
        return toxic(old.name(), old.type(), old.stream(), body.path("toxicity"), old.attributes(), body.path("attributes"));
    }

    private static Toxic toxic(String name, String type, Direction stream, JsonNode toxicityNode, Map<String, Double> base, JsonNode given) {
        double toxicity = toxicityNode.isMissingNode() ? 1 : toxicityNode.asDouble(-1);
        if (!toxicityNode.isMissingNode() && (!toxicityNode.isNumber() || toxicity < 0 || toxicity > 1))
            throw ApiError.badRequest("bad request body: toxicity must be a number from 0 to 1");
        Map<String, Double> attrs = new LinkedHashMap<>(base);
        if (!given.isMissingNode() && !given.isNull() && !given.isObject()) throw ApiError.badRequest("bad request body: attributes must be an object");
        for (String key : base.keySet()) {
            JsonNode v = given.path(key);
            if (v.isMissingNode() || v.isNull()) continue;
            if (!v.isNumber()) throw ApiError.badRequest("bad request body: attributes." + key + " must be a number");
            attrs.put(key, v.asDouble());
        }
        String why = Toxic.problem(type, attrs);
        if (why != null) throw ApiError.badRequest("bad request body: " + why);
        return new Toxic(name, type, stream, toxicity, attrs);
    }

    static Map<String, Object> proxy(TcpProxy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name);
        m.put("listen", p.listen());
        m.put("upstream", p.upstream());
        m.put("enabled", p.enabled());
        m.put("toxics", p.toxics().stream().map(Toxic::json).toList());
        return m;
    }

    static Map<String, Object> proxies(ProxyHub hub) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (TcpProxy p : hub.all()) m.put(p.name, proxy(p));
        return m;
    }

    /** Toxiproxy's byte counters, by direction and proxy; here they count open connections as they go. */
    static String metrics(ProxyHub hub) {
        StringBuilder b = new StringBuilder();
        for (String what : List.of("received", "sent")) {
            b.append("# HELP toxiproxy_proxy_").append(what).append("_bytes_total Bytes ").append(what).append(" by the proxy\n");
            b.append("# TYPE toxiproxy_proxy_").append(what).append("_bytes_total counter\n");
            for (TcpProxy p : hub.all()) {
                for (Direction d : Direction.values()) {
                    long v = d == Direction.UPSTREAM ? (what.equals("received") ? p.upReceived : p.upSent).get()
                            : (what.equals("received") ? p.downReceived : p.downSent).get();
                    b.append("toxiproxy_proxy_").append(what).append("_bytes_total{direction=\"").append(d.json()).append("\",listener=\"")
                            .append(label(p.listen())).append("\",proxy=\"").append(label(p.name)).append("\",upstream=\"")
                            .append(label(p.upstream())).append("\"} ").append(v).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String write(Object json) {
        try {
            return ToxiproxyClient.JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
