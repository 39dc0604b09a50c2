package io.longrun.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SettledTest {
    @Test
    void thePrefixStopsAtTheFirstEventWithoutAnOutcomeAndCountsOnlyTheEventsBelowIt() {
        Settled s = new Settled(0);
        s.add(1, Outcome.ACCEPTED, "201");
        s.add(2, Outcome.REJECTED, "400");
        assertThat(s.next()).as("event 0 has not come back").isZero();
        assertThat(s.counts().accepted()).isZero();
        s.add(0, Outcome.FAILED, "timeout");
        assertThat(s.next()).isEqualTo(3);
        Settled.Counts c = s.counts();
        assertThat(c.accepted()).isEqualTo(1);
        assertThat(c.rejected()).isEqualTo(1);
        assertThat(c.failed()).isEqualTo(1);
        assertThat(c.rejectedBy()).isEqualTo(Map.of("400", 1L));
        assertThat(c.failedBy()).isEqualTo(Map.of("timeout", 1L));
        s.add(4, Outcome.DROPPED, null);
        assertThat(s.next()).as("event 3 is in flight").isEqualTo(3);
        s.add(3, Outcome.DROPPED, null);
        assertThat(s.next()).isEqualTo(5);
        assertThat(s.counts().dropped()).isEqualTo(2);
    }

    @Test
    void outcomesInAnyOrderSettleExactlyOnceEvenWhenTheyRunFarAheadOfTheOldestInFlight() {
        // 100,000 events; event 17 comes back last of all, so the ring must hold the whole span behind it
        int n = 100_000;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) if (i != 17) order.add(i);
        Collections.shuffle(order.subList(0, 5_000), new Random(3)); // responses overtake each other near the front
        order.add(17);
        Settled s = new Settled(0);
        long accepted = 0, failed = 0;
        for (int seq : order) {
            Outcome o = seq % 10 == 0 ? Outcome.FAILED : Outcome.ACCEPTED;
            if (o == Outcome.ACCEPTED) accepted++;
            else failed++;
            s.add(seq, o, o == Outcome.FAILED ? "500" : "201");
            if (seq != 17) assertThat(s.next()).isLessThanOrEqualTo(17);
            if (seq == 99_999) assertThat(s.next()).as("still held by event 17").isEqualTo(17);
        }
        s.add(5, Outcome.REJECTED, "400"); // an outcome filed twice does not count twice
        assertThat(s.next()).isEqualTo(n);
        Settled.Counts c = s.counts();
        assertThat(c.accepted()).isEqualTo(accepted);
        assertThat(c.failed()).isEqualTo(failed);
        assertThat(c.rejected()).isZero();
        assertThat(c.accepted() + c.failed()).isEqualTo(n);
    }

    @Test
    void aSegmentThatStartsAtAResumePointIgnoresTheEventsBelowIt() {
        Settled s = new Settled(1_000);
        s.add(999, Outcome.ACCEPTED, "201");
        s.add(1_000, Outcome.ACCEPTED, "201");
        assertThat(s.next()).isEqualTo(1_001);
        assertThat(s.counts().accepted()).isEqualTo(1);
    }
}
