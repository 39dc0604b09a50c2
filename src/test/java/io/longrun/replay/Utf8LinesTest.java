package io.longrun.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording's lines, as BufferedReader splits them, but a line that is not UTF-8 spoils only itself. */
class Utf8LinesTest {
    @TempDir
    Path dir;

    List<String> lines(byte[] content) throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, content);
        List<String> out = new ArrayList<>();
        try (Utf8Lines in = new Utf8Lines(f)) {
            while (true) {
                try {
                    String l = in.next();
                    if (l == null) return out;
                    out.add(l);
                } catch (Utf8Lines.NotUtf8 e) {
                    out.add("!" + e.getMessage());
                }
            }
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesEndAtLfCrOrCrlfAsBufferedReadersDo() throws Exception {
        assertThat(lines(utf8("a\nb\r\nc\rd"))).containsExactly("a", "b", "c", "d");
        assertThat(lines(utf8("a\n\nb\n"))).containsExactly("a", "", "b");
        assertThat(lines(utf8(""))).isEmpty();
        assertThat(lines(utf8("\n"))).containsExactly("");
        assertThat(lines(utf8("café ü €\n"))).containsExactly("café ü €");
        assertThat(lines(utf8("a U+FFFD is text: \uFFFD\n"))).as("a real U+FFFD is valid UTF-8").containsExactly("a U+FFFD is text: \uFFFD");
    }

    @Test
    void aBadLineIsReportedWithItsByteOffsetInTheFileAndTheNextLinesStillCome() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(utf8("é ok\n"));          // bytes 0-5 (é is two bytes)
        b.writeBytes(utf8("caf"));             // line 2 starts at byte 6
        b.write(0xE9);                         // byte 9
        b.writeBytes(utf8("\nlast\n"));
        assertThat(lines(b.toByteArray())).containsExactly("é ok", "!not UTF-8 text (invalid byte 0xE9 at byte offset 9)", "last");
    }

    @Test
    void linesAndOffsetsAcrossTheReadBlocks() throws Exception {
        // a line longer than the 64 KiB block, a CRLF split between two blocks, a bad byte in the third block
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String longLine = "x".repeat(100_000);
        b.writeBytes(utf8(longLine + "\n"));                       // 0 .. 100000
        String pad = "y".repeat((1 << 17) - 1 - b.size());         // ends one byte before the second block's end
        b.writeBytes(utf8(pad + "\r"));                            // the CR is the block's last byte
        b.writeBytes(utf8("\nz"));                                 // its LF opens the third block
        int bad = b.size();
        b.write(0xC3);                                             // a lead byte without its continuation
        b.writeBytes(utf8("(\nend"));
        assertThat(lines(b.toByteArray())).containsExactly(longLine, pad, "!not UTF-8 text (invalid byte 0xC3 at byte offset " + bad + ")", "end");
        assertThat(bad).isEqualTo((1 << 17) + 2);
    }
}
