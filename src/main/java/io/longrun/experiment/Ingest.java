package io.longrun.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows ingested per second, all watched tables together, from the run log's {@code db} records: each table's rows
 * between two of its samples over the seconds between them, summed over the tables at each sample time.
 */
final class Ingest {
    private final Map<String, double[]> last = new LinkedHashMap<>(); // table -> {time, rows, rows/s}
    private int n;
    private double[] time = new double[64], rate = new double[64];

    void add(JsonNode r, double t) {
        if (r.has("error") || !r.hasNonNull("table") || !r.has("rows") || Double.isNaN(t)) return;
        String table = r.get("table").asText();
        double rows = r.path("rows").asDouble();
        double[] prev = last.get(table);
        double perS = Double.NaN;
        if (prev != null && t > prev[0] && !r.path("reset").asBoolean(false)) perS = (rows - prev[1]) / (t - prev[0]);
        last.put(table, new double[] {t, rows, Double.isNaN(perS) && prev != null ? prev[2] : perS});
        if (Double.isNaN(perS)) return;
        double sum = 0;
        for (double[] v : last.values()) if (!Double.isNaN(v[2])) sum += v[2];
        if (n > 0 && time[n - 1] >= t - 0.5) { // the other tables of the same poll
            rate[n - 1] = sum;
            return;
        }
        if (n == time.length) {
            time = Arrays.copyOf(time, n * 2);
            rate = Arrays.copyOf(rate, n * 2);
        }
        time[n] = t;
        rate[n] = sum;
        n++;
    }

    /** rows/s of the last point at or before {@code t} (epoch seconds); NaN before the first. */
    double at(double t) {
        int i = Arrays.binarySearch(time, 0, n, t);
        if (i < 0) i = -i - 2;
        return i < 0 ? Double.NaN : rate[i];
    }
}
