package io.longrun.runlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSONL run log: one JSON object per line, each with {@code type} and {@code time} (UTC). Every record is
 * flushed as it is written, so that a killed run keeps what happened up to its last tick.
 */
public final class RunLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path file;
    private final BufferedWriter out;
    private boolean closed;

    public RunLog(Path file) throws IOException {
        this(file, false);
    }

    /** @param append go on after the records already there (a resumed run), instead of starting the file afresh */
    public RunLog(Path file, boolean append) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (append) endLine(file);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** A record cut mid-line by a kill stays a malformed line of its own, not the start of the next record. */
    private static void endLine(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) return;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 1);
            if (f.read() != '\n') f.write('\n');
        }
    }

    public Path file() {
        return file;
    }

    /** Writes one record: {@code {"type": type, "time": now, ...fields}}. */
    public synchronized void write(String type, Instant time, Map<String, ?> fields) {
        if (closed) return;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", type);
        record.put("time", time.toString());
        record.putAll(fields);
        try {
            out.write(JSON.writeValueAsString(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        out.close();
    }
}
