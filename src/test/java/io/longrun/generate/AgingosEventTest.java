package io.longrun.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.reference.TargetService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgingosEventTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final AgingosEvent format = new AgingosEvent();
    final Instant now = Instant.parse("2026-11-23T17:30:05.123456Z");

    JsonNode render(long seed, long seq) throws Exception {
        return render(seed, seq, "sc");
    }

    JsonNode render(long seed, long seq, String scenarioId) throws Exception {
        return JSON.readTree(format.render(new EventContext(seed, 99, "motion", seq, scenarioId, now)));
    }

    @Test
    void isTheRunbooksEventWithAUtcTimestampInMillisecondsAndZ() throws Exception {
        JsonNode e = render(42, 0);
        assertThat(e.fieldNames()).toIterable().containsExactly("id", "timestamp", "category", "payload");
        assertThat(UUID.fromString(e.get("id").asText()).version()).isEqualTo(4);
        assertThat(e.get("timestamp").asText()).isEqualTo("2026-11-23T17:30:05.123Z");
        assertThat(OffsetDateTime.parse(e.get("timestamp").asText()).getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(AgingosEvent.CATEGORIES).contains(e.get("category").asText());
        assertThat(e.get("payload").isObject()).isTrue();
        assertThat(format.contentType()).isEqualTo("application/json");
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() throws Exception {
        for (long seq = 0; seq < 100; seq++) {
            JsonNode a = render(42, seq), b = render(42, seq), c = render(43, seq);
            assertThat(a).isEqualTo(b);
            assertThat(a.get("id")).isNotEqualTo(c.get("id"));
        }
    }

    @Test
    void anotherScenarioIdGivesTheSameTrafficWithOtherIds() throws Exception {
        for (long seq = 0; seq < 100; seq++) {
            JsonNode a = render(42, seq, "run-1"), b = render(42, seq, "run-2");
            assertThat(a.get("id")).isNotEqualTo(b.get("id"));
            assertThat(a.get("category")).isEqualTo(b.get("category"));
            assertThat(a.get("payload")).isEqualTo(b.get("payload"));
        }
    }

    @Test
    void idsAreUniqueAndCategoriesVaried() throws Exception {
        Set<String> ids = new HashSet<>(), categories = new HashSet<>();
        for (long seq = 0; seq < 10_000; seq++) {
            JsonNode e = render(7, seq);
            ids.add(e.get("id").asText());
            categories.add(e.get("category").asText());
        }
        assertThat(ids).hasSize(10_000);
        assertThat(categories).containsExactlyInAnyOrderElementsOf(AgingosEvent.CATEGORIES);
    }

    @Test
    void theReferenceTargetAcceptsWhatItGenerates() throws Exception {
        for (long seq = 0; seq < 200; seq++) assertThat(TargetService.problem(render(1, seq))).isNull();
    }

    /** The renderer before it was written by hand: Jackson's generator, the oracle for the bytes. */
    static byte[] withJackson(EventContext c) throws Exception {
        UUID id = AgingosEvent.uuid(new io.longrun.random.SplitMix.Stream(c.idSeed(), c.stream(), c.seq()));
        io.longrun.random.SplitMix.Stream r = new io.longrun.random.SplitMix.Stream(c.seed(), c.stream(), c.seq());
        String category = AgingosEvent.CATEGORIES.get(r.nextInt(AgingosEvent.CATEGORIES.size()));
        String room = List.of("kitchen", "bedroom", "bathroom", "hall", "living_room").get(r.nextInt(5));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id.toString());
            g.writeStringField("timestamp", java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(ZoneOffset.UTC).format(c.now()));
            g.writeStringField("category", category);
            g.writeObjectFieldStart("payload");
            g.writeStringField("room", room);
            switch (category) {
                case "motion" -> g.writeStringField("state", r.nextInt(2) == 0 ? "on" : "off");
                case "door" -> g.writeStringField("state", r.nextInt(2) == 0 ? "open" : "closed");
                case "temperature" -> g.writeNumberField("celsius", Math.round((16 + r.nextDouble() * 10) * 10) / 10.0);
                case "humidity" -> g.writeNumberField("percent", 30 + r.nextInt(40));
                case "light" -> g.writeNumberField("lux", r.nextInt(800));
                default -> g.writeBooleanField("present", r.nextInt(2) == 0);
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    @Test
    void theHandWrittenBytesAreThoseJacksonWrote() throws Exception {
        java.util.Random times = new java.util.Random(7);
        for (long seed : new long[] {1, 42, -5}) {
            for (long seq = -50; seq < 60_000; seq++) {
                Instant t = Instant.ofEpochMilli(1_600_000_000_000L + (long) (times.nextDouble() * 400_000_000_000L));
                EventContext c = new EventContext(seed, 7, "e", seq, "sc", t);
                byte[] mine = format.render(c);
                if (!java.util.Arrays.equals(mine, withJackson(c)))
                    assertThat(new String(mine, java.nio.charset.StandardCharsets.UTF_8))
                            .isEqualTo(new String(withJackson(c), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void utcIsTheFormattersTextInEveryYearItCanWrite() {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        java.util.Random r = new java.util.Random(3);
        List<Instant> cases = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2024-02-29T23:59:59.999999Z"),
                Instant.parse("2000-03-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("0001-01-01T00:00:00.001Z")));
        for (int i = 0; i < 200_000; i++) cases.add(Instant.ofEpochSecond((long) (r.nextDouble() * 253_402_300_800L) - 100_000_000L, r.nextInt(1_000_000_000)));
        for (Instant t : cases) assertThat(AgingosEvent.utc(t)).as(t.toString()).isEqualTo(f.format(t));
    }
}
