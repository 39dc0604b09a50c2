package io.longrun.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.longrun.scenario.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Toxiproxy's HTTP API, spoken as plain JSON with the JDK's HTTP client: no typed third-party client, so that a
 * toxic type longrun does not know is carried as it is (its attributes stay raw JSON) and breaks nothing. Every
 * call has {@code timeout}. Errors come back as {@link ToxiproxyError} (status and Toxiproxy's {@code error}) or a
 * {@link FaultException} when the server cannot be reached.
 */
public final class ToxiproxyClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A proxy as the API lists it. */
    public record ProxyInfo(String name, String listen, String upstream, boolean enabled, List<ToxicInfo> toxics) {
        static ProxyInfo of(JsonNode n) {
            List<ToxicInfo> toxics = new ArrayList<>();
            for (JsonNode t : n.path("toxics")) toxics.add(ToxicInfo.of(t));
            return new ProxyInfo(n.path("name").asText(), n.path("listen").asText(), n.path("upstream").asText(),
                    n.path("enabled").asBoolean(true), toxics);
        }
    }

    /** A toxic as the API lists it; its attributes are kept as the server sent them, whatever the type. */
    public record ToxicInfo(String name, String type, String stream, double toxicity, JsonNode attributes) {
        static ToxicInfo of(JsonNode n) {
            return new ToxicInfo(n.path("name").asText(), n.path("type").asText(), n.path("stream").asText("downstream"),
                    n.path("toxicity").asDouble(1), n.has("attributes") ? n.get("attributes") : MissingNode.getInstance());
        }

        /** {@code longrun-r1-1 (latency, downstream, {"latency":200,"jitter":0})}. */
        public String describe() {
            return name + " (" + type + ", " + stream + (attributes.isMissingNode() ? "" : ", " + attributes) + ")";
        }
    }

    private final String url;
    private final Duration timeout;
    private final HttpClient http;

    public ToxiproxyClient(String url, Duration timeout) {
        this.url = url.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String url() {
        return url;
    }

    /** The server's version text ({@code /version}). */
    public String version() throws FaultException {
        JsonNode n = call("GET", "/version", null, 200).body;
        return n.has("version") ? n.get("version").asText() : n.asText();
    }

    public List<ProxyInfo> proxies() throws FaultException {
        List<ProxyInfo> out = new ArrayList<>();
        for (Iterator<JsonNode> it = call("GET", "/proxies", null, 200).body.elements(); it.hasNext(); ) out.add(ProxyInfo.of(it.next()));
        return out;
    }

    /** A proxy, or empty when the server has none of that name. */
    public Optional<ProxyInfo> proxy(String name) throws FaultException {
        Answer a = call("GET", "/proxies/" + seg(name), null, 200, 404);
        return a.status == 404 ? Optional.empty() : Optional.of(ProxyInfo.of(a.body));
    }

    public ProxyInfo createProxy(String name, String listen, String upstream, boolean enabled) throws FaultException {
        Map<String, Object> body = Map.of("name", name, "listen", listen, "upstream", upstream, "enabled", enabled);
        return ProxyInfo.of(call("POST", "/proxies", body, 201, 200).body);
    }

    /** Changes a proxy's fields given (enabled, listen, upstream). */
    public ProxyInfo updateProxy(String name, Map<String, Object> fields) throws FaultException {
        return ProxyInfo.of(call("POST", "/proxies/" + seg(name), fields, 200).body);
    }

    public void deleteProxy(String name) throws FaultException {
        call("DELETE", "/proxies/" + seg(name), null, 204, 200);
    }

    public List<ToxicInfo> toxics(String proxy) throws FaultException {
        List<ToxicInfo> out = new ArrayList<>();
        for (JsonNode t : call("GET", "/proxies/" + seg(proxy) + "/toxics", null, 200).body) out.add(ToxicInfo.of(t));
        return out;
    }

    /** A toxic, or empty when the proxy has none of that name. */
    public Optional<ToxicInfo> toxic(String proxy, String name) throws FaultException {
        Answer a = call("GET", "/proxies/" + seg(proxy) + "/toxics/" + seg(name), null, 200, 404);
        return a.status == 404 ? Optional.empty() : Optional.of(ToxicInfo.of(a.body));
    }

    /** Adds a toxic: {@code {name, type, stream, toxicity, attributes}}. */
    public ToxicInfo addToxic(String proxy, Map<String, Object> toxic) throws FaultException {
        return ToxicInfo.of(call("POST", "/proxies/" + seg(proxy) + "/toxics", toxic, 200, 201).body);
    }

    /** Changes a toxic's attributes or toxicity. */
    public ToxicInfo updateToxic(String proxy, String name, Map<String, Object> fields) throws FaultException {
        return ToxicInfo.of(call("POST", "/proxies/" + seg(proxy) + "/toxics/" + seg(name), fields, 200).body);
    }

    /** Removes a toxic; false when it was not there. */
    public boolean removeToxic(String proxy, String name) throws FaultException {
        return call("DELETE", "/proxies/" + seg(proxy) + "/toxics/" + seg(name), null, 204, 200, 404).status != 404;
    }

    /** Every toxic off and every proxy enabled, on the whole server. */
    public void reset() throws FaultException {
        call("POST", "/reset", null, 204, 200);
    }

    /** Creates or replaces proxies in one call: {@code [{name, listen, upstream, enabled}]}. */
    public List<ProxyInfo> populate(List<Map<String, Object>> proxies) throws FaultException {
        List<ProxyInfo> out = new ArrayList<>();
        for (JsonNode p : call("POST", "/populate", proxies, 201, 200).body.path("proxies")) out.add(ProxyInfo.of(p));
        return out;
    }

    /** The Prometheus text of {@code /metrics}, or empty when the server does not serve it. */
    public Optional<String> metrics() throws FaultException {
        Answer a = call("GET", "/metrics", null, 200, 404);
        return a.status == 404 ? Optional.empty() : Optional.of(a.text);
    }

    private record Answer(int status, JsonNode body, String text) {}

    private Answer call(String method, String path, Object body, int... ok) throws FaultException {
        String where = "Toxiproxy at " + url + ": " + method + " " + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout)
                .header("User-Agent", "longrun").header("Accept", "application/json");
        try {
            if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
            else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = parse(r.body());
            for (int s : ok) if (r.statusCode() == s) return new Answer(s, json, r.body());
            String error = json.has("error") ? json.get("error").asText() : r.body().isBlank() ? "(no error text)" : r.body().strip();
            throw new ToxiproxyError(where, r.statusCode(), error);
        } catch (HttpTimeoutException e) {
            throw new FaultException(where + ": no answer within " + Durations.format(timeout));
        } catch (ConnectException e) {
            throw new FaultException("cannot reach Toxiproxy at " + url + ": connection refused");
        } catch (IOException e) {
            throw new FaultException(where + ": " + FaultException.reason(e) + " (is this Toxiproxy's API?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultException(where + ": interrupted");
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
