package io.longrun.verify;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The assertions as a JUnit XML report ({@code --junit FILE}), the format CI systems show: one testsuite named
 * after the run, one testcase per assertion, a {@code failure} for each that failed (an {@code error} for one that
 * could not be checked), and a {@code failure} per stop criterion that fired at abort severity.
 */
public final class JUnitReport {
    private JUnitReport() {}

    /** A criterion that stopped the run, for the report. */
    public record Stop(String criterion, String message) {}

    public static void write(Path file, String suite, List<AssertionResult> results, List<Stop> stops, double seconds) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        long failures = results.stream().filter(r -> !r.passed() && r.error() == null).count() + stops.size();
        long errors = results.stream().filter(r -> r.error() != null).count();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            w.write(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">%n",
                    esc(suite), results.size() + stops.size(), failures, errors, seconds));
            for (AssertionResult r : results) {
                w.write(String.format(Locale.ROOT, "  <testcase classname=\"longrun.assert.%s\" name=\"%s\" time=\"%.3f\">", esc(r.kind()), esc(r.name()),
                        r.millis() / 1000.0));
                if (r.error() != null) w.write("\n    <error message=\"" + esc(r.error()) + "\">" + esc(r.description()) + "</error>\n  ");
                else if (!r.passed()) w.write("\n    <failure message=\"" + esc("observed " + r.observed() + ", expected " + r.expected()) + "\">"
                        + esc(r.description()) + "</failure>\n  ");
                w.write("</testcase>\n");
            }
            for (Stop s : stops)
                w.write("  <testcase classname=\"longrun.stop_when\" name=\"" + esc(s.criterion()) + "\">\n    <failure message=\""
                        + esc(s.message()) + "\"/>\n  </testcase>\n");
            w.write("</testsuite>\n");
        }
    }

    /** Escapes XML text and attribute values; control characters other than tab and line ends become '?'. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') b.append('?');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
