package io.longrun.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code chaos.ndjson} as the ledger check reads it: per emitter, the events dropped and those corrupted (bit sets
 * by seq); the injected events (their own ids, and whether they are to be stored); the modified events (their id,
 * seq, and the value each path was last set to). The touched events are a fault's share of the run, so these
 * lists are held; the run's other events are not.
 */
final class LedgerFile {
    /** An event a modify touched: the target should hold {@code value} at {@code path}. */
    record Modified(int emitter, long seq, String id, String path, JsonNode value) {}

    /** An injected event: its id, and whether the target should store it. */
    record Injected(String id, boolean store) {}

    final BitSet[] dropped, corrupted;
    final List<Injected> injected = new ArrayList<>();
    final List<Modified> modified = new ArrayList<>();

    private LedgerFile(int lanes) {
        dropped = new BitSet[lanes];
        corrupted = new BitSet[lanes];
        for (int i = 0; i < lanes; i++) {
            dropped[i] = new BitSet();
            corrupted[i] = new BitSet();
        }
    }

    /** Reads the ledger; an empty one when {@code file} is null or missing. */
    static LedgerFile read(Path file, List<String> emitters) {
        LedgerFile out = new LedgerFile(emitters.size());
        if (file == null || !Files.exists(file)) return out;
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < emitters.size(); i++) index.put(emitters.get(i), i);
        Map<String, Modified> modified = new LinkedHashMap<>(); // by id and path: the last value set wins
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.contains("\"fault\":\"delay\"") || line.contains("\"fault\":\"duplicate\"")
                        || line.contains("\"fault\":\"reorder\"")) continue;
                JsonNode n = ChaosBody.json().readTree(line);
                Integer e = index.get(n.path("emitter").asText());
                if (e == null) continue;
                int seq = (int) n.path("seq").asLong();
                switch (n.path("fault").asText()) {
                    case "drop" -> out.dropped[e].set(seq);
                    case "corrupt" -> out.corrupted[e].set(seq);
                    case "inject" -> {
                        if (n.hasNonNull("id")) out.injected.add(new Injected(n.get("id").asText(), "once".equals(n.path("expect").asText())));
                    }
                    case "modify" -> {
                        if (n.hasNonNull("id"))
                            modified.put(n.get("id").asText() + " " + n.path("path").asText(),
                                    new Modified(e, seq, n.get("id").asText(), n.path("path").asText(), n.get("value")));
                    }
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        out.modified.addAll(modified.values());
        return out;
    }
}
