package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.fault.ToxiproxyClient.ProxyInfo;
import io.longrun.fault.ToxiproxyClient.ToxicInfo;
import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.FaultSpec.Stream;
import io.longrun.scenario.ProxySpec;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code longrun proxy}'s Toxiproxy API, driven by longrun's own Toxiproxy client and engine (the ones used
 * against a real Toxiproxy), and by raw HTTP for the errors; the faults' effects checked through the proxy.
 */
class ToxiproxyApiTest {
    Upstream upstream;
    ProxyServer server;
    ToxiproxyClient client;
    String url;

    @BeforeEach
    void start() throws Exception {
        upstream = Upstream.echo();
        server = ProxyServer.start("127.0.0.1", 0, List.of(), 5, "longrun-test");
        url = "http://127.0.0.1:" + server.apiPort();
        client = new ToxiproxyClient(url, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        upstream.close();
    }

    record Raw(int status, JsonNode json) {}

    Raw raw(String method, String path, String body, String userAgent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).header("User-Agent", userAgent)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Raw(r.statusCode(), r.body().isBlank() ? null : ToxiproxyClient.JSON.readTree(r.body().startsWith("{") || r.body().startsWith("[")
                ? r.body() : "\"" + r.body().strip() + "\""));
    }

    Raw raw(String method, String path, String body) throws Exception {
        return raw(method, path, body, "curl/8");
    }

    String listen(String proxy) throws Exception {
        return client.proxy(proxy).orElseThrow().listen();
    }

    @Test
    void theEngineCreatesItsProxyAppliesConfirmsAndRemovesFaultsAndDeletesWhatItCreated() throws Exception {
        ToxiproxyEngine engine = new ToxiproxyEngine(client, "r1", Clock.SYSTEM);
        assertThat(engine.start(List.of(new ProxySpec("db", "127.0.0.1:0", upstream.address())))).isEmpty();
        assertThat(engine.describe()).isEqualTo("longrun proxy longrun-test at " + url);
        String address = listen("db");
        try (Peer c = new Peer(address)) {
            FaultHandle latency = engine.apply(ToxicEffectsTest.fault(Kind.LATENCY, Stream.DOWNSTREAM, "ms", 200));
            assertThat(latency.toxics()).containsExactly("longrun-r1-1");
            ToxicInfo t = client.toxic("db", "longrun-r1-1").orElseThrow();
            assertThat(t.type()).isEqualTo("latency");
            assertThat(t.toxicity()).isEqualTo(1.0);
            assertThat(t.attributes().get("latency").asLong()).isEqualTo(200);
            assertThat(c.roundTrip(ToxicEffectsTest.PING)).isGreaterThanOrEqualTo(200.0);
            FaultHandle down = engine.apply(ToxicEffectsTest.fault(Kind.DOWN, Stream.DOWNSTREAM));
            assertThat(client.proxy("db").orElseThrow().enabled()).isFalse();
            assertThat(c.readOutcome(20_000)).isEqualTo("eof");
            assertThatThrownBy(() -> new Peer(address)).isInstanceOf(ConnectException.class);
            assertThat(engine.active()).containsExactly(latency, down);
            engine.remove(down);
            engine.remove(latency);
            assertThat(client.proxy("db").orElseThrow().enabled()).isTrue();
            assertThat(client.toxics("db")).isEmpty();
        }
        try (Peer c = new Peer(address)) {
            assertThat(c.roundTrip(new byte[100])).isLessThan(200.0);
        }
        ProxyTraffic t = engine.traffic("db").orElseThrow(); // from /metrics, counted live by longrun proxy
        assertThat(t.upstreamReceived()).isGreaterThanOrEqualTo(100 + ToxicEffectsTest.PING.length);
        assertThat(t.live()).isTrue();
        engine.close();
        assertThat(client.proxies()).isEmpty(); // it created db, so it deleted it
    }

