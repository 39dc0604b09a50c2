package io.longrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuitePlanTest {
    static final List<String> NAMES = List.of("latency-200ms-1s", "latency-200ms-5s", "packet-loss-2-pct", "packet-loss-10-pct");

    @Test
    void onlyPicksByNameAndGlobInTheGivenOrder() {
        assertThat(SuitePlan.select(NAMES, List.of())).containsExactly(0, 1, 2, 3);
        assertThat(SuitePlan.select(NAMES, List.of("packet-loss-2-pct"))).containsExactly(2);
        assertThat(SuitePlan.select(NAMES, List.of("packet-loss-10-pct", "latency-*"))).containsExactly(0, 1, 3); // file order, not --only's
        assertThat(SuitePlan.select(NAMES, List.of("*-5*"))).containsExactly(1);
        assertThat(SuitePlan.select(NAMES, List.of("latency-200ms-1s"))).as("a dot or a dash is not a pattern").containsExactly(0);
    }

    @Test
    void anOnlyThatPicksNothingIsNamedWithTheNamesThereAre() {
        assertThatThrownBy(() -> SuitePlan.select(NAMES, List.of("latency-*", "packet-loss-3-pct", "nope")))
                .hasMessage("--only packet-loss-3-pct, nope: no experiment of that name; there are latency-200ms-1s, latency-200ms-5s, "
                        + "packet-loss-2-pct, packet-loss-10-pct");
    }

    static List<String> take(Iterator<SuitePlan.Step> it, int max) {
        List<String> out = new ArrayList<>();
        while (it.hasNext() && out.size() < max) {
            SuitePlan.Step s = it.next();
            out.add(s.round() + "." + s.place() + ":" + s.index());
        }
        return out;
    }

    @Test
    void loopsRepeatTheListInOrder() {
        assertThat(take(SuitePlan.steps(3, 1, Optional.empty()), 100)).containsExactly("1.1:0", "1.2:1", "1.3:2");
        assertThat(take(SuitePlan.steps(2, 2, Optional.empty()), 100)).containsExactly("1.1:0", "1.2:1", "2.1:0", "2.2:1");
        assertThat(take(SuitePlan.steps(2, SuitePlan.FOREVER, Optional.empty()), 7)).hasSize(7).endsWith("4.1:0");
        assertThat(SuitePlan.steps(0, SuitePlan.FOREVER, Optional.empty()).hasNext()).as("nothing to run, even forever").isFalse();
    }

    @Test
    void aShuffleIsAPermutationPerRoundRepeatableFromItsSeed() {
        List<String> a = take(SuitePlan.steps(12, 3, Optional.of(7L)), 100), b = take(SuitePlan.steps(12, 3, Optional.of(7L)), 100);
        assertThat(a).isEqualTo(b).hasSize(36);
        for (int round = 0; round < 3; round++) {
            List<Integer> idx = a.subList(round * 12, round * 12 + 12).stream().map(s -> Integer.parseInt(s.substring(s.indexOf(':') + 1))).toList();
            assertThat(idx).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        }
        assertThat(a.subList(0, 12)).as("round 2 has its own order").isNotEqualTo(a.subList(12, 24).stream().map(s -> "1" + s.substring(1)).toList());
        assertThat(take(SuitePlan.steps(12, 1, Optional.of(8L)), 100)).as("another seed, another order").isNotEqualTo(a.subList(0, 12));
        assertThat(take(SuitePlan.steps(12, 1, Optional.empty()), 100).get(0)).isEqualTo("1.1:0");
    }
}
