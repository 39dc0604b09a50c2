package io.longrun.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longrun.scenario.StreamFault;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code chaos.ndjson} in the run folder: one line per event a stream fault touched and per fault, with what the
 * target should therefore hold ({@code expect}): {@code absent} for a drop, {@code once} for a duplicate or a delay
 * (an idempotent target stores a duplicate once), {@code modified} for a modify (stored with {@code value} at
 * {@code path}, when the target accepts it), {@code absent} for a corrupted event (the target must reject it),
 * {@code once} for an event a reorder window moved ({@code moved_by} places) and {@code once} or {@code absent}
 * for an injected event (its own id, and the id {@code of} the event it went with), as its fault's {@code store}
 * says. Written as events are sent; lines are in sending order.
 */
public final class ChaosLedger implements AutoCloseable {
    public static final String FILE = "chaos.ndjson";

    private final Path file;
    private final BufferedWriter out;
    private long lines;

    public ChaosLedger(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND); // a resumed run adds to its ledger
    }

    public Path file() {
        return file;
    }

    /** What the target should hold for an event that {@code fault} touched. */
    public static String expect(StreamFault.Kind kind) {
        return switch (kind) {
            case DROP, CORRUPT -> "absent";
            case DUPLICATE, DELAY, REORDER, INJECT -> "once";
            case MODIFY -> "modified";
        };
    }

    /**
     * Applies a decision to a rendered event and writes its lines: the event as it is to be sent (modified when a
     * {@code modify} touched it and it is a JSON object; as it was otherwise).
     */
    public byte[] apply(byte[] body, String emitter, long seq, String phase, StreamChaos.Decision d) {
        ObjectNode o = ChaosBody.object(body);
        String id = o == null ? null : ChaosBody.idOf(o);
        byte[] out = body;
        if (!d.modify().isEmpty()) {
            byte[] m = ChaosBody.modify(o, d.modify());
            if (m != null) out = m;
        }
        if (d.corrupt() != null) out = ChaosBody.corrupt(out, d.corrupt());
        write(id, emitter, seq, phase, d);
        return out;
    }

    /** Writes the event's lines: one per fault that touched it. */
    public synchronized void write(String id, String emitter, long seq, String phase, StreamChaos.Decision d) {
        for (StreamFault f : d.hits()) {
            if (f.kind() == StreamFault.Kind.INJECT) continue; // its own line, with its own id: injected()
            ObjectNode line = entry(id, emitter, seq, phase, f.kind().yaml(), expect(f.kind()));
            if (f.kind() == StreamFault.Kind.MODIFY) {
                line.put("path", f.path());
                line.set("value", f.value());
            }
            if (f.kind() == StreamFault.Kind.DELAY) line.put("ms", f.ms());
            if (f.kind() == StreamFault.Kind.DUPLICATE) line.put("after_ms", f.ms());
            if (f.kind() == StreamFault.Kind.CORRUPT) {
                line.put("how", f.how().yaml());
                if (f.path() != null) line.put("path", f.path());
            }
            line(line);
        }
    }

    /** An extra event {@code inject} sent with event {@code seq} (id {@code of}): its own id, and whether it is to be stored. */
    public synchronized void injected(String id, String emitter, long seq, String of, String phase, StreamFault f) {
        ObjectNode line = entry(id, emitter, seq, phase, "inject", f.inject().store() ? "once" : "absent");
        line.put("of", of);
        line(line);
    }

    /** An event a reorder window sent {@code movedBy} places from its own (negative: earlier). */
    public synchronized void reordered(String id, String emitter, long seq, String phase, int window, int movedBy) {
        ObjectNode line = entry(id, emitter, seq, phase, "reorder", "once");
        line.put("window", window);
        line.put("moved_by", movedBy);
        line(line);
    }

    /** A line's common fields: which event, which fault, and what the target should therefore hold. */
    private static ObjectNode entry(String id, String emitter, long seq, String phase, String fault, String expect) {
        ObjectNode line = ChaosBody.json().createObjectNode();
        line.put("id", id);
        line.put("emitter", emitter);
        line.put("seq", seq);
        line.put("phase", phase);
        line.put("fault", fault);
        line.put("expect", expect);
        return line;
    }

    private void line(ObjectNode line) {
        try {
            out.write(ChaosBody.json().writeValueAsString(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lines++;
    }

    public synchronized long lines() {
        return lines;
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
