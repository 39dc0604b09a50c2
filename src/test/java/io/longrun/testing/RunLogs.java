package io.longrun.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a JSONL run log back with a real JSON parser. */
public final class RunLogs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunLogs() {}

    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) if (!line.isBlank()) out.add(JSON.readTree(line));
        return out;
    }

    /**
     * A killed run's log: a line the kill cut is skipped, as every reader of such a log does; a log not yet
     * written reads as no records.
     */
    public static List<JsonNode> readKilled(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        for (String line : Files.readAllLines(file)) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.isObject()) out.add(n);
            } catch (IOException cut) {
                // the record being written when the process was killed
            }
        }
        return out;
    }

    public static List<JsonNode> ofType(List<JsonNode> records, String type) {
        return records.stream().filter(r -> r.path("type").asText().equals(type)).toList();
    }

    public static JsonNode last(List<JsonNode> records, String type) {
        List<JsonNode> l = ofType(records, type);
        if (l.isEmpty()) throw new AssertionError("no " + type + " record in the run log");
        return l.get(l.size() - 1);
    }
}
