package io.longrun.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Fault {@code lenient}: what the target stores of an event it should have rejected, as a service that never says
 * no does. Each field is taken as best it can be:
 * <ul>
 * <li>{@code id}: the {@code id} text when it is a UUID, else a UUID made from the body's bytes (name-based, version 3),
 * so the same bad body always gives the same row;</li>
 * <li>{@code timestamp}: ISO-8601 with any offset, as that instant (a non-UTC time is converted, not refused); one
 * without an offset as UTC; anything else, the time it was received;</li>
 * <li>{@code category}: the text (or number) given, else {@code unknown};</li>
 * <li>{@code payload}: the object given; else {@code {"raw": BODY}}, the whole body as text (a body that is not JSON,
 * a payload that is not an object or missing).</li>
 * </ul>
 */
final class Lenient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event as stored. */
    record Event(UUID id, OffsetDateTime timestamp, String category, String payload) {}

    private Lenient() {}

    /** {@code event}: the body read as JSON, or null when it is not JSON. */
    static Event read(byte[] body, JsonNode event, Instant received) {
        byte[] bytes = body == null ? new byte[0] : body;
        JsonNode e = event != null && event.isObject() ? event : JSON.createObjectNode();
        return new Event(id(e.get("id"), bytes), timestamp(e.get("timestamp"), received), category(e.get("category")), payload(e.get("payload"), bytes));
    }

    private static UUID id(JsonNode id, byte[] body) {
        if (id != null && id.isTextual()) {
            try {
                UUID u = UUID.fromString(id.asText().trim());
                if (u.toString().equalsIgnoreCase(id.asText().trim())) return u;
            } catch (IllegalArgumentException e) {
                // made from the body below
            }
        }
        return UUID.nameUUIDFromBytes(body);
    }

    private static OffsetDateTime timestamp(JsonNode ts, Instant received) {
        if (ts != null && ts.isTextual()) {
            String t = ts.asText().trim();
            try {
                return OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(t).atOffset(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    // the time received, below
                }
            }
        }
        return OffsetDateTime.ofInstant(received, ZoneOffset.UTC);
    }

    private static String category(JsonNode c) {
        if (c != null && (c.isTextual() || c.isNumber()) && !c.asText().isBlank()) return c.asText();
        return "unknown";
    }

    private static String payload(JsonNode p, byte[] body) {
        if (p != null && p.isObject()) return p.toString();
        ObjectNode raw = JSON.createObjectNode();
        raw.put("raw", new String(body, StandardCharsets.UTF_8).replace((char) 0, (char) 0xFFFD)); // jsonb holds no NUL
        return raw.toString();
    }
}
