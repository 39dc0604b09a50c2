package io.longrun.reference;

import static io.longrun.reference.TargetFaultsTest.JSON;
import static io.longrun.reference.TargetFaultsTest.event;
import static io.longrun.reference.TargetFaultsTest.health;
import static io.longrun.reference.TargetFaultsTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.testing.Cli;
import io.longrun.testing.TestDb;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime fault API over real HTTP, on its own port: what it answers, and that what it switches on and off
 * takes effect and goes away without a restart (the effects themselves are seen from outside in
 * {@link RuntimeFaultsTest}).
 */
class FaultApiTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static TargetServer start(DbSettings db, String... faults) throws Exception {
        return TargetServer.start(TargetFaultsTest.config(db, faults).withFaultApi("127.0.0.1", 0));
    }

    static HttpResponse<String> api(TargetServer t, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.faultApiPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Switches {@code specs} on; asserts 200. */
    static JsonNode on(TargetServer t, String... specs) throws Exception {
        List<String> quoted = new ArrayList<>();
        for (String s : specs) quoted.add("\"" + s + "\"");
        HttpResponse<String> r = api(t, "POST", "/faults", "{\"fault\": [" + String.join(",", quoted) + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Switches {@code name} off; asserts 200. */
    static JsonNode off(TargetServer t, String name) throws Exception {
        HttpResponse<String> r = api(t, "DELETE", "/faults/" + name, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static List<String> specs(JsonNode state) {
        List<String> out = new ArrayList<>();
        state.get("faults").forEach(f -> out.add(f.get("spec").asText()));
        return out;
    }

    @Test
    void getPostAndDeleteSayWhatIsOnAndFaultsTakeEffectWithoutARestart() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = start(db, "latency=10ms")) {
            assertThat(t.faultApiPort()).isPositive().isNotEqualTo(t.port());
            JsonNode state = JSON.readTree(api(t, "GET", "/faults", null).body());
            assertThat(specs(state)).containsExactly("latency=10ms");
            assertThat(state.get("faults").get(0).get("name").asText()).isEqualTo("latency");
            assertThat(state.get("database_lost").asBoolean()).isFalse();

            HttpResponse<String> one = api(t, "POST", "/faults", "{\"fault\": \"error_rate=1\"}");
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(specs(JSON.readTree(one.body()))).containsExactly("latency=10ms", "error_rate=1");
            assertThat(post(t, "/event", event(UUID.randomUUID(), "2026-11-29T10:00:00Z", "hall")).statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(api(t, "POST", "/faults", "[\"down_after=0s\", \"latency=20ms\"]").body()).get("describe").asText())
                    .isEqualTo("latency=20ms error_rate=1.0 down_after=0s");
            assertThat(health(t).statusCode()).isEqualTo(503);

            assertThat(specs(off(t, "down_after"))).containsExactly("error_rate=1", "latency=20ms");
            assertThat(health(t).statusCode()).isEqualTo(200);
            HttpResponse<String> all = api(t, "DELETE", "/faults", null);
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(all.body()).get("faults").size()).isZero();
            assertThat(JSON.readTree(all.body()).get("describe").asText()).isEqualTo("none");
            assertThat(post(t, "/event", event(UUID.randomUUID(), "2026-11-29T10:00:00Z", "hall")).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void badRequestsAreRefusedWithTheReasonAndChangeNothing() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = start(db, "lenient")) {
            HttpResponse<String> bad = api(t, "POST", "/faults", "{\"fault\": [\"error_rate=2\", \"latency=soon\", \"dup_events\"]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("problems")).extracting(JsonNode::asText).containsExactly(
                    "fault error_rate=2: error_rate needs a share between 0 and 1, e.g. error_rate=0.2",
                    "fault latency=soon: latency needs a duration, e.g. latency=200ms");
            HttpResponse<String> unknown = api(t, "POST", "/faults", "{\"fault\": \"explode\"}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(unknown.body()).get("error").asText()).startsWith("fault explode: unknown fault \"explode\"; known: latency, ");
            for (String body : new String[] {"", "latency=200ms", "{\"faults\": \"latency=200ms\"}", "{\"fault\": 3}", "{\"fault\": []}"}) {
                HttpResponse<String> r = api(t, "POST", "/faults", body);
                assertThat(r.statusCode()).as(body).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).get("error").asText()).as(body).startsWith("the body must be JSON: {\"fault\": \"latency=200ms\"}");
            }
            assertThat(specs(JSON.readTree(api(t, "GET", "/faults", null).body()))).as("nothing changed").containsExactly("lenient");

            HttpResponse<String> notOn = api(t, "DELETE", "/faults/latency", null);
            assertThat(notOn.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(notOn.body()).get("error").asText()).isEqualTo("fault latency is not on; on: lenient");
            assertThat(api(t, "DELETE", "/faults/explode", null).statusCode()).isEqualTo(404);
            assertThat(api(t, "PUT", "/faults", "{}").statusCode()).isEqualTo(405);
            assertThat(api(t, "GET", "/other", null).statusCode()).isEqualTo(404);
            HttpResponse<String> browser = api(t, "POST", "/faults", "{\"fault\": \"error_rate=1\"}", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64)");
            assertThat(browser.statusCode()).isEqualTo(403);
            assertThat(specs(JSON.readTree(api(t, "GET", "/faults", null).body()))).as("nothing changed").containsExactly("lenient");
        }
    }

    @Test
    void theApiIsOffUnlessAskedForAndBindsLoopbackOnly() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(TargetFaultsTest.config(db))) {
            assertThat(t.faultApiPort()).isZero();
        }
        try (TargetServer t = start(db)) {
            String other = java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).map(java.net.InetAddress::getHostAddress).findFirst().orElse(null);
            if (other != null) {
                try (java.net.Socket s = new java.net.Socket()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(new InetSocketAddress(other, t.faultApiPort()), 1000))
                            .as("not reachable on " + other).isInstanceOf(java.io.IOException.class);
                }
            }
        }
    }

    @Test
    void theFlagSaysWhereAndABadOneIsAClearError() throws Exception {
        Cli.Result r = new Cli(dir).run("target", "--db-url", "jdbc:postgresql://127.0.0.1:5432/x", "--fault-api", "here:later");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.all()).contains("--fault-api must be HOST:PORT, PORT (on 127.0.0.1) or off, e.g. --fault-api 127.0.0.1:8001; got \"here:later\"")
                .doesNotContain("Exception");
        Cli.Result bad = new Cli(dir).run("target", "--db-url", "jdbc:postgresql://127.0.0.1:5432/x", "--fault-api", "70000");
        assertThat(bad.code()).isEqualTo(2);
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = start(db)) {
            Cli.Result taken = new Cli(dir).env("PGUSER", "postgres").run("target", "--port", "0", "--metrics-port", "0", "--db-url", db.url(),
                    "--fault-api", "127.0.0.1:" + t.faultApiPort());
            assertThat(taken.code()).as(taken.all()).isEqualTo(2);
            assertThat(taken.all()).contains("the fault API cannot listen on 127.0.0.1:" + t.faultApiPort() + ": ").doesNotContain("Exception");
        }
    }
}
