package io.longrun.replay;

import io.longrun.scenario.InputText;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A recording's lines, decoded one at a time, so that bytes that are not UTF-8 spoil only their own line. A
 * BufferedReader fails the whole block it decodes (8,192 characters: the good lines around the bad byte are lost
 * with it) and says only "Input length = 1". Lines end at LF, CR or CRLF, as BufferedReader's do.
 */
final class Utf8Lines implements Closeable {
    /** A line that is not UTF-8: what is wrong, with the byte's offset in the file. */
    static final class NotUtf8 extends Exception {
        NotUtf8(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos, len;
    private byte[] line = new byte[1024];
    private long offset; // of buf[0] in the file
    private boolean skipLf, eof;

    Utf8Lines(Path file) throws IOException {
        in = Files.newInputStream(file);
    }

    /** The next line without its end, or null at the end of the file. */
    String next() throws IOException, NotUtf8 {
        int n = 0;
        long start = -1;
        while (true) {
            if (pos == len) {
                if (eof || !fill()) return start < 0 ? null : decode(n, start);
                if (skipLf && buf[0] == '\n') pos++;
                skipLf = false;
                continue;
            }
            if (start < 0) start = offset + pos;
            int from = pos;
            while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') pos++;
            int k = pos - from;
            if (n + k > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, n + k));
            System.arraycopy(buf, from, line, n, k);
            n += k;
            if (pos < len) {
                byte end = buf[pos++];
                if (end == '\r') {
                    if (pos < len) {
                        if (buf[pos] == '\n') pos++;
                    } else {
                        skipLf = true; // the LF of a CRLF may come with the next block
                    }
                }
                return decode(n, start);
            }
        }
    }

    private boolean fill() throws IOException {
        offset += len;
        pos = 0;
        len = Math.max(0, in.read(buf, 0, buf.length));
        if (len == 0) eof = true;
        return len > 0;
    }

    private String decode(int n, long start) throws NotUtf8 {
        String s = new String(line, 0, n, StandardCharsets.UTF_8);
        // the decoder above replaces what it cannot read with U+FFFD; only then is the line checked byte by byte
        if (s.indexOf('\uFFFD') >= 0) {
            var bad = InputText.firstInvalid(line, 0, n, start, 1);
            if (bad.isPresent()) throw new NotUtf8(bad.get().describeAtLine());
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
