package io.longrun.reference;

import static io.longrun.reference.TargetFaultsTest.JSON;
import static io.longrun.reference.TargetFaultsTest.config;
import static io.longrun.reference.TargetFaultsTest.event;
import static io.longrun.reference.TargetFaultsTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.db.StatsQuery;
import io.longrun.testing.TestDb;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Faults dup_events and lenient from outside: what the target answers over HTTP and what PostgreSQL then holds, read
 * with plain SQL as a ledger check would.
 */
class DupEventsAndLenientTest {
    static final String TS = "2026-11-29T10:00:00Z";

    @Test
    void dupEventsStoresEveryNewEventTwiceWithTheSameIdAndAResendNoMore() throws Exception {
        DbSettings db = TestDb.freshSchema();
        UUID a = UUID.randomUUID(), b = UUID.randomUUID();
        try (TargetServer t = TargetServer.start(config(db, "dup_events"))) {
            assertThat(post(t, "/event", event(a, TS, "hall")).statusCode()).isEqualTo(201);
            assertThat(post(t, "/event", event(b, TS, "hall")).statusCode()).isEqualTo(201);
            HttpResponse<String> again = post(t, "/event", event(a, TS, "hall"));
            assertThat(again.statusCode()).as("a resend is no new event").isEqualTo(200);
        }
        assertThat(TestDb.scalar(db, "select count(*) from (select id from events group by id having count(*) = 2) d")).isEqualTo(2);
        assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(4);
        assertThat(TestDb.scalar(db, "select count(*) - count(distinct id) from events")).as("the README's duplicate_rows query").isEqualTo(2);
        assertThat(TestDb.scalar(db, "select count(*) from only events")).as("the first rows, in events itself").isEqualTo(2);
        assertThat(TestDb.scalar(db, "select count(*) from events_dup e join only events o using (id, \"timestamp\", category, payload)"))
                .as("the second row is the same event").isEqualTo(2);
        long events = TestDb.scalar(db, "select 'events'::regclass::oid"), dup = TestDb.scalar(db, "select 'events_dup'::regclass::oid");
        try (var c = TestDb.connect(db)) {
            assertThat(new StatsQuery(List.of(events), Duration.ofMinutes(1)).read(c, false).leaves()).extracting(StatsQuery.Leaf::oid)
                    .as("the database watcher sums events_dup with events").contains(events, dup);
        }

        DbSettings clean = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(config(clean))) {
            assertThat(post(t, "/event", event(a, TS, "hall")).statusCode()).isEqualTo(201);
        }
        assertThat(TestDb.scalar(clean, "select count(*) from events")).as("without the fault: once").isEqualTo(1);
        assertThat(TestDb.scalar(clean, "select count(*) from events_dup")).isZero();
        try (var c = TestDb.connect(clean); var st = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.execute("insert into events (id, \"timestamp\", category, payload) "
                    + "values ('" + a + "', now(), 'x', '{}')")).as("events.id is still the primary key").hasMessageContaining("duplicate key");
        }
    }

    /** The documented id of a body without a UUID: MD5 of its bytes as a version-3 UUID (Python: uuid.UUID(bytes=md5(body).digest(), version=3)). */
    static UUID v3(String body) throws Exception {
        byte[] h = MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x30);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        ByteBuffer bb = ByteBuffer.wrap(h);
        return new UUID(bb.getLong(), bb.getLong());
    }

    /** The stored row of {@code id}: timestamp (epoch s), category, payload. */
    static JsonNode row(DbSettings db, UUID id) throws Exception {
        try (var c = TestDb.connect(db); var st = c.createStatement(); var rs = st.executeQuery(
                "select json_build_object('ts', extract(epoch from \"timestamp\")::bigint, 'category', category, 'payload', payload)::text, count(*) over () "
                        + "from events where id = '" + id + "'")) {
            assertThat(rs.next()).as("a row for " + id).isTrue();
            assertThat(rs.getLong(2)).as("one row for " + id).isEqualTo(1);
            return JSON.readTree(rs.getString(1));
        }
    }

    @Test
    void lenientAcceptsWhatShouldBeRejectedAndStoresItAsBestItCan() throws Exception {
        DbSettings db = TestDb.freshSchema();
        UUID wrongTypes = UUID.randomUUID(), missing = UUID.randomUUID(), offset = UUID.randomUUID(), local = UUID.randomUUID(),
                valid = UUID.randomUUID();
        String truncated = "{\"id\": \"" + UUID.randomUUID() + "\", \"timest";
        String badId = "{\"id\": \"nope\", \"timestamp\": \"" + TS + "\", \"category\": \"motion\", \"payload\": {\"room\": \"hall\"}}";
        String array = "[1, 2]";
        String types = "{\"id\": \"" + wrongTypes + "\", \"timestamp\": 12345, \"category\": 7, \"payload\": \"on\"}";
        long before = Instant.now().getEpochSecond();
        try (TargetServer t = TargetServer.start(config(db, "lenient"))) {
            for (String body : new String[] {truncated, badId, array, types, "{\"id\": \"" + missing + "\"}",
                    event(offset, "2026-11-29T12:00:00+02:00", "porch"), event(local, "2026-11-29T10:00:00", "attic"), event(valid, TS, "hall")}) {
                HttpResponse<String> r = post(t, "/event", body);
                assertThat(r.statusCode()).as(body).isEqualTo(201);
                assertThat(r.body()).contains("\"stored\":true");
            }
            assertThat(post(t, "/event", truncated).statusCode()).as("the same bad body: the same id").isEqualTo(200);
        }
        long after = Instant.now().getEpochSecond();

        JsonNode notJson = row(db, v3(truncated));
        assertThat(notJson.get("category").asText()).isEqualTo("unknown");
        assertThat(notJson.at("/payload/raw").asText()).isEqualTo(truncated);
        assertThat(notJson.get("ts").asLong()).as("the time received").isBetween(before, after + 1);

        JsonNode noId = row(db, v3(badId));
        assertThat(noId.get("ts").asLong()).isEqualTo(Instant.parse(TS).getEpochSecond());
        assertThat(noId.at("/payload/room").asText()).isEqualTo("hall");
        assertThat(row(db, v3(array)).at("/payload/raw").asText()).isEqualTo(array);

        JsonNode typed = row(db, wrongTypes);
        assertThat(typed.get("category").asText()).isEqualTo("7");
        assertThat(typed.at("/payload/raw").asText()).isEqualTo(types);
        assertThat(typed.get("ts").asLong()).isBetween(before, after + 1);

        JsonNode bare = row(db, missing);
        assertThat(bare.get("category").asText()).isEqualTo("unknown");
        assertThat(bare.at("/payload/raw").asText()).isEqualTo("{\"id\": \"" + missing + "\"}");

        assertThat(row(db, offset).get("ts").asLong()).as("a non-UTC time, converted").isEqualTo(Instant.parse(TS).getEpochSecond());
        assertThat(row(db, local).get("ts").asLong()).as("no offset: read as UTC").isEqualTo(Instant.parse(TS).getEpochSecond());
        assertThat(row(db, valid).at("/payload/room").asText()).isEqualTo("hall");
        assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(8);

        DbSettings strict = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(config(strict))) {
            for (String body : new String[] {truncated, badId, array, types, event(offset, "2026-11-29T12:00:00+02:00", "porch")})
                assertThat(post(t, "/event", body).statusCode()).as("without the fault: " + body).isEqualTo(400);
        }
        assertThat(TestDb.scalar(strict, "select count(*) from events")).isZero();
    }
}
