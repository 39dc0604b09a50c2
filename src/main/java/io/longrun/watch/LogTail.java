package io.longrun.watch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows one log file as {@code tail -F} does: it starts at the end (only what is written during the run counts),
 * reads the complete lines appended since the last poll, and survives rotation (the path now names another file:
 * that file is read from its start) and truncation (the file got shorter than what was read: read it again from
 * its start). A line still being written (no newline yet) waits for the next poll. Lines longer than
 * {@link #MAX_LINE} are cut, so a runaway line cannot hold memory.
 */
public final class LogTail {
    static final int MAX_LINE = 16 * 1024;
    static final int CHUNK = 64 * 1024;

    private final Path path;
    private Object fileKey;
    private long position = -1;     // -1: not opened yet
    private final StringBuilder partial = new StringBuilder();
    private boolean skipping;       // inside a line longer than MAX_LINE
    private long rotations, truncations;

    public LogTail(Path path) {
        this.path = path;
    }

    /** Starts at the file's current end; a file that does not exist yet is read from its start once it appears. */
    public void start() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            fileKey = a.fileKey();
            position = a.size();
        } catch (IOException e) {
            position = 0;
            fileKey = null;
        }
    }

    /**
     * Hands every complete new line to {@code lines}.
     *
     * @return a problem in words (the file is missing or unreadable), or null
     */
    public String poll(Consumer<String> lines) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return path + ": no such file (yet)";
        } catch (IOException e) {
            return path + ": " + e.getMessage();
        }
        if (position < 0) start();
        if (fileKey != null && a.fileKey() != null && !fileKey.equals(a.fileKey())) {
            rotations++;
            position = 0;
            partial.setLength(0);
        } else if (a.size() < position) {
            truncations++;
            position = 0;
            partial.setLength(0);
        }
        fileKey = a.fileKey();
        if (a.size() == position) return null;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.position(position);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            byte[] pending = new byte[0];
            int n;
            while ((n = ch.read(buf)) > 0) {
                buf.flip();
                byte[] bytes = new byte[pending.length + buf.remaining()];
                System.arraycopy(pending, 0, bytes, 0, pending.length);
                buf.get(bytes, pending.length, buf.remaining());
                buf.clear();
                int from = 0;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] != '\n') continue;
                    line(bytes, from, i, lines);
                    from = i + 1;
                }
                position += n;
                // keep an incomplete UTF-8 tail in bytes; the text so far goes to partial (bounded)
                pending = java.util.Arrays.copyOfRange(bytes, from, bytes.length);
                if (pending.length > MAX_LINE) {
                    append(new String(pending, StandardCharsets.UTF_8));
                    pending = new byte[0];
                }
            }
            if (pending.length > 0) append(new String(pending, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return path + ": " + e.getMessage();
        }
        return null;
    }

    private void line(byte[] bytes, int from, int to, Consumer<String> lines) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        String text = new String(bytes, from, end - from, StandardCharsets.UTF_8);
        if (partial.length() > 0 || skipping) {
            append(text);
            text = partial.toString();
            partial.setLength(0);
            skipping = false;
        } else if (text.length() > MAX_LINE) {
            text = text.substring(0, MAX_LINE);
        }
        lines.accept(text);
    }

    private void append(String text) {
        int room = MAX_LINE - partial.length();
        if (room <= 0) {
            skipping = true;
            return;
        }
        partial.append(text, 0, Math.min(room, text.length()));
        if (text.length() > room) skipping = true;
    }

    public Path path() {
        return path;
    }

    public long rotations() {
        return rotations;
    }

    public long truncations() {
        return truncations;
    }

    /** Tails for several files. */
    public static List<LogTail> of(List<String> paths) {
        return paths.stream().map(p -> new LogTail(Path.of(p))).toList();
    }
}