    @Test
    void proxiesAndToxicsCrudResetAndPopulate() throws Exception {
        ProxyInfo p = client.createProxy("db", "127.0.0.1:0", upstream.address(), true);
        assertThat(p.enabled()).isTrue();
        assertThat(ProxySpec.port(p.listen())).isPositive();
        assertThat(client.proxies()).extracting(ProxyInfo::name).containsExactly("db");
        assertThat(client.updateProxy("db", Map.of("enabled", false)).enabled()).isFalse();
        assertThatThrownBy(() -> new Peer(p.listen())).isInstanceOf(ConnectException.class);
        client.updateProxy("db", Map.of("enabled", true));
        client.addToxic("db", Map.of("name", "slow", "type", "latency", "stream", "upstream", "attributes", Map.of("latency", 300)));
        client.addToxic("db", Map.of("type", "bandwidth", "attributes", Map.of("rate", 100)));
        assertThat(client.toxics("db")).extracting(ToxicInfo::name).containsExactly("slow", "bandwidth_downstream"); // Toxiproxy's default name
        ToxicInfo changed = client.updateToxic("db", "slow", Map.of("attributes", Map.of("jitter", 10)));
        assertThat(changed.attributes().get("latency").asLong()).isEqualTo(300);
        assertThat(changed.attributes().get("jitter").asLong()).isEqualTo(10);
        try (Peer c = new Peer(p.listen())) {
            assertThat(c.roundTrip(ToxicEffectsTest.PING)).isGreaterThanOrEqualTo(290.0);
        }
        assertThat(client.removeToxic("db", "bandwidth_downstream")).isTrue();
        assertThat(client.removeToxic("db", "bandwidth_downstream")).isFalse();
        client.updateProxy("db", Map.of("enabled", false));
        client.reset(); // every toxic off, every proxy enabled
        assertThat(client.proxy("db").orElseThrow().toxics()).isEmpty();
        assertThat(client.proxy("db").orElseThrow().enabled()).isTrue();

        List<ProxyInfo> populated = client.populate(List.of(
                Map.of("name", "db", "listen", p.listen(), "upstream", upstream.address()),
                Map.of("name", "api", "listen", "127.0.0.1:0", "upstream", upstream.address(), "enabled", false)));
        assertThat(populated).extracting(ProxyInfo::name).containsExactly("db", "api");
        assertThat(populated.get(0).listen()).isEqualTo(p.listen());
        assertThat(populated.get(1).enabled()).isFalse();
        client.deleteProxy("api");
        assertThat(client.proxy("api")).isEmpty();
        try (Peer c = new Peer(p.listen())) {
            assertThat(c.roundTrip(ToxicEffectsTest.PING)).isLessThan(290.0);
        }
        assertThat(client.version()).isEqualTo("longrun-test");
        // new addresses: it restarts there and keeps its toxics, as Toxiproxy's update does
        client.addToxic("db", Map.of("name", "kept", "type", "latency", "attributes", Map.of("latency", 300)));
        ProxyInfo moved = client.updateProxy("db", Map.of("listen", "127.0.0.1:0"));
        assertThat(moved.listen()).isNotEqualTo(p.listen());
        assertThat(moved.toxics()).extracting(ToxicInfo::name).containsExactly("kept");
        assertThatThrownBy(() -> new Peer(p.listen())).isInstanceOf(ConnectException.class);
        try (Peer c = new Peer(moved.listen())) {
            assertThat(c.roundTrip(ToxicEffectsTest.PING)).isGreaterThanOrEqualTo(300.0);
        }
    }

