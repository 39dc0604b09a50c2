package io.longrun.generate;

import io.longrun.random.SplitMix;
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

    @Override
    public String contentType() {
        return "application/json";
    }

    /**
     * ISO-8601 UTC with milliseconds and Z, as the runbook requires. Written by hand for years 1970 to 9999 (every
     * event's timestamp goes through here): a {@link DateTimeFormatter} reads its temporal through an interface call
     * whose profile the run log's and the report's formatting share, and a second temporal class there threw the
     * compiled renderer away at time zero. Other years go through the formatter.
     */
    public static String utc(Instant t) {
        long secs = t.getEpochSecond();
        if (secs < 0 || secs >= MAX_HAND) return UTC_MILLIS.format(t);
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(secs / 86_400);
        int sod = (int) (secs % 86_400), ms = t.getNano() / 1_000_000;
        char[] b = new char[24];
        digits(b, 0, d.getYear(), 4);
        b[4] = '-';
        digits(b, 5, d.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, d.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, sod / 3600, 2);
        b[13] = ':';
        digits(b, 14, sod / 60 % 60, 2);
        b[16] = ':';
        digits(b, 17, sod % 60, 2);
        b[19] = '.';
        digits(b, 20, ms, 3);
        b[23] = 'Z';
        return new String(b);
    }

    /** 10000-01-01T00:00:00Z in epoch seconds: from there on the year has five digits. */
    private static final long MAX_HAND = 253_402_300_800L;

    private static void digits(char[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** A version 4 UUID from two seeded draws. */
    public static UUID uuid(SplitMix.Stream r) {
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;                       // version 4
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(hi, lo);
    }

    /**
     * Written by hand, not with Jackson's generator: every string here is ASCII that needs no escaping (a UUID, a
     * timestamp, fixed names), and a generator per event shared its compiled code with the run log's writer, whose
     * other uses threw the compiled renderer away at time zero. The bytes are those Jackson wrote (AgingosEventTest
     * compares the two).
     */
    @Override
    public byte[] render(EventContext c) {
        UUID id = uuid(new SplitMix.Stream(c.idSeed(), c.stream(), c.seq()));
        SplitMix.Stream r = new SplitMix.Stream(c.seed(), c.stream(), c.seq());
        String category = CATEGORIES.get(r.nextInt(CATEGORIES.size()));
        String room = ROOMS.get(r.nextInt(ROOMS.size()));
        StringBuilder b = new StringBuilder(160);
        b.append("{\"id\":\"").append(id).append("\",\"timestamp\":\"").append(utc(c.now()))
                .append("\",\"category\":\"").append(category).append("\",\"payload\":{\"room\":\"").append(room).append("\",");
        switch (category) {
            case "motion" -> b.append("\"state\":\"").append(r.nextInt(2) == 0 ? "on" : "off").append('"');
            case "door" -> b.append("\"state\":\"").append(r.nextInt(2) == 0 ? "open" : "closed").append('"');
            case "temperature" -> {
                long tenths = Math.round((16 + r.nextDouble() * 10) * 10); // 160 to 260: one decimal, as Double.toString
                b.append("\"celsius\":").append(tenths / 10).append('.').append(tenths % 10);
            }
            case "humidity" -> b.append("\"percent\":").append(30 + r.nextInt(40));
            case "light" -> b.append("\"lux\":").append(r.nextInt(800));
            default -> b.append("\"present\":").append(r.nextInt(2) == 0);
        }
        b.append("}}");
        return b.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
