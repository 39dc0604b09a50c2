package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Value profiles through a real run: the sent events carry the profile's value at their due time, two runs with the
 * same seed send the same series, and {@code longrun report --record --field} charts it.
 */
class ProfilesEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static final String SCENARIO = """
            name: profiles
            duration: 4s
            seed: 11
            target: { url: "%s/ingest" }
            emitters:
              - name: prices
                format: template
                rate: 50
                profiles:
                  price: "growth(100, 600) crash(2s, 50, 1s)"
                  load: "random_walk(50, 10, 0, 100)"
                template: { ts: "{{now}}", level: INFO, msg: "tick {{seq}}", price: "{{profile(price)}}", load: "{{profile(load, 1)}}" }
            """;

    /** price's closed form: 100 · 11^(t/60) (600 % a minute), halved at 2 s and back over 1 s. */
    static double price(double t) {
        double base = 100 * Math.pow(1 + 600 / 100.0, t / 60);
        double crash = t < 2 ? 1 : 1 - 0.5 * Math.max(0, 1 - (t - 2) / 1);
        return base * crash;
    }

    Map<Double, Double> run(TargetServer t, String name) throws Exception {
        Path scenario = dir.resolve(name + ".yaml");
        Files.writeString(scenario, SCENARIO.formatted(t.baseUrl()));
        Path record = dir.resolve(name + ".ndjson");
        Cli.Result r = new Cli(dir).run("run", scenario.toString(), "--record", record.toString(), "--quiet", "--log-file", dir.resolve(name + ".jsonl").toString());
        assertThat(r.code()).as(r.all()).isZero();
        // every event sent is in the record (a loaded machine may drop some late ones: they are not sent)
        JsonNode totals = RunLogs.last(RunLogs.read(dir.resolve(name + ".jsonl")), "run.end").get("totals");
        assertThat(totals.get("planned").asLong()).isEqualTo(200);
        assertThat(Files.readAllLines(record)).hasSize((int) totals.get("sent").asLong());
        assertThat(totals.get("accepted").asLong()).isEqualTo(totals.get("sent").asLong()).isGreaterThan(20);
        Map<Double, Double> loadByDue = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(record)) {
            JsonNode rec = JSON.readTree(line);
            double due = rec.get("intended_s").asDouble();
            JsonNode body = JSON.readTree(rec.get("body").asText());
            assertThat(body.get("price").isNumber()).isTrue();
            // the recorded due time is rounded to the microsecond; the value was taken at the exact due time
            assertThat(body.get("price").asDouble()).as("price at %.6f s", due).isCloseTo(price(due), within(0.002 + price(due) * 1e-5));
            assertThat(body.get("load").asDouble()).isBetween(0.0, 100.0);
            loadByDue.put(due, body.get("load").asDouble());
        }
        return loadByDue;
    }

    @Test
    void eventsCarryTheProfileAtTheirDueTimeTheSameSeedRepeatsAndTheReportChartsIt() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Map<Double, Double> first;
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            first = run(t, "a");
            Map<Double, Double> second = run(t, "b");
            // the same seed: the same due times and, at each, the same value
            Map<Double, Double> common = new java.util.TreeMap<>(first);
            common.keySet().retainAll(second.keySet());
            assertThat(common.size()).isGreaterThan(20);
            for (var e : common.entrySet()) assertThat(second.get(e.getKey())).as("load at %s s", e.getKey()).isEqualTo(e.getValue());
            assertThat(first.values().stream().distinct().count()).as("the walk moved over 4 s").isGreaterThan(2);
        }
        Cli.Result r = new Cli(dir).run("report", dir.resolve("a.jsonl").toString(), "--out", dir.resolve("rep").toString(),
                "--record", dir.resolve("a.ndjson").toString(), "--field", "price");
        assertThat(r.code()).as(r.all()).isZero();
        String html = Files.readString(dir.resolve("rep/report.html"));
        Matcher m = Pattern.compile("<script id=\"report-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        JsonNode chart = null;
        for (JsonNode c : JSON.readTree(m.group(1)).get("charts")) if (c.get("title").asText().equals("Field price")) chart = c;
        assertThat(chart).as("a chart of field price").isNotNull();
        assertThat(html).contains("<h2>Field price</h2>");
        // each point is the mean of the events due in its span, with their min and max: the closed form at the point's
        // time lies between them (the profile is monotone within a span, the crash's edge included)
        JsonNode xs = chart.get("data").get(0), min = chart.get("data").get(2), max = chart.get("data").get(3);
        assertThat(xs.size()).isBetween(1, first.size());
        JsonNode rec0 = JSON.readTree(Files.readAllLines(dir.resolve("a.ndjson")).get(0)); // due seconds minus epoch seconds
        double offset = rec0.get("intended_s").asDouble() - java.time.Instant.parse(rec0.get("intended").asText()).toEpochMilli() / 1000.0;
        for (int i = 0; i < xs.size(); i++) {
            // the chart's times are rounded to the millisecond: at the crash's edge (2 s) either side may be the value
            if (Math.abs(xs.get(i).asDouble() + offset - 2) < 0.002) continue;
            double expected = price(xs.get(i).asDouble() + offset);
            assertThat(expected).as("point %d at %.3f s", i, xs.get(i).asDouble() + offset)
                    .isBetween(min.get(i).asDouble() - 0.05, max.get(i).asDouble() + 0.05);
        }
        // the bad ways to ask
        assertThat(new Cli(dir).run("report", dir.resolve("a.jsonl").toString(), "--field", "price").all())
                .contains("--field needs --record FILE").doesNotContain("Exception");
        Cli.Result none = new Cli(dir).run("report", dir.resolve("a.jsonl").toString(), "--out", dir.resolve("rep2").toString(),
                "--record", dir.resolve("a.ndjson").toString(), "--field", "msg");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.all()).contains("a.ndjson: field msg holds no number in any of its " + first.size() + " event(s)");
    }
}
