package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who led a coordinated run when, from the shards' leader records: a lead that died, one lost, one released. */
class LeadersTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode leader(String shard, String state, String time) {
        return JSON.valueToTree(Map.of("type", "leader", "shard", shard, "state", state, "time", time));
    }

    static double at(String time) {
        java.time.Instant i = java.time.Instant.parse(time);
        return i.getEpochSecond() + i.getNano() / 1e9;
    }

    @Test
    void aLeadThatDiedALeadLostAndTheLastReleased() {
        List<JsonNode> records = new ArrayList<>(List.of(
                leader("0/3", "acquired", "2026-11-30T18:30:00.100Z"),
                JSON.valueToTree(Map.of("type", "health", "shard", "0/3", "time", "2026-11-30T18:30:01Z")),
                leader("2/3", "acquired", "2026-11-30T18:30:12.600Z"),
                leader("2/3", "lost", "2026-11-30T18:30:20Z"),
                leader("1/3", "acquired", "2026-11-30T18:30:20.400Z"),
                leader("1/3", "released", "2026-11-30T18:31:00Z")));
        List<Leaders.Span> spans = Leaders.spans(records, Map.of("0/3", at("2026-11-30T18:30:10Z")), Set.of("0/3"));
        assertThat(spans).containsExactly(
                new Leaders.Span("0/3", at("2026-11-30T18:30:00.100Z"), at("2026-11-30T18:30:10Z"), "died"),
                new Leaders.Span("2/3", at("2026-11-30T18:30:12.600Z"), at("2026-11-30T18:30:20Z"), "lost"),
                new Leaders.Span("1/3", at("2026-11-30T18:30:20.400Z"), at("2026-11-30T18:31:00Z"), "released"));
        assertThat(Leaders.note(spans)).isEqualTo("leaders: shard 0/3 from 2026-11-30T18:30:00.100Z until 2026-11-30T18:30:10Z (the shard died); "
                + "shard 2/3 from 2026-11-30T18:30:12.600Z (2.6 s after shard 0/3's lead ended) until 2026-11-30T18:30:20Z (lost); "
                + "shard 1/3 from 2026-11-30T18:30:20.400Z (0.4 s after shard 2/3's lead ended) until 2026-11-30T18:31:00Z (released at the end of its run)");
        assertThat(Leaders.records(spans).get(0)).containsEntry("ended", "died").containsEntry("until", "2026-11-30T18:30:10Z");
    }

    @Test
    void aRunWithoutCoordinationHasNoLeaders() {
        assertThat(Leaders.spans(List.of(JSON.valueToTree(Map.of("type", "tick", "time", "2026-11-30T18:30:01Z"))), Map.of(), Set.of())).isEmpty();
    }
}
