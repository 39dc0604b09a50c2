package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.DbSettings;
import io.longrun.testing.Await;
import io.longrun.testing.TestDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /ingest over real HTTP: every body kind, the counts, and the limits. */
class IngestTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> post(TargetServer t, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/ingest")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countsRecordsParseErrorsAndMissingFieldsOfEveryKindOfBody() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            record Case(String type, String body, int records, int errors, int noTs, int noLevel) {}
            List<Case> cases = List.of(
                    new Case("application/json", "{\"ts\":\"2026-01-01T00:00:00Z\",\"level\":\"INFO\",\"msg\":\"a\"}", 1, 0, 0, 0),
                    new Case("application/json", "[{\"ts\":1,\"level\":3,\"message\":\"x\"},{\"msg\":\"no ts, no level\"},7]", 3, 1, 1, 1),
                    new Case("application/json", "{not json", 1, 1, 0, 0),
                    new Case("application/x-ndjson", "{\"ts\":\"t\",\"level\":\"WARN\"}\n{broken\n{\"level\":\"INFO\"}\n", 3, 1, 1, 0),
                    new Case("text/csv", "ts,level,msg\n2026-01-01T00:00:00Z,INFO,hi\n,ERROR,\"quoted, msg\"\n2026-01-01T00:00:00Z,,x\nonly,two\n", 4, 1, 1, 1),
                    new Case("text/plain", "<134>1 2026-01-01T00:00:00.000Z web-01 auth 1234 GET - hello\n<131>1 - - auth 99 POST - x\n"
                            + "<134>Nov 23 17:30:05 web-01 auth[42]: classic\nnot syslog at all\n", 4, 1, 1, 0));
            for (Case c : cases) {
                HttpResponse<String> r = post(t, c.type, c.body);
                assertThat(r.statusCode()).as(c.body).isEqualTo(202);
                JsonNode j = JSON.readTree(r.body());
                assertThat(List.of(j.get("records").asInt(), j.get("parse_errors").asInt(), j.get("missing_ts").asInt(), j.get("missing_level").asInt()))
                        .as(c.type + ": " + c.body).containsExactly(c.records, c.errors, c.noTs, c.noLevel);
            }
            assertThat(TestDb.scalar(db, "select count(*) from ingest_batches")).isEqualTo(cases.size());
            assertThat(post(t, "application/xml", "<a/>").statusCode()).isEqualTo(415);
        }
    }

    @Test
    void answers413BeyondItsLimitsAnd429UnderRateLimit() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("rate_limit=5/s")), new TargetService.IngestLimits(200, 3), Map.of())) {
            HttpResponse<String> big = post(t, "application/json", "[" + "{\"msg\":\"x\"},".repeat(30) + "{}]");
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("too_large");
            HttpResponse<String> many = post(t, "application/json", "[{},{},{},{}]");
            assertThat(many.statusCode()).isEqualTo(413);
            assertThat(many.body()).contains("too_many_items");
            // 20 requests at once against 5/s: the bucket's 5 and 5 a second of the time they took go through, no
            // more (the bucket's own arithmetic is TokenBucketTest's, on a fake clock)
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++)
                all.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/ingest")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()));
            int passed = 0, limited = 0;
            for (var f : all) {
                int status = f.get().statusCode();
                if (status == 202) passed++;
                else if (status == 429) limited++;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(passed + limited).as("every answer a 202 or a 429").isEqualTo(20);
            assertThat((double) passed).as("passed in %.2f s at 5/s", seconds).isLessThanOrEqualTo(5 + 5 * seconds);
            // and the refusal, however slow this machine: requests sent faster than 5 a second meet a 429
            HttpResponse<String> refused = Await.until(Duration.ofSeconds(30), Duration.ZERO, () -> post(t, "application/json", "{}"),
                    x -> x.statusCode() == 429);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("rate_limited");
        }
    }
}
