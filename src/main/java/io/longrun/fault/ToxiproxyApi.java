package io.longrun.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The subset of Toxiproxy's HTTP API that longrun uses, served over the embedded proxies, so that the same
 * {@link ToxiproxyEngine} and other tools that speak Toxiproxy drive {@code longrun proxy}: proxies and toxics
 * CRUD, {@code /reset}, {@code /populate}, {@code /version}, and {@code /metrics} (Toxiproxy's byte counters).
 * Errors are Toxiproxy's: a status and {@code {"error": ..., "status": ...}}. As Toxiproxy does, requests from a
 * browser (a {@code Mozilla/} user agent) are refused, so a web page cannot reach the API through the browser.
 */
public final class ToxiproxyApi implements AutoCloseable {
    private final ProxyHub hub;
    private final String version;
    private final HttpServer server;

    private ToxiproxyApi(ProxyHub hub, String version, HttpServer server) {
        this.hub = hub;
        this.version = version;
        this.server = server;
    }

    /** Serves the API for {@code hub} on host:port (port 0: a free one, see {@link #port()}). */
    static ToxiproxyApi start(ProxyHub hub, String host, int port, String version) throws FaultException {
        HttpServer server = hub.vertx().createHttpServer();
        ToxiproxyApi api = new ToxiproxyApi(hub, version, server);
        server.requestHandler(api::handle);
        try {
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new FaultException("cannot serve the API on " + host + ":" + port + ": " + FaultException.reason(e));
        }
        return api;
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the hub's event loop closes it anyway
        }
    }

    private void handle(HttpServerRequest req) {
        if (req.getHeader("User-Agent") != null && req.getHeader("User-Agent").startsWith("Mozilla/")) {
            plain(req.response(), 403, "User agent not allowed");
            return;
        }
        req.body().onComplete(ar -> {
            HttpServerResponse res = req.response();
            try {
                JsonNode body = ar.succeeded() && ar.result().length() > 0 ? parse(ar.result()) : null;
                route(req.method(), segments(req.path()), body).whenComplete((answer, e) -> {
                    if (e == null) send(res, answer);
                    else error(res, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                });
            } catch (RuntimeException e) {
                error(res, e);
            }
        });
    }

    /** An answer: a status and a JSON body (null: none), or Prometheus text. */
    private record Answer(int status, Object json, String text) {
        static CompletableFuture<Answer> of(int status, Object json) {
            return CompletableFuture.completedFuture(new Answer(status, json, null));
        }
    }

    private CompletableFuture<Answer> route(HttpMethod m, List<String> s, JsonNode body) {
        int n = s.size();
        String p = n > 1 ? s.get(1) : null, t = n > 3 ? s.get(3) : null;
        String first = n > 0 ? s.get(0) : "";
        boolean get = m == HttpMethod.GET, post = m == HttpMethod.POST, patch = m == HttpMethod.PATCH, delete = m == HttpMethod.DELETE;
        if (first.equals("version") && n == 1 && get) return Answer.of(200, Map.of("version", version));
        if (first.equals("metrics") && n == 1 && get) return CompletableFuture.completedFuture(new Answer(200, null, ApiJson.metrics(hub)));
        if (first.equals("reset") && n == 1 && post) return reset();
        if (first.equals("populate") && n == 1 && post) return populate(body);
        if (!first.equals("proxies")) throw ApiError.notFound("not found");
        if (n == 1 && get) return Answer.of(200, ApiJson.proxies(hub));
        if (n == 1 && post) return createProxy(body);
        if (n == 2 && get) return Answer.of(200, ApiJson.proxy(hub.require(p)));
        if (n == 2 && (post || patch)) return updateProxy(hub.require(p), body);
        if (n == 2 && delete) return hub.delete(p).thenApply(v -> new Answer(204, null, null));
        if (n >= 3 && s.get(2).equals("toxics")) {
            TcpProxy proxy = hub.require(p);
            if (n == 3 && get) return Answer.of(200, proxy.toxics().stream().map(Toxic::json).toList());
            if (n == 3 && post) {
                Toxic toxic = ApiJson.newToxic(body);
                return proxy.add(toxic).thenApply(v -> new Answer(200, toxic.json(), null));
            }
            Toxic found = n == 4 ? proxy.toxic(t).orElseThrow(() -> ApiError.notFound("toxic not found")) : null;
            if (n == 4 && get) return Answer.of(200, found.json());
            if (n == 4 && (post || patch)) {
                Toxic changed = ApiJson.changedToxic(found, body);
                return proxy.replace(changed).thenApply(v -> new Answer(200, changed.json(), null));
            }
            if (n == 4 && delete)
                return proxy.remove(t).orElseThrow(() -> ApiError.notFound("toxic not found")).thenApply(v -> new Answer(204, null, null));
        }
        throw n <= 4 ? new ApiError(405, "method not allowed") : ApiError.notFound("not found");
    }

    private CompletableFuture<Answer> reset() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (TcpProxy p : hub.all()) all.add(p.reset());
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> new Answer(204, null, null));
    }

    private CompletableFuture<Answer> createProxy(JsonNode body) {
        ApiJson.NewProxy np = ApiJson.newProxy(body, "");
        return hub.create(np.name(), np.listen(), np.upstream(), np.enabled()).thenApply(p -> new Answer(201, ApiJson.proxy(p), null));
    }

    private CompletableFuture<Answer> updateProxy(TcpProxy p, JsonNode body) {
        if (body == null || !body.isObject()) throw ApiError.badRequest("bad request body: expected a JSON object");
        String listen = body.path("listen").asText(p.listen()), upstream = body.path("upstream").asText(p.upstream());
        boolean enabled = body.path("enabled").asBoolean(p.enabled());
        CompletableFuture<Void> moved = CompletableFuture.completedFuture(null);
        if (!listen.equals(p.listen()) || !upstream.equals(p.upstream())) {
            ApiJson.checkAddresses(listen, upstream, "");
            moved = p.readdress(listen, upstream); // as Toxiproxy: it restarts on the new addresses, toxics kept
        }
        return moved.thenCompose(v -> enabled ? p.enable() : p.disable()).thenApply(v -> new Answer(200, ApiJson.proxy(p), null));
    }

    /** Creates or replaces each proxy listed, after checking them all (Toxiproxy's populate). */
    private CompletableFuture<Answer> populate(JsonNode body) {
        if (body == null || !body.isArray()) throw ApiError.badRequest("bad request body: expected a JSON list of proxies");
        List<ApiJson.NewProxy> list = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) list.add(ApiJson.newProxy(body.get(i), " at proxy " + (i + 1)));
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        List<TcpProxy> out = new ArrayList<>();
        for (ApiJson.NewProxy np : list) {
            chain = chain.thenCompose(v -> {
                TcpProxy old = hub.get(np.name()).orElse(null);
                if (old != null && old.listen().equals(np.listen()) && old.upstream().equals(np.upstream())) {
                    out.add(old);
                    return np.enabled() ? old.enable() : old.disable();
                }
                CompletableFuture<Void> gone = old == null ? CompletableFuture.completedFuture(null) : hub.delete(np.name());
                return gone.thenCompose(x -> hub.create(np.name(), np.listen(), np.upstream(), np.enabled())).thenAccept(out::add);
            });
        }
        return chain.thenApply(v -> new Answer(201, Map.of("proxies", out.stream().map(ApiJson::proxy).toList()), null));
    }

    private static void send(HttpServerResponse res, Answer a) {
        res.setStatusCode(a.status);
        if (a.text != null) {
            res.putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(a.text);
        } else if (a.json == null) {
            res.end();
        } else {
            res.putHeader("Content-Type", "application/json").end(ApiJson.write(a.json));
        }
    }

    private static void error(HttpServerResponse res, Throwable e) {
        ApiError a = e instanceof ApiError x ? x : new ApiError(500, FaultException.reason(e));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", a.getMessage());
        body.put("status", a.status);
        res.setStatusCode(a.status).putHeader("Content-Type", "application/json").end(ApiJson.write(body) + "\n");
    }

    private static void plain(HttpServerResponse res, int status, String text) {
        res.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(text + "\n");
    }

    private static JsonNode parse(Buffer b) {
        try {
            return ToxiproxyClient.JSON.readTree(b.getBytes());
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("bad request body: " + FaultException.reason(e).split(" at \\[")[0].toLowerCase(Locale.ROOT));
        }
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        return out;
    }
}
