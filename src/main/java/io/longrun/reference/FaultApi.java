package io.longrun.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference target's runtime fault API, on its own address (127.0.0.1 by default), so that faults switch on and
 * off while the target runs:
 * <ul>
 * <li>{@code GET /faults}: what is on;</li>
 * <li>{@code POST /faults} with {@code {"fault": "latency=200ms"}} or {@code {"fault": ["latency=200ms", "lenient"]}}
 * (a bare list too): switches them on, each as {@code --fault} SPEC would; a fault already on takes the new SPEC. 400
 * with every reason when a SPEC is bad, and then nothing changes;</li>
 * <li>{@code DELETE /faults}: every fault off; {@code DELETE /faults/NAME}: that one off (404 when it is not on).</li>
 * </ul>
 * Each answer that succeeds is {@link #state}. As Toxiproxy does, a browser (a {@code Mozilla/} user agent) is
 * refused with 403, so that a web page cannot switch faults through the browser.
 */
public final class FaultApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status and its JSON body. */
    record Answer(int status, Map<String, Object> body) {}

    private final LiveFaults live;
    private final DbGate gate;
    private final TargetLog log;
    private HttpServer server;

    FaultApi(LiveFaults live, DbGate gate, TargetLog log) {
        this.live = live;
        this.gate = gate;
        this.log = log;
    }

    /** Serves on host:port (0: a free port) on {@code vertx}. */
    void listen(Vertx vertx, String host, int port) throws Exception {
        HttpServer s = vertx.createHttpServer();
        s.requestHandler(this::handle);
        server = s.listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server == null ? 0 : server.actualPort();
    }

    private void handle(HttpServerRequest req) {
        String agent = req.getHeader("User-Agent");
        if (agent != null && agent.startsWith("Mozilla/")) {
            send(req, new Answer(403, Map.of("error", "browsers may not switch faults")));
            return;
        }
        req.body().onComplete(ar -> send(req, answer(req.method().name(), req.path(), ar.succeeded() ? ar.result().getBytes() : new byte[0])));
    }

    private static void send(HttpServerRequest req, Answer a) {
        String body;
        try {
            body = JSON.writeValueAsString(a.body());
        } catch (JsonProcessingException e) {
            body = "{}";
        }
        req.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json").end(body + "\n");
    }

    /** The answer to one request. */
    Answer answer(String method, String path, byte[] body) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/faults")) {
            return switch (method) {
                case "GET" -> new Answer(200, state());
                case "POST" -> post(body);
                case "DELETE" -> {
                    String was = live.faults().describe();
                    live.clear();
                    log.warn("faults", "fault API: every fault switched off (was: " + was + ")");
                    yield new Answer(200, state());
                }
                default -> new Answer(405, Map.of("error", method + " /faults is not served; use GET, POST or DELETE"));
            };
        }
        if (p.startsWith("/faults/")) {
            String name = URLDecoder.decode(p.substring("/faults/".length()), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            if (!method.equals("DELETE")) return new Answer(405, Map.of("error", method + " /faults/NAME is not served; use DELETE"));
            if (!Faults.KNOWN.contains(name))
                return new Answer(404, Map.of("error", "unknown fault \"" + name + "\"; known: " + String.join(", ", Faults.KNOWN)));
            if (!live.remove(name)) return new Answer(404, Map.of("error", "fault " + name + " is not on; on: " + live.faults().describe()));
            log.warn("faults", "fault API: " + name + " switched off (now: " + live.faults().describe() + ")");
            return new Answer(200, state());
        }
        return new Answer(404, Map.of("error", "not found: " + path + "; the fault API serves GET, POST and DELETE /faults, DELETE /faults/NAME"));
    }

    private Answer post(byte[] body) {
        List<String> specs = new ArrayList<>();
        String problem = specs(body, specs);
        if (problem != null) return new Answer(400, Map.of("error", problem));
        try {
            live.set(specs, "fault");
        } catch (IllegalArgumentException e) {
            return new Answer(400, Map.of("error", e.getMessage(), "problems", List.of(e.getMessage().split("\n"))));
        }
        log.warn("faults", "fault API: switched on " + String.join(" ", specs) + " (now: " + live.faults().describe() + ")");
        return new Answer(200, state());
    }

    /** Reads the SPECs of a POST body into {@code out}; what is wrong with it, or null. */
    static String specs(byte[] body, List<String> out) {
        String usage = "the body must be JSON: {\"fault\": \"latency=200ms\"} or {\"fault\": [\"latency=200ms\", \"lenient\"]}";
        JsonNode n;
        try {
            n = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return usage + "; it is not JSON";
        }
        if (n != null && n.isObject()) n = n.get("fault");
        else if (n != null && !n.isArray()) n = null;
        if (n == null) return usage;
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) n.forEach(items::add);
        else items.add(n);
        if (items.isEmpty()) return usage + "; the list is empty";
        for (JsonNode i : items) {
            if (!i.isTextual() || i.asText().isBlank()) return usage + "; each fault is a text such as \"latency=200ms\", got " + i;
            out.add(i.asText().trim());
        }
        return null;
    }

    /** What is on: {@code {"faults": [{"name", "spec", "since"}...], "describe": "latency=200ms", "database_lost": false}}. */
    Map<String, Object> state() {
        LiveFaults.Snapshot s = live.now();
        List<Map<String, Object>> on = new ArrayList<>();
        for (LiveFaults.On o : s.on().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", o.name());
            m.put("spec", o.spec());
            m.put("since", o.since().toString());
            on.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faults", on);
        m.put("describe", s.faults().describe());
        m.put("database_lost", gate.lost());
        return m;
    }

    @Override
    public void close() {
        if (server == null) return;
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the Vert.x instance closes it with the target anyway
        }
    }
}