    /** Which of 16 connections a toxic with toxicity 0.5 acted on, on a server with this seed. */
    List<Integer> affected(long seed) throws Exception {
        try (ProxyServer s = ProxyServer.start("127.0.0.1", 0, List.of(new ProxySpec("db", "127.0.0.1:0", upstream.address())), seed, "x")) {
            ToxiproxyClient c = new ToxiproxyClient("http://127.0.0.1:" + s.apiPort(), Duration.ofSeconds(5));
            c.addToxic("db", Map.of("type", "latency", "toxicity", 0.5, "attributes", Map.of("latency", 200)));
            String address = c.proxy("db").orElseThrow().listen();
            List<Integer> out = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                try (Peer p = new Peer(address)) {
                    double first = p.roundTrip(ToxicEffectsTest.PING), second = p.roundTrip(ToxicEffectsTest.PING);
                    // drawn once per connection: both round trips of a connection are slow, or neither
                    assertThat(first >= 200).isEqualTo(second >= 200);
                    if (first >= 200) out.add(i);
                }
            }
            return out;
        }
    }

    @Test
    void toxicityIsDrawnOncePerConnectionFromTheSeed() throws Exception {
        List<Integer> first = affected(3), again = affected(3);
        assertThat(first.size()).isBetween(2, 14); // 16 connections at 0.5: 8 expected
        assertThat(again).isEqualTo(first);
    }

    @Test
    void errorsAre404And409And400WithAJsonErrorAsToxiproxyAnswers() throws Exception {
        client.createProxy("db", "127.0.0.1:0", upstream.address(), true);
        client.addToxic("db", Map.of("name", "t", "type", "latency"));
        assertThat(raw("GET", "/proxies/nope", null)).isEqualTo(new Raw(404, json("{\"error\":\"proxy not found\",\"status\":404}")));
        assertThat(raw("GET", "/proxies/db/toxics/nope", null).json().get("error").asText()).isEqualTo("toxic not found");
        assertThat(raw("DELETE", "/proxies/db/toxics/nope", null).status()).isEqualTo(404);
        assertThat(raw("POST", "/proxies/nope/toxics", "{\"type\":\"latency\"}").status()).isEqualTo(404);
        Raw dup = raw("POST", "/proxies", "{\"name\":\"db\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + upstream.address() + "\"}");
        assertThat(dup).isEqualTo(new Raw(409, json("{\"error\":\"proxy already exists\",\"status\":409}")));
        assertThat(raw("POST", "/proxies/db/toxics", "{\"name\":\"t\",\"type\":\"latency\"}"))
                .isEqualTo(new Raw(409, json("{\"error\":\"toxic already exists\",\"status\":409}")));
        assertThat(raw("POST", "/proxies/db/toxics", "{\"type\":\"mars\"}").json().get("error").asText()).isEqualTo("invalid toxic type");
        assertThat(raw("POST", "/proxies/db/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}").json().get("error").asText())
                .isEqualTo("stream was invalid, can be either upstream or downstream");
        assertThat(raw("POST", "/proxies", "{\"upstream\":\"127.0.0.1:1\"}").json().get("error").asText()).isEqualTo("missing required field: name");
        assertThat(raw("POST", "/proxies", "{not json").status()).isEqualTo(400);
        assertThat(raw("GET", "/proxies", null, "Mozilla/5.0").status()).isEqualTo(403);
        // longrun's client says the same, with the status
        assertThatThrownBy(() -> client.addToxic("db", Map.of("name", "t", "type", "latency")))
                .isInstanceOfSatisfying(ToxiproxyError.class, e -> assertThat(e.status).isEqualTo(409))
                .hasMessage("Toxiproxy at " + url + ": POST /proxies/db/toxics: 409 toxic already exists");
        assertThatThrownBy(() -> client.updateProxy("nope", Map.of("enabled", true)))
                .isInstanceOfSatisfying(ToxiproxyError.class, e -> assertThat(e.error).isEqualTo("proxy not found"));
        assertThatThrownBy(() -> new ToxiproxyClient("http://127.0.0.1:1", Duration.ofSeconds(2)).version())
                .hasMessage("cannot reach Toxiproxy at http://127.0.0.1:1: connection refused");
    }

    static JsonNode json(String s) throws Exception {
        return ToxiproxyClient.JSON.readTree(s);
    }

    @Test
    void aToxicTypeLongrunDoesNotUseIsListedAndLeftAloneAndLeftoversOfARunAreNamed() throws Exception {
        client.createProxy("db", "127.0.0.1:0", upstream.address(), true);
        // slow_close: a Toxiproxy type that no longrun fault makes, added by someone else
        raw("POST", "/proxies/db/toxics", "{\"name\":\"theirs\",\"type\":\"slow_close\",\"attributes\":{\"delay\":50}}");
        ToxiproxyEngine engine = new ToxiproxyEngine(client, "r2", Clock.SYSTEM);
        assertThat(engine.start(List.of(new ProxySpec("db", listen("db"), upstream.address()))))
                .containsExactly("proxy db has toxics longrun did not add; they act for the whole run: theirs (slow_close, downstream, {\"delay\":50})");
        engine.apply(ToxicEffectsTest.fault(Kind.LATENCY, Stream.DOWNSTREAM, "ms", 10));
        // the run is killed here: its toxic stays, and the next run refuses to start on it
        ToxiproxyEngine next = new ToxiproxyEngine(client, "r3", Clock.SYSTEM);
        assertThatThrownBy(() -> next.start(List.of(new ProxySpec("db", listen("db"), upstream.address()))))
                .hasMessageContaining("proxy db still has toxics a longrun run left: longrun-r2-1 (latency, downstream")
                .hasMessageEndingWith("remove them with: longrun faults reset --toxiproxy " + url);
        client.updateProxy("db", Map.of("enabled", false));
        assertThat(FaultReset.run(client, false)).containsExactly(
                "removed longrun-r2-1 (latency, downstream, {\"latency\":10,\"jitter\":0}) from db", "enabled db (it was disabled)");
        assertThat(client.toxics("db")).extracting(ToxicInfo::name).containsExactly("theirs");
        assertThat(FaultReset.run(client, true)).containsExactly("removed theirs (slow_close, downstream, {\"delay\":50}) from db");
        assertThat(FaultReset.run(client, true)).isEmpty();
    }

    @Test
    void lossIsOfferedByLongrunProxyAndRefusedClearlyByAnyOtherServer() throws Exception {
        ToxiproxyEngine engine = new ToxiproxyEngine(client, "r4", Clock.SYSTEM);
        engine.start(List.of(new ProxySpec("db", "127.0.0.1:0", upstream.address())));
        var loss = ToxicEffectsTest.fault(Kind.LOSS, Stream.DOWNSTREAM, "pct", 100);
        assertThat(engine.check(List.of(loss))).isEmpty();
        try (Peer c = new Peer(listen("db"))) {
            FaultHandle h = engine.apply(loss);
            c.socket.getOutputStream().write(ToxicEffectsTest.PING);
            assertThat(c.readOutcome(1500)).isEqualTo("timeout");
            engine.remove(h);
            assertThat(c.readExactly(ToxicEffectsTest.PING.length)).isEqualTo(ToxicEffectsTest.PING);
        }
        engine.close();
        // a server that says it is Toxiproxy 2.12.0 (its own version text) gets no loss
        try (ProxyServer toxiproxy = ProxyServer.start("127.0.0.1", 0, List.of(), 5, "2.12.0")) {
            String other = "http://127.0.0.1:" + toxiproxy.apiPort();
            ToxiproxyEngine e = new ToxiproxyEngine(new ToxiproxyClient(other, Duration.ofSeconds(5)), "r5", Clock.SYSTEM);
            e.start(List.of(new ProxySpec("db", "127.0.0.1:0", upstream.address())));
            String why = "loss 100% (emulated) on db (downstream): Toxiproxy 2.12.0 at " + other + " has no packet loss (Toxiproxy cannot "
                    + "emulate it; a packet_loss toxic drops bytes from the TCP stream instead). Use longrun's embedded proxy (leave "
                    + "fault_engine out) or point fault_engine at longrun proxy";
            assertThat(e.check(List.of(loss))).containsExactly(why);
            assertThatThrownBy(() -> e.apply(loss)).hasMessage(why);
            assertThat(e.describe()).isEqualTo("Toxiproxy 2.12.0 at " + other);
            e.close();
        }
    }
}
