package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.run.BadInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge of shards' run logs: counts summed, percentiles from the merged histograms, a dead shard named. */
class ShardMergeTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Three shard logs of 10 ticks, each tick's latencies drawn from a different spread per shard (so no shard's
     * percentiles are the whole's), with the histograms encoded as a run writes them.
     */
    List<Path> shards(Histogram all, boolean lastDies) throws Exception {
        List<Path> logs = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int s = 0; s < 3; s++) {
            StringBuilder b = new StringBuilder();
            b.append(JSON.writeValueAsString(Map.of("type", "run.start", "time", "2026-11-30T10:00:00Z", "scenario", "m", "scenario_id", "sid",
                    "seed", 7, "run_id", "m-" + s, "config", Map.of("tick", "1s"), "shard", Map.of("index", s, "count", 3),
                    "start_at", "2026-11-30T10:00:10Z"))).append('\n');
            b.append(JSON.writeValueAsString(Map.of("type", "shard.start", "time", "2026-11-30T10:00:10Z", "shard", s + "/3",
                    "late_s", 0, "missed", 0, "expected", Map.of("e", 1000)))).append('\n');
            Histogram total = new Histogram(1, 3_600_000_000L, 3);
            long planned = 0, accepted = 0;
            int ticks = lastDies && s == 2 ? 4 : 10;
            for (int k = 1; k <= ticks; k++) {
                Histogram h = new Histogram(1, 3_600_000_000L, 3);
                for (int i = 0; i < 100; i++) h.recordValue(1000 + (long) (rnd.nextDouble() * 5000 * (s + 1)));
                total.add(h);
                all.add(h);
                planned += 100;
                accepted += 100;
                b.append(JSON.writeValueAsString(Map.ofEntries(Map.entry("type", "tick"), Map.entry("time", "2026-11-30T10:00:" + (10 + k) + ".3Z"),
                        Map.entry("elapsed_s", k - 0.7 + s * 0.2), Map.entry("emitter", "e"), Map.entry("planned", 100), Map.entry("sent", 100),
                        Map.entry("accepted", 100), Map.entry("rejected", 0), Map.entry("failed", 0), Map.entry("dropped", 0),
                        Map.entry("eff_eps", 100.0), Map.entry("hist", Map.of("intended", io.longrun.deliver.Histograms.encode(h), "service", io.longrun.deliver.Histograms.encode(h)))))).append('\n');
            }
            if (!(lastDies && s == 2))
                b.append(JSON.writeValueAsString(Map.of("type", "run.end", "time", "2026-11-30T10:00:21Z", "verdict", "completed", "exit_code", 0,
                        "elapsed_s", 10.0, "totals", Map.of("planned", planned, "sent", accepted, "accepted", accepted, "rejected", 0, "failed", 0, "dropped", 0),
                        "emitters", Map.of("e", Map.of("planned", planned, "sent", accepted, "accepted", accepted, "rejected", 0, "failed", 0, "dropped", 0)),
                        "health", Map.of("checks", 5, "failures", 0), "alerts", 0))).append('\n');
            Path p = dir.resolve("s" + s + ".jsonl");
            Files.writeString(p, b);
            logs.add(p);
        }
        return logs;
    }

    static double ms(Histogram h, double pct) {
        return Math.round(h.getValueAtPercentile(pct) / 10.0) / 100.0;
    }

    @Test
    void theMergedReportSumsTheCountsAndTakesThePercentilesOfAllRequests() throws Exception {
        Histogram all = new Histogram(1, 3_600_000_000L, 3);
        List<Path> logs = shards(all, false);
        Path out = dir.resolve("merged");
        ShardMerge.Merged m = ShardMerge.merge(List.of(logs.get(2), logs.get(0), logs.get(1)), out); // any order
        assertThat(m.notes()).isEmpty();
        Report.write(m.log(), out, java.util.OptionalLong.empty());
        JsonNode run = JSON.readTree(out.resolve(Report.SUMMARY_JSON).toFile()).path("run");
        assertThat(run.at("/totals/planned").asLong()).isEqualTo(3000);
        assertThat(run.at("/totals/accepted").asLong()).isEqualTo(3000);
        assertThat(run.at("/verdict").asText()).isEqualTo("completed");
        assertThat(run.path("shards")).hasSize(3);
        for (String p : List.of("p50", "p95", "p99")) {
            double expected = ms(all, Double.parseDouble(p.substring(1)));
            // the same requests, in histograms of the same precision: equal within HdrHistogram's 3 significant digits
            assertThat(run.at("/latency_ms/intended/" + p).asDouble()).as(p).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(0.1));
        }
        assertThat(run.at("/latency_ms/intended/count").asLong()).isEqualTo(3000);
        // the ticks line up by the schedule's tick: 10 ticks of 300 events, not 30 of 100
        List<JsonNode> ticks = new ArrayList<>();
        for (String line : Files.readAllLines(m.log())) {
            JsonNode r = JSON.readTree(line);
            if (r.path("type").asText().equals("tick")) ticks.add(r);
        }
        assertThat(ticks).hasSize(10).allMatch(t -> t.path("planned").asLong() == 300 && t.path("eff_eps").asDouble() == 300);
    }

    @Test
    void aShardThatDiedIsNamedWithItsMissedShare() throws Exception {
        List<Path> logs = shards(new Histogram(1, 3_600_000_000L, 3), true);
        Path out = dir.resolve("merged");
        ShardMerge.Merged m = ShardMerge.merge(logs, out);
        assertThat(m.notes()).singleElement().asString().startsWith("shard 2/3 died: its run log (" + logs.get(2))
                .contains("its missed share: 600 event(s)");
        Report.write(m.log(), out, java.util.OptionalLong.empty());
        JsonNode run = JSON.readTree(out.resolve(Report.SUMMARY_JSON).toFile()).path("run");
        assertThat(run.at("/totals/planned").asLong()).isEqualTo(3000);
        assertThat(run.at("/totals/accepted").asLong()).isEqualTo(2400);
        assertThat(run.at("/totals/missed").asLong()).isEqualTo(600);
        assertThat(run.path("verdict").asText()).isEqualTo("incomplete: shard 2/3 died");
        assertThat(run.path("notes").toString()).contains("shard 2/3 died");
    }

    @Test
    void logsThatAreNotTheShardsOfOneRunAreRefused() throws Exception {
        List<Path> logs = shards(new Histogram(1, 3_600_000_000L, 3), false);
        assertThatThrownBy(() -> ShardMerge.merge(logs.subList(0, 2), dir.resolve("o"))).isInstanceOf(BadInput.class)
                .hasMessage("shard 2/3 missing: give the run log of every shard (a shard that died still left one)");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(logs.get(0), logs.get(0), logs.get(1)), dir.resolve("o"))).isInstanceOf(BadInput.class)
                .hasMessageEndingWith("s0.jsonl: shard 0/3 is given twice");
        Path other = dir.resolve("other.jsonl");
        Files.writeString(other, Files.readString(logs.get(1)).replace("\"sid\"", "\"another\""));
        assertThatThrownBy(() -> ShardMerge.merge(List.of(logs.get(0), other, logs.get(2)), dir.resolve("o"))).isInstanceOf(BadInput.class)
                .hasMessageContaining("other.jsonl: its scenario id is 'another'").hasMessageEndingWith("'sid': not shards of one run");
        Path plain = dir.resolve("plain.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(logs.get(1)));
        com.fasterxml.jackson.databind.node.ObjectNode start = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(lines.get(0));
        start.remove("shard");
        lines.set(0, JSON.writeValueAsString(start));
        Files.write(plain, lines);
        assertThatThrownBy(() -> ShardMerge.merge(List.of(logs.get(0), plain), dir.resolve("o"))).isInstanceOf(BadInput.class)
                .hasMessageEndingWith("plain.jsonl: not a shard's run log (its run was not started with --shard I/N); merge only the logs of one sharded run");
    }
}
