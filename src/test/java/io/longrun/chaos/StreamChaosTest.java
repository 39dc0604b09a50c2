package io.longrun.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.StreamFault;
import io.longrun.scenario.StreamFault.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which events the stream faults touch: seeded, by emitter, from {@code at:}, only in their phase. */
class StreamChaosTest {
    static StreamFault fault(Kind kind, int index, double pct, List<String> emitters, Optional<Long> atCount) {
        return new StreamFault(kind, index, pct, 100, kind == Kind.MODIFY ? "payload.room" : null,
                kind == Kind.MODIFY ? TextNode.valueOf("x") : null, emitters, atCount, Optional.empty());
    }

    static Experiment exp(List<StreamFault> faults) {
        return new Experiment(List.of(
                new Experiment.Phase("base", Duration.ofSeconds(1), List.of(), Optional.empty(), List.of(), true),
                new Experiment.Phase("chaos", Duration.ofSeconds(1), List.of(), Optional.empty(), List.of(), false, faults)),
                Experiment.Recovery.DEFAULT);
    }

    static List<Long> dropped(StreamChaos c, int emitter, int n) {
        List<Long> out = new ArrayList<>();
        for (long seq = 0; seq < n; seq++) if (c.decide(emitter, seq, 0).drop()) out.add(seq);
        return out;
    }

    @Test
    void theSameSeedDropsTheSameEventsAboutTheirShare() {
        Experiment e = exp(List.of(fault(Kind.DROP, 0, 10, List.of(), Optional.empty())));
        StreamChaos one = new StreamChaos(e, List.of("a", "b"), 42), two = new StreamChaos(e, List.of("a", "b"), 42),
                other = new StreamChaos(e, List.of("a", "b"), 43);
        for (StreamChaos c : List.of(one, two, other)) c.phase(1, 0);
        List<Long> a = dropped(one, 0, 20_000);
        assertThat(dropped(two, 0, 20_000)).isEqualTo(a);
        assertThat(dropped(other, 0, 20_000)).isNotEqualTo(a);
        assertThat(dropped(one, 1, 20_000)).isNotEqualTo(a); // each emitter its own draws
        assertThat(a.size()).isBetween(1_800, 2_200);
        assertThat(two.counts().dropped()).isEqualTo(a.size());
    }

    @Test
    void onlyInItsPhaseForItsEmittersFromItsCount() {
        Experiment e = exp(List.of(fault(Kind.DUPLICATE, 0, 100, List.of("b"), Optional.of(5L))));
        StreamChaos c = new StreamChaos(e, List.of("a", "b"), 1);
        assertThat(c.decide(1, 0, 0).touched()).isFalse(); // no phase yet
        c.phase(0, 0);
        assertThat(c.decide(1, 0, 0).touched()).isFalse(); // the baseline has none
        c.phase(1, 0);
        assertThat(c.decide(0, 0, 0).touched()).isFalse(); // emitter a is not selected
        for (long seq = 0; seq < 5; seq++) assertThat(c.decide(1, seq, 0).touched()).isFalse(); // at: 5
        StreamChaos.Decision d = c.decide(1, 5, 0);
        assertThat(d.duplicateAfterMs()).isEqualTo(100);
        assertThat(d.drop()).isFalse();
        c.phase(-1, 0);
        assertThat(c.decide(1, 6, 0).touched()).isFalse();
        assertThat(c.counts().duplicated()).isEqualTo(1);
    }

    @Test
    void aDroppedEventIsNeitherDelayedNorModified() {
        Experiment e = exp(List.of(fault(Kind.DROP, 0, 100, List.of(), Optional.empty()), fault(Kind.MODIFY, 1, 100, List.of(), Optional.empty())));
        StreamChaos c = new StreamChaos(e, List.of("a"), 1);
        c.phase(1, 0);
        StreamChaos.Decision d = c.decide(0, 0, 0);
        assertThat(d.drop()).isTrue();
        assertThat(d.hits()).extracting(StreamFault::kind).containsExactly(Kind.DROP);
        assertThat(c.counts().modified()).isZero();
    }

    @Test
    void modifySetsANestedFieldAndKeepsTheId() {
        var o = ChaosBody.object("{\"id\":\"e1\",\"payload\":{\"room\":\"kitchen\"}}".getBytes());
        byte[] m = ChaosBody.modify(o, List.of(fault(Kind.MODIFY, 0, 100, List.of(), Optional.empty())));
        assertThat(new String(m)).isEqualTo("{\"id\":\"e1\",\"payload\":{\"room\":\"x\"}}");
        assertThat(ChaosBody.idOf(m)).isEqualTo("e1");
        assertThat(ChaosBody.modify(ChaosBody.object("a,b,c".getBytes()), List.of())).isNull();
    }
}
