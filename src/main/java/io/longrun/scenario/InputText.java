package io.longrun.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files longrun reads (scenarios, rule files, templates, routes, recordings) and what is wrong with them, in the
 * user's words: "not UTF-8 text" with the byte and where it is, "nested deeper than 1000 levels" with the line. Never a
 * Java class name (the JDK says MalformedInputException, Jackson names its StreamReadConstraints).
 */
public final class InputText {
    /** The deepest nesting of mappings and lists accepted in YAML and JSON, Jackson's own default. */
    public static final int MAX_DEPTH = 1000;
    // Jackson ends a limit's message with ", from `StreamReadConstraints.getMaxNameLength()`)": the user has no such setting
    private static final Pattern JACKSON_SETTING = Pattern.compile(",? ?from `[A-Za-z]+\\.[A-Za-z]+\\(\\)`");

    private InputText() {}

    /** The first byte that is not UTF-8: its value, its offset in the file, and its line (1-based). */
    public record Invalid(int value, long offset, long line) {
        /** {@code not UTF-8 text (invalid byte 0xE9 at byte offset 1234, line 3)}. */
        public String describe() {
            return String.format("not UTF-8 text (invalid byte 0x%02X at byte offset %d, line %d)", value, offset, line);
        }

        /** The same without the line, for a reader that names the line itself. */
        public String describeAtLine() {
            return String.format("not UTF-8 text (invalid byte 0x%02X at byte offset %d)", value, offset);
        }
    }

    /**
     * The first invalid UTF-8 sequence in {@code bytes[from, to)}, or empty when it all decodes. {@code base} is the
     * offset of {@code bytes[from]} in its file and {@code line} its line, so that what is said points into the file.
     */
    public static Optional<Invalid> firstInvalid(byte[] bytes, int from, int to, long base, long line) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(Math.min(to - from, 8192) + 2);
        while (true) {
            CoderResult r = dec.decode(in, out, true);
            if (r.isError()) {
                int at = in.position();
                long l = line;
                for (int i = from; i < at; i++) if (bytes[i] == '\n') l++;
                return Optional.of(new Invalid(bytes[at] & 0xFF, base + at - from, l));
            }
            if (r.isUnderflow()) return Optional.empty();
            out.clear(); // overflow: the text itself is not kept
        }
    }

    /**
     * A whole file as UTF-8 text. {@code name} is how the file is named in problems (its path, or {@code --rules PATH}).
     *
     * @throws ScenarioException naming the file when it cannot be read or is not UTF-8
     */
    public static String readUtf8(Path file, String name) throws ScenarioException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ScenarioException(name + ": cannot read: " + e.getMessage());
        }
        Optional<Invalid> bad = firstInvalid(bytes, 0, bytes.length, 0, 1);
        if (bad.isPresent()) throw new ScenarioException(name + ": " + bad.get().describe());
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** What is wrong with a JSON text that Jackson refused, as {@code NAME:LINE: what}. */
    public static String jsonProblem(String name, String text, JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String what = parseProblem(e);
        if (what.equals(tooDeep())) line = deepLine(text);
        else if (!(e instanceof StreamConstraintsException)) what = "not valid JSON: " + what;
        return name + (line > 0 ? ":" + line : "") + ": " + what;
    }

    /** The line where a JSON text nests deeper than MAX_DEPTH (Jackson's own limit says no line), or 0. */
    static int deepLine(String text) {
        JsonFactory f = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build()).build();
        try (JsonParser p = f.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken())
                if (t.isStructStart() && p.getParsingContext().getNestingDepth() > MAX_DEPTH) return p.currentTokenLocation().getLineNr();
        } catch (IOException e) {
            // a broken text: no line to give
        }
        return 0;
    }

    /** The nesting problem, in the user's words. */
    public static String tooDeep() {
        return "nested deeper than " + MAX_DEPTH + " levels";
    }

    /**
     * What a Jackson parser said, without its Java names: a limit that names a Jackson setting is reworded, and the
     * source excerpt Jackson appends ("at [Source: ...]") is left out (the caller names the file and the line).
     */
    public static String parseProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException && m.contains("nesting depth")) return tooDeep();
        return JACKSON_SETTING.matcher(m.split("\n")[0]).replaceAll("").trim();
    }
}
