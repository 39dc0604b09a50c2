package io.longrun.deliver;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code --record FILE.ndjson}: one line per event sent, in the order responses came, with what was sent (the
 * emitter, its sequence number, the headers' content type and the body), when it was due (seconds from the run's
 * start and UTC), when it was sent, and its outcome. {@code longrun replay} reads such a file back and sends the
 * same bodies at the same pace.
 */
public final class Recorder implements Closeable {
    private static final JsonFactory JSON = new JsonFactory();
    private final Path file;
    private final OutputStream out;
    private final long start;
    private final Instant startTime;

    /**
     * @param start     the run's time zero, monotonic nanoseconds
     * @param startTime the same instant on the wall clock
     */
    public Recorder(Path file, long start, Instant startTime) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.start = start;
        this.startTime = startTime;
    }

    public Path file() {
        return file;
    }

    synchronized void write(Request r, String emitter, Outcome outcome, String reason, long end) {
        try {
            JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
            g.writeStartObject();
            g.writeStringField("emitter", emitter);
            g.writeNumberField("seq", r.ticket.seq());
            g.writeNumberField("intended_s", Math.round((r.ticket.due() - start) / 1e3) / 1e6);
            g.writeStringField("intended", startTime.plusNanos(r.ticket.due() - start).toString());
            g.writeStringField("sent", startTime.plusNanos(r.sentAt - start).toString());
            g.writeStringField("outcome", outcome.key());
            g.writeStringField("status", reason);
            g.writeNumberField("latency_ms", Math.round((end - r.sentAt) / 1e4) / 100.0);
            g.writeStringField("content_type", r.headers.getOrDefault("Content-Type", "application/octet-stream"));
            g.writeStringField("body", new String(r.body, StandardCharsets.UTF_8));
            g.writeEndObject();
            g.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Pushes what is buffered to the file (once per tick), so that a killed run keeps its record. */
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
