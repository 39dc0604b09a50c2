package io.longrun.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longrun.scenario.InputText;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one recording a line at a time, in constant memory: NDJSON (a JSON object per line; longrun's own
 * {@code --record} files are recognised and their bodies replayed as they were sent) or CSV with a header row
 * (each row becomes a JSON object). A line that cannot be replayed is reported to {@link Skips} with its file and
 * line number: not JSON, no timestamp, or a timestamp that is not UTC.
 */
final class RecordingReader implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TIME_FIELDS = List.of("timestamp", "ts", "time", "@timestamp");

    private final Path file;
    private final Utf8Lines in;
    private final boolean csv;
    private final Optional<String> timestampField;
    private final Skips skips;
    private final boolean strict;
    private final boolean needTree; // --rebase now or --new-ids rewrite the body
    private final boolean nestedTimestamp;
    private List<String> header;
    private long line;

    RecordingReader(Path file, Optional<String> timestampField, Skips skips, boolean strict) throws IOException {
        this(file, timestampField, skips, strict, true);
    }

    RecordingReader(Path file, Optional<String> timestampField, Skips skips, boolean strict, boolean needTree) throws IOException {
        this.needTree = needTree;
        this.nestedTimestamp = timestampField.map(f -> f.contains(".")).orElse(false);
        this.file = file;
        this.in = new Utf8Lines(file);
        this.csv = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
        this.timestampField = timestampField;
        this.skips = skips;
        this.strict = strict;
    }

    /** The next good record, or null at the end of the file. */
    ReplayRecord next() throws IOException, BadRecording {
        while (true) {
            String text;
            try {
                text = in.next();
            } catch (Utf8Lines.NotUtf8 e) {
                line++;
                skip(new BadLine("malformed", e.getMessage()));
                continue;
            }
            if (text == null) return null;
            line++;
            if (text.isBlank()) continue;
            if (csv && header == null) {
                header = List.of(text.split(",", -1));
                continue;
            }
            try {
                return csv ? csvRow(text) : jsonLine(text);
            } catch (BadLine e) {
                skip(e);
            }
        }
    }

    /** Not JSON, or JSON past a limit (nested deeper than 1000 levels), said without Jackson's names. */
    private static BadLine notJson(IOException e) {
        return new BadLine("malformed", e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException c ? InputText.parseProblem(c) : "not JSON");
    }

    /** A line that cannot be replayed: with --strict the error, else counted with its file and line. */
    private void skip(BadLine e) throws BadRecording {
        String where = file + ":" + line;
        if (strict) throw new BadRecording(where + ": " + e.getMessage());
        skips.add(e.reason, where + ": " + e.getMessage());
    }

    private ReplayRecord jsonLine(String text) throws BadLine {
        if (!needTree) {
            // the common case, replayed as recorded: find the timestamp with the streaming parser, send the line's bytes
            ReplayRecord fast = fastLine(text);
            if (fast != null) return fast;
        }
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (IOException e) {
            throw notJson(e);
        }
        if (n == null || !n.isObject()) throw new BadLine("malformed", "not a JSON object");
        ObjectNode o = (ObjectNode) n;
        // a longrun --record line: replay what was sent, when it was due
        if (o.has("intended") && o.has("body") && o.has("content_type") && o.has("outcome")) {
            Instant t = time(o.get("intended"), "intended");
            String body = o.get("body").asText();
            String type = o.get("content_type").asText();
            if (type.contains("json") && !type.contains("ndjson")) {
                try {
                    JsonNode b = JSON.readTree(body);
                    if (b != null && b.isObject()) {
                        // --rebase now moves the body's own timestamp, wherever it is
                        String path = timestampField.filter(f -> at(b, f) != null)
                                .orElseGet(() -> TIME_FIELDS.stream().filter(b::has).findFirst().orElse(""));
                        return new ReplayRecord(t, (ObjectNode) b, null, type, file.toString(), line, path);
                    }
                } catch (IOException e) {
                    // not an object: replayed as the bytes it was
                }
            }
            return new ReplayRecord(t, null, body.getBytes(StandardCharsets.UTF_8), type, file.toString(), line, "");
        }
        String path = timestampField.orElseGet(() -> TIME_FIELDS.stream().filter(o::has).findFirst().orElse(TIME_FIELDS.get(0)));
        JsonNode ts = at(o, path);
        if (ts == null || ts.isNull()) throw new BadLine("no_timestamp", "no timestamp at " + path);
        return new ReplayRecord(time(ts, path), o, null, "application/json", file.toString(), line, path);
    }

    /**
     * The timestamp of a plain JSON line without building its tree, or null when the line needs the full read
     * (a longrun record line, or not an object).
     */
    private ReplayRecord fastLine(String text) throws BadLine {
        if (nestedTimestamp) return null; // a dotted path takes the tree
        List<String> candidates = timestampField.map(List::of).orElse(TIME_FIELDS);
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(text)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return null;
            JsonNode found = null;
            String foundPath = null;
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("intended") || name.equals("outcome")) return null; // maybe a longrun record line
                com.fasterxml.jackson.core.JsonToken v = p.nextToken();
                if (found == null && candidates.contains(name) && v.isScalarValue()) {
                    found = v.isNumeric() ? JSON.getNodeFactory().numberNode(p.getDecimalValue()) : JSON.getNodeFactory().textNode(p.getText());
                    foundPath = name;
                    if (timestampField.isPresent()) break;
                } else {
                    p.skipChildren();
                }
            }
            if (found == null) {
                // keep reading to tell a broken line from a line without a timestamp
                while (p.nextToken() != null) p.skipChildren();
                throw new BadLine("no_timestamp", "no timestamp at " + timestampField.orElse(TIME_FIELDS.get(0)));
            }
            while (p.nextToken() != null) p.skipChildren(); // the rest of the line must parse too
            return new ReplayRecord(time(found, foundPath), null, text.getBytes(StandardCharsets.UTF_8), "application/json", file.toString(), line, foundPath);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private ReplayRecord csvRow(String text) throws BadLine {
        List<CSVRecord> rows;
        try {
            rows = CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
        } catch (IOException | RuntimeException e) {
            throw new BadLine("malformed", "not a CSV row");
        }
        if (rows.size() != 1 || rows.get(0).size() != header.size()) throw new BadLine("malformed", "has " + (rows.isEmpty() ? 0 : rows.get(0).size())
                + " fields, the header " + header.size());
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < header.size(); i++) o.put(header.get(i), rows.get(0).get(i));
        String column = timestampField.orElseGet(() -> TIME_FIELDS.stream().filter(o::has).findFirst().orElse(TIME_FIELDS.get(0)));
        if (!o.has(column) || o.get(column).asText().isBlank()) throw new BadLine("no_timestamp", "no timestamp in column " + column);
        return new ReplayRecord(time(o.get(column), column), o, null, "application/json", file.toString(), line, column);
    }

    static JsonNode at(JsonNode o, String dotted) {
        JsonNode n = o;
        for (String part : dotted.split("\\.")) {
            if (n == null) return null;
            n = n.get(part);
        }
        return n;
    }

    /** A UTC instant: ISO-8601 with Z or +00:00, or epoch seconds or milliseconds. Anything else is refused. */
    static Instant time(JsonNode v, String path) throws BadLine {
        if (v.isNumber()) {
            double d = v.asDouble();
            return d > 1e11 ? Instant.ofEpochMilli((long) d) : Instant.ofEpochMilli(Math.round(d * 1000));
        }
        String s = v.asText().trim();
        if (s.matches("\\d{10}(\\.\\d+)?")) return Instant.ofEpochMilli(Math.round(Double.parseDouble(s) * 1000));
        if (s.matches("\\d{13}")) return Instant.ofEpochMilli(Long.parseLong(s));
        try {
            OffsetDateTime t = OffsetDateTime.parse(s);
            if (!t.getOffset().equals(ZoneOffset.UTC)) throw new BadLine("non_utc", path + " is not UTC: \"" + s + "\" (offset " + t.getOffset() + ")");
            return t.toInstant();
        } catch (DateTimeParseException e) {
            if (s.matches("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d.*")) throw new BadLine("non_utc", path + " has no UTC offset: \"" + s + "\"");
            throw new BadLine("malformed", path + " is not a timestamp: \"" + s + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A line that cannot be replayed, and why: malformed, no_timestamp, non_utc. */
    static final class BadLine extends Exception {
        final String reason;

        BadLine(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    /** A bad line under --strict: fatal. */
    public static final class BadRecording extends Exception {
        BadRecording(String message) {
            super(message);
        }
    }
}
