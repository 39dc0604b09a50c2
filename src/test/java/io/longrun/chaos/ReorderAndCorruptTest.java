package io.longrun.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.scenario.StreamFault;
import io.longrun.scenario.StreamFault.Corruption;
import io.longrun.scenario.StreamFault.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reorder window's seeded shuffle, and what each corruption makes of an event. */
class ReorderAndCorruptTest {
    static final String EVENT = "{\"id\":\"5f0c3a8e-0000-4000-8000-000000000001\",\"timestamp\":\"2026-11-30T10:00:00Z\",\"category\":\"motion\",\"payload\":{\"room\":\"hall\"}}";

    static List<ReorderWindow.Placed<String>> window(long seed, int size, int events) {
        ReorderWindow<String> w = new ReorderWindow<>(size, seed);
        List<ReorderWindow.Placed<String>> out = new ArrayList<>();
        for (int i = 0; i < events; i++) out.addAll(w.add("e" + i, i));
        out.addAll(w.flush());
        return out;
    }

    @Test
    void aWindowLeavesWhenFullShuffledTheSameWayForTheSameSeed() {
        ReorderWindow<String> w = new ReorderWindow<>(4, 7);
        assertThat(w.add("a", 0)).isEmpty();
        assertThat(w.add("b", 1)).isEmpty();
        assertThat(w.add("c", 2)).isEmpty();
        List<ReorderWindow.Placed<String>> full = w.add("d", 3);
        assertThat(full).extracting(ReorderWindow.Placed::item).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(w.isEmpty()).isTrue();
        // moved_by is the place it left at minus its own
        for (int pos = 0; pos < full.size(); pos++) assertThat(full.get(pos).movedBy()).isEqualTo(pos - (int) full.get(pos).seq());
        assertThat(window(7, 10, 100)).isEqualTo(window(7, 10, 100));
        assertThat(window(7, 10, 100)).isNotEqualTo(window(8, 10, 100));
        // over many windows most events move, and none leaves its window
        List<ReorderWindow.Placed<String>> all = window(7, 10, 1000);
        assertThat(all.stream().filter(p -> p.movedBy() != 0).count()).isGreaterThan(800);
        for (int pos = 0; pos < all.size(); pos++) assertThat(all.get(pos).seq() / 10).isEqualTo(pos / 10);
        // a window cut short leaves as it is, shuffled
        ReorderWindow<String> part = new ReorderWindow<>(10, 7);
        part.add("x", 0);
        part.add("y", 1);
        assertThat(part.flush()).extracting(ReorderWindow.Placed::item).containsExactlyInAnyOrder("x", "y");
        assertThatThrownBy(() -> new ReorderWindow<>(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    static StreamFault corrupt(Corruption how, String path) {
        return new StreamFault(Kind.CORRUPT, 0, 1, 0, path, null, List.of(), Optional.empty(), Optional.empty(), 0, how, null);
    }

    static JsonNode json(byte[] b) throws Exception {
        return ChaosBody.json().readTree(b);
    }

    @Test
    void eachCorruptionBreaksTheEventAsDocumented() throws Exception {
        byte[] e = EVENT.getBytes(StandardCharsets.UTF_8);
        // truncate: the first half of its bytes, no longer JSON
        byte[] t = ChaosBody.corrupt(e, corrupt(Corruption.TRUNCATE, null));
        assertThat(new String(t, StandardCharsets.UTF_8)).isEqualTo(EVENT.substring(0, EVENT.length() / 2));
        assertThat(ChaosBody.object(t)).isNull();
        // bad_json: a trailing comma before the last brace
        byte[] b = ChaosBody.corrupt(e, corrupt(Corruption.BAD_JSON, null));
        assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo(EVENT.substring(0, EVENT.length() - 1) + ",}");
        assertThat(ChaosBody.object(b)).isNull();
        // wrong_type, by field: a text becomes a number (its length), anything else a text, a missing field 0
        record Row(String path, String expected) {}
        for (Row r : List.of(new Row("timestamp", "20"), new Row("payload", "\"{\\\"room\\\":\\\"hall\\\"}\""),
                new Row("payload.room", "4"), new Row("missing", "0"))) {
            JsonNode n = json(ChaosBody.corrupt(e, corrupt(Corruption.WRONG_TYPE, r.path())));
            assertThat(n.at("/" + r.path().replace('.', '/')).toString()).as(r.path()).isEqualTo(r.expected());
            assertThat(n.get("id").asText()).as("the id is kept: a lenient target stores it under it").isEqualTo("5f0c3a8e-0000-4000-8000-000000000001");
        }
        // a body that is not a JSON object cannot take a wrong type: truncated
        assertThat(ChaosBody.corrupt("a,b,c,d".getBytes(StandardCharsets.UTF_8), corrupt(Corruption.WRONG_TYPE, "timestamp"))).isEqualTo("a,b".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aModifiedValueIsTheSameStoredAsJsonAsANumberAsAnInstantOrAsText() {
        var j = ChaosBody.json();
        assertThat(ModifiedCheck.same("\"nowhere\"", j.getNodeFactory().textNode("nowhere"))).isTrue();
        assertThat(ModifiedCheck.same("\"hall\"", j.getNodeFactory().textNode("nowhere"))).isFalse();
        assertThat(ModifiedCheck.same("\"2020-01-01T00:00:00+00:00\"", j.getNodeFactory().textNode("2020-01-01T00:00:00Z"))).isTrue();
        assertThat(ModifiedCheck.same("\"2020-01-01T00:00:01+00:00\"", j.getNodeFactory().textNode("2020-01-01T00:00:00Z"))).isFalse();
        assertThat(ModifiedCheck.same("5.0", j.getNodeFactory().numberNode(5))).isTrue();
        assertThat(ModifiedCheck.same("\"5\"", j.getNodeFactory().numberNode(5))).as("a text column holding the number").isTrue();
        assertThat(ModifiedCheck.same(null, j.getNodeFactory().textNode("x"))).as("not stored at all").isFalse();
    }
}
