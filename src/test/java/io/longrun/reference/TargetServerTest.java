package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.db.DbSettings;
import io.longrun.testing.Await;
import io.longrun.testing.TestDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference target over real HTTP and a real PostgreSQL. */
class TargetServerTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> post(TargetServer t, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/event")).header("Content-Type", "application/json")
                .header("X-Scenario-Id", "t1").header("X-Emitter", "e1").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> health(TargetServer t) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String event(String id, String ts) {
        return "{\"id\":\"" + id + "\",\"timestamp\":\"" + ts + "\",\"category\":\"motion\",\"payload\":{\"state\":\"on\"}}";
    }

    @Test
    void storesValidEventsOnceAndRejectsInvalidOnesWithAReason() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            assertThat(health(t).statusCode()).isEqualTo(200);
            String id = "00000000-0000-0000-0000-000000000001";
            HttpResponse<String> r = post(t, event(id, "2025-12-23T12:00:00Z"));
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(post(t, event(id, "2025-12-23T12:00:00Z")).statusCode()).as("idempotent").isEqualTo(200);
            assertThat(post(t, event("00000000-0000-0000-0000-000000000002", "2025-12-23T12:00:00+00:00")).statusCode()).isEqualTo(201);
            assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(2);
            assertThat(TestDb.scalar(db, "select count(*) from events where scenario_id = 't1' and emitter = 'e1'")).isEqualTo(2);
            assertThat(TestDb.scalar(db, "select extract(epoch from \"timestamp\")::bigint from events where id = '" + id + "'"))
                    .isEqualTo(Instant.parse("2025-12-23T12:00:00Z").getEpochSecond());

            Map<String, String> bad = Map.of(
                    "not json", "body is not JSON",
                    "[1,2]", "body must be a JSON object",
                    event("nope", "2025-12-23T12:00:00Z"), "id must be a UUID",
                    event("00000000-0000-0000-0000-000000000003", "2025-12-23T13:00:00+01:00"), "timestamp must be UTC",
                    event("00000000-0000-0000-0000-000000000004", "2025-12-23 12:00:00"), "timestamp must be ISO-8601",
                    "{\"id\":\"00000000-0000-0000-0000-000000000005\",\"timestamp\":\"2025-12-23T12:00:00Z\",\"category\":\"\",\"payload\":{}}", "category must be a non-empty text",
                    "{\"id\":\"00000000-0000-0000-0000-000000000006\",\"timestamp\":\"2025-12-23T12:00:00Z\",\"category\":\"door\",\"payload\":\"open\"}", "payload must be a JSON object");
            for (Map.Entry<String, String> b : bad.entrySet()) {
                HttpResponse<String> res = post(t, b.getKey());
                assertThat(res.statusCode()).as(b.getKey()).isEqualTo(400);
                assertThat(res.body()).as(b.getKey()).contains(b.getValue());
            }
            assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(2);
            for (String table : List.of("deviations", "deviations_v1"))
                assertThat(TestDb.scalar(db, "select count(*) from " + table)).isZero();
        }
    }

    @Test
    void faultSwitchesDoWhatTheySay() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("error_rate=1", "latency=300ms")), Map.of())) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post(t, event("00000000-0000-0000-0000-000000000001", "2025-12-23T12:00:00Z"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).contains("fault error_rate");
        }
        DbSettings db2 = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db2, Faults.parse(List.of("down_after=0s")), Map.of())) {
            assertThat(health(t).statusCode()).isEqualTo(503);
            assertThat(post(t, event("00000000-0000-0000-0000-000000000001", "2025-12-23T12:00:00Z")).statusCode()).isEqualTo(503);
        }
        DbSettings db3 = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db3, Faults.parse(List.of("hot_loop=100/s")), Map.of())) {
            long rows = Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> TestDb.scalar(db3, "select count(*) from deviations"), n -> n >= 50);
            assertThat(rows).isGreaterThanOrEqualTo(50);
            assertThat(TestDb.scalar(db3, "select count(distinct (rule, subject)) from deviations")).isEqualTo(1);
        }
    }

    @Test
    void aBusyPortIsExit2NotASilentTargetWithoutAServer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            io.longrun.testing.Cli.Result r = new io.longrun.testing.Cli(dir).env("PGUSER", "postgres")
                    .run("target", "--port", Integer.toString(t.port()), "--db-url", db.url());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("port " + t.port() + " is not free").doesNotContain("\tat ");
            assertThat(health(t).statusCode()).as("the first target is untouched").isEqualTo(200);
        }
    }

    @Test
    void badFaultSpecsAreAllReported() {
        assertThatThrownBy(() -> Faults.parse(List.of("latency=soon", "error_rate=2", "explode=1", "hot_loop=fast")))
                .hasMessageContaining("--fault latency=soon: latency needs a duration")
                .hasMessageContaining("--fault error_rate=2: error_rate needs a share between 0 and 1")
                .hasMessageContaining("--fault explode=1: unknown fault \"explode\"; known: latency, error_rate, down_after, hot_loop, rate_limit, log_noise, repeated_exception, non_utc, slow_after, slow_latency, dup_deviations, db_bloat, lose")
                .hasMessageContaining("--fault hot_loop=fast: hot_loop needs a rate");
        assertThat(Faults.parse(List.of("hot_loop=600/m")).hotLoopPerSecond()).isEqualTo(10.0);
    }
}
