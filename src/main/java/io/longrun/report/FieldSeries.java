package io.longrun.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.run.BadInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code longrun report --record FILE --field PATH}: the values a field took in the events a run sent, read from its
 * {@code --record} file and drawn over the events' due times, so that a value profile can be checked by eye. Each
 * chart point is one time bucket: the mean of the values due in it, with their min and max.
 */
final class FieldSeries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUCKETS = RunData.POINTS;

    private FieldSeries() {}

    /** The charts of these fields (dotted paths into each event's JSON body, e.g. {@code payload.price}). */
    static List<Map<String, Object>> charts(Path recording, List<String> fields) throws BadInput, IOException {
        if (!Files.isRegularFile(recording)) throw new BadInput(recording + ": no such recording (give the file --record wrote)");
        List<List<double[]>> points = new ArrayList<>(); // per field: [due epoch s, value]
        long[] skipped = new long[fields.size()];
        for (int i = 0; i < fields.size(); i++) points.add(new ArrayList<>());
        long lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(recording, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode rec;
                double due;
                try {
                    rec = JSON.readTree(line);
                    due = Instant.parse(rec.path("intended").asText()).toEpochMilli() / 1000.0;
                } catch (IOException | DateTimeParseException e) {
                    throw new BadInput(recording + ":" + lineNo + ": not a line of a --record file (an object with intended and body)");
                }
                JsonNode body;
                try {
                    body = JSON.readTree(rec.path("body").asText());
                } catch (IOException e) {
                    for (int i = 0; i < skipped.length; i++) skipped[i]++;
                    continue;
                }
                List<JsonNode> events = new ArrayList<>();
                if (body != null && body.isArray()) body.forEach(events::add);
                else events.add(body);
                for (JsonNode ev : events)
                    for (int i = 0; i < fields.size(); i++) {
                        JsonNode v = at(ev, fields.get(i));
                        if (v != null && v.isNumber()) points.get(i).add(new double[] {due, v.asDouble()});
                        else skipped[i]++;
                    }
            }
        }
        List<Map<String, Object>> charts = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            List<double[]> p = points.get(i);
            if (p.isEmpty()) throw new BadInput(recording + ": field " + f + " holds no number in any of its " + skipped[i] + " event(s)");
            charts.add(chart(i, f, p, skipped[i]));
        }
        return charts;
    }

    private static JsonNode at(JsonNode n, String path) {
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) return null;
            n = n.get(part);
        }
        return n;
    }

    private static Map<String, Object> chart(int index, String field, List<double[]> p, long skipped) {
        p.sort((a, b) -> Double.compare(a[0], b[0]));
        double from = p.get(0)[0], to = p.get(p.size() - 1)[0];
        int n = Math.max(1, Math.min(BUCKETS, p.size()));
        double width = Math.max((to - from) / n, 1e-3);
        List<Double> xs = new ArrayList<>();
        List<double[]> stats = new ArrayList<>(); // mean, min, max
        int i = 0;
        while (i < p.size()) {
            int bucket = (int) Math.min(n - 1, Math.floor((p.get(i)[0] - from) / width));
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, t = 0;
            int count = 0;
            while (i < p.size() && (int) Math.min(n - 1, Math.floor((p.get(i)[0] - from) / width)) == bucket) {
                double v = p.get(i)[1];
                sum += v;
                t += p.get(i)[0];
                min = Math.min(min, v);
                max = Math.max(max, v);
                count++;
                i++;
            }
            xs.add(t / count);
            stats.add(new double[] {sum / count, min, max});
        }
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[][] s = new double[3][x.length];
        for (int k = 0; k < x.length; k++) for (int j = 0; j < 3; j++) s[j][k] = stats.get(k)[j];
        String explain = String.format(Locale.ROOT, "Field %s of the events sent, by their due time: %,d value(s)%s; each point is the mean of "
                + "the values due in its span, with their min and max.", field, p.size(),
                skipped > 0 ? String.format(Locale.ROOT, " (%,d event(s) without a number there left out)", skipped) : "");
        return ReportCharts.chart("chart-field-" + index, "Field " + field, field, null, x, explain,
                ReportCharts.series("mean", HtmlReport.BLUE, "y", s[0], 3, false),
                ReportCharts.series("min", HtmlReport.GREY, "y", s[1], 3, true),
                ReportCharts.series("max", HtmlReport.GREY, "y", s[2], 3, true));
    }
}
