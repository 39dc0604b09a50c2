package io.longrun.generate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.longrun.random.SplitMix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * The event of seed 003's backend:
 * {@code {"id": UUID, "timestamp": "2025-12-23T12:00:00.000Z", "category": "motion", "payload": {"state": "on"}}}.
 * The timestamp is the send time in UTC with milliseconds and a Z; the id comes from the seed and the scenario id,
 * the category and payload from the seed.
 */
public final class AgingosEvent implements EventFormat {
    public static final String NAME = "agingos-event";
    static final List<String> CATEGORIES = List.of("motion", "door", "temperature", "humidity", "light", "presence");
    private static final List<String> ROOMS = List.of("kitchen", "bedroom", "bathroom", "hall", "living_room");
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String contentType() {
        return "application/json";
    }

    /** ISO-8601 UTC with milliseconds and Z, as the runbook requires. */
    public static String utc(Instant t) {
        return UTC_MILLIS.format(t);
    }

    /** A version 4 UUID from two seeded draws. */
    public static UUID uuid(SplitMix.Stream r) {
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;                       // version 4
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(hi, lo);
    }

    @Override
    public byte[] render(EventContext c) {
        UUID id = uuid(new SplitMix.Stream(c.idSeed(), c.stream(), c.seq()));
        SplitMix.Stream r = new SplitMix.Stream(c.seed(), c.stream(), c.seq());
        String category = CATEGORIES.get(r.nextInt(CATEGORIES.size()));
        String room = ROOMS.get(r.nextInt(ROOMS.size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("id", id.toString());
            g.writeStringField("timestamp", utc(c.now()));
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
