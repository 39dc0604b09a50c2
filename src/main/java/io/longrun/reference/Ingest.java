package io.longrun.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * What the reference target's {@code POST /ingest} makes of a body, after seed 000's log ingest: JSON (one record
 * or an array), NDJSON, CSV ({@code ts,level,msg}) or syslog lines (RFC 5424 or 3164), by Content-Type. It counts
 * records, parse errors, and records without a timestamp or a level; it is lenient about their types (a number
 * is a level), as an ingest that counts chaos must be.
 */
final class Ingest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RFC5424 = Pattern.compile("^<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (-|\\[.*?]) ?(.*)$");
    private static final Pattern RFC3164 = Pattern.compile("^<(\\d{1,3})>(?:([A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) )?(\\S+) (\\S+?)(?:\\[\\d+])?: ?(.*)$");

    /** The counts of one body. */
    record Counts(String format, int records, int parseErrors, int missingTs, int missingLevel) {}

    /** A body the target refuses before reading it. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }
    }

    private Ingest() {}

    static Counts read(String contentType, String body, int maxItems) throws Refused {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("ndjson")) return lines("ndjson", body, maxItems, Ingest::jsonLine);
        if (type.contains("json")) return json(body, maxItems);
        if (type.contains("csv")) return csv(body, maxItems);
        if (type.startsWith("text/plain")) return lines("syslog", body, maxItems, Ingest::syslogLine);
        throw new Refused(415, "unsupported_media_type");
    }

    /** 0: fine, 1: parse error, 2: no ts, 4: no level (or'ed). */
    private interface LineReader {
        int read(String line);
    }

    private static Counts lines(String format, String body, int maxItems, LineReader reader) throws Refused {
        List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() > maxItems) throw new Refused(413, "too_many_items");
        int errors = 0, noTs = 0, noLevel = 0;
        for (String l : lines) {
            int r = reader.read(l);
            if ((r & 1) != 0) errors++;
            if ((r & 2) != 0) noTs++;
            if ((r & 4) != 0) noLevel++;
        }
        return new Counts(format, lines.size(), errors, noTs, noLevel);
    }

    private static int jsonLine(String line) {
        try {
            return record(JSON.readTree(line));
        } catch (IOException e) {
            return 1;
        }
    }

    private static int record(JsonNode r) {
        if (r == null || !r.isObject()) return 1;
        int out = 0;
        JsonNode ts = r.get("ts");
        if (ts == null || !(ts.isTextual() || ts.isNumber()) || ts.asText().isBlank()) out |= 2;
        JsonNode level = r.get("level");
        if (level == null || !(level.isTextual() || level.isNumber()) || level.asText().isBlank()) out |= 4;
        return out;
    }

    private static Counts json(String body, int maxItems) throws Refused {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            return new Counts("json", 1, 1, 0, 0);
        }
        if (n == null) return new Counts("json", 1, 1, 0, 0);
        if (!n.isArray()) {
            int r = record(n);
            return new Counts("json", 1, r & 1, (r & 2) >> 1, (r & 4) >> 2);
        }
        if (n.size() > maxItems) throw new Refused(413, "too_many_items");
        int errors = 0, noTs = 0, noLevel = 0;
        for (JsonNode item : n) {
            int r = record(item);
            if ((r & 1) != 0) errors++;
            if ((r & 2) != 0) noTs++;
            if ((r & 4) != 0) noLevel++;
        }
        return new Counts("json", n.size(), errors, noTs, noLevel);
    }

    private static Counts csv(String body, int maxItems) throws Refused {
        boolean header = body.startsWith("ts,level,msg");
        List<CSVRecord> rows;
        try {
            rows = CSVFormat.RFC4180.builder().setSkipHeaderRecord(false).get().parse(new StringReader(body)).getRecords();
        } catch (IOException | RuntimeException e) {
            return new Counts("csv", 1, 1, 0, 0);
        }
        if (header && !rows.isEmpty()) rows = rows.subList(1, rows.size());
        if (rows.size() > maxItems) throw new Refused(413, "too_many_items");
        int errors = 0, noTs = 0, noLevel = 0;
        for (CSVRecord r : rows) {
            if (r.size() != 3) {
                errors++;
                continue;
            }
            if (r.get(0).isBlank()) noTs++;
            if (r.get(1).isBlank()) noLevel++;
        }
        return new Counts("csv", rows.size(), errors, noTs, noLevel);
    }

    private static int syslogLine(String line) {
        var m = RFC5424.matcher(line);
        if (m.matches()) return m.group(2).equals("-") ? 2 : 0; // the level is in PRI, always there
        var b = RFC3164.matcher(line);
        if (b.matches()) return b.group(2) == null ? 2 : 0;
        return 1;
    }
}
