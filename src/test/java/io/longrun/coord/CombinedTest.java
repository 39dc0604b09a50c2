package io.longrun.coord;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.deliver.Histograms;
import io.longrun.deliver.Outcomes;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The leader's sum of the shards' outcomes: differences of cumulative statuses, exact whatever the reads miss. */
class CombinedTest {
    /** A shard's cumulative status: one emitter, "steady". */
    static Published status(int index, long timeMs, long planned, long accepted, long rejected, long failed, long dropped, long ageMs,
                            String service) {
        ShardStatus.Lane l = new ShardStatus.Lane("steady", planned, accepted + rejected + failed, accepted, rejected, failed, dropped,
                rejected == 0 ? Map.of() : Map.of("500", rejected), failed == 0 ? Map.of() : Map.of("refused", failed), service);
        return new Published(new ShardStatus(index, 3, timeMs, false, List.of(l)), ageMs);
    }

    static Published status(int index, long timeMs, long planned, long accepted, long rejected) {
        return status(index, timeMs, planned, accepted, rejected, 0, 0, 0, "");
    }

    static String hist(long... micros) {
        Histogram h = Histograms.empty();
        for (long m : micros) h.recordValue(m);
        return Histograms.encode(h);
    }

    @Test
    void theFirstReadIsABaselineAndTheNextSumsTheShardsDifferences() {
        Combined c = new Combined(List.of("steady"), 5000);
        assertThat(c.since(List.of(status(0, 1000, 10, 10, 0), status(1, 1000, 10, 0, 10)))).isNull();
        assertThat(c.accepted()).isEqualTo(10);
        List<Outcomes.Stats> s = c.since(List.of(status(0, 2000, 25, 25, 0), status(1, 2000, 30, 0, 30)));
        assertThat(s).hasSize(1);
        Outcomes.Stats x = s.get(0);
        // shard 0: 15 accepted; shard 1: 20 rejected; together 20 of 35 failed (57 %), where shard 0 alone says 0 % and shard 1 100 %
        assertThat(x.planned()).isEqualTo(35);
        assertThat(x.accepted()).isEqualTo(15);
        assertThat(x.rejected()).isEqualTo(20);
        assertThat(x.completed()).isEqualTo(35);
        assertThat(x.rejectedBy()).containsExactly(Map.entry("500", 20L));
        assertThat(c.accepted()).isEqualTo(25);
    }

    @Test
    void aShardThatWasNotReadForSeveralTicksLosesNothing() {
        Combined c = new Combined(List.of("steady"), 5000);
        c.since(List.of(status(0, 1000, 10, 10, 0), status(1, 1000, 10, 10, 0)));
        // shard 1's status did not change (its writes were late): it adds nothing now ...
        List<Outcomes.Stats> a = c.since(List.of(status(0, 2000, 20, 20, 0), status(1, 1000, 10, 10, 0)));
        assertThat(a.get(0).accepted()).isEqualTo(10);
        // ... and all of its three ticks at the next read
        List<Outcomes.Stats> b = c.since(List.of(status(0, 3000, 30, 30, 0), status(1, 4000, 40, 38, 2)));
        assertThat(b.get(0).accepted()).isEqualTo(10 + 28);
        assertThat(b.get(0).rejected()).isEqualTo(2);
        assertThat(b.get(0).planned()).isEqualTo(10 + 30);
    }

    @Test
    void aShardSeenForTheFirstTimeOrStartedAgainIsABaseline() {
        Combined c = new Combined(List.of("steady"), 5000);
        c.since(List.of(status(0, 1000, 10, 10, 0)));
        // shard 2 appears with 500 events behind it: they are not this tick's
        List<Outcomes.Stats> a = c.since(List.of(status(0, 2000, 20, 20, 0), status(2, 2000, 500, 500, 0)));
        assertThat(a.get(0).accepted()).isEqualTo(10);
        // shard 0 started again under the same key: its counts went back
        List<Outcomes.Stats> b = c.since(List.of(status(0, 3000, 5, 5, 0), status(2, 3000, 510, 510, 0)));
        assertThat(b.get(0).accepted()).isEqualTo(10);
    }

    @Test
    void servicePercentilesAreThoseOfAllTheShardsRequestsSinceTheLastRead() {
        Combined c = new Combined(List.of("steady"), 5000);
        c.since(List.of(status(0, 1000, 2, 2, 0, 0, 0, 0, hist(1_000, 1_000)), status(1, 1000, 1, 1, 0, 0, 0, 0, hist(900_000))));
        // since then: shard 0 answered 98 requests in 2 ms, shard 1 two in 400 ms: the p95 of the 100 is 2 ms, the max 400 ms
        long[] fast = new long[100];
        java.util.Arrays.fill(fast, 2_000);
        fast[0] = 1_000;
        fast[1] = 1_000;
        List<Outcomes.Stats> s = c.since(List.of(status(0, 2000, 100, 100, 0, 0, 0, 0, hist(fast)),
                status(1, 2000, 3, 3, 0, 0, 0, 0, hist(900_000, 400_000, 400_000))));
        assertThat(s.get(0).service().count()).isEqualTo(100);
        assertThat(s.get(0).service().p95()).isEqualTo(2.0);
        assertThat(s.get(0).service().max()).isBetween(399.0, 401.0);
        assertThat(s.get(0).intended()).isEqualTo(io.longrun.deliver.Latency.NONE);
    }

    @Test
    void aShardIsSilentOnceItsStatusIsOlderThanTheLimitAndHeardWhenItComesBackButNotWhenItEnded() {
        Combined c = new Combined(List.of("steady"), 5000);
        assertThat(c.silences(List.of(status(0, 1000, 1, 1, 0, 0, 0, 4000, ""), status(1, 1000, 1, 1, 0, 0, 0, 5200, "")))).containsExactly(
                new Combined.Silence("1/3", true, 5200));
        assertThat(c.silences(List.of(status(1, 1000, 1, 1, 0, 0, 0, 6200, "")))).isEmpty(); // said once
        assertThat(c.silences(List.of(status(1, 7000, 1, 1, 0, 0, 0, 100, "")))).containsExactly(new Combined.Silence("1/3", false, 100));
        Published ended = new Published(new ShardStatus(2, 3, 1000, true, List.of()), 60_000);
        assertThat(c.silences(List.of(ended))).isEmpty();
    }

    @Test
    void theEmittersComeInTheScenariosOrderEvenWhenAShardHasNone() {
        Combined c = new Combined(List.of("a", "b"), 5000);
        ShardStatus.Lane b1 = new ShardStatus.Lane("b", 1, 1, 1, 0, 0, 0, Map.of(), Map.of(), "");
        ShardStatus.Lane b2 = new ShardStatus.Lane("b", 4, 4, 4, 0, 0, 0, Map.of(), Map.of(), "");
        c.since(List.of(new Published(new ShardStatus(0, 2, 1, false, List.of(b1)), 0)));
        List<Outcomes.Stats> s = c.since(List.of(new Published(new ShardStatus(0, 2, 2, false, List.of(b2)), 0)));
        assertThat(s).extracting(Outcomes.Stats::emitter).containsExactly("a", "b");
        assertThat(s.get(0).planned()).isZero();
        assertThat(s.get(1).planned()).isEqualTo(3);
    }

    @Test
    void aStatusGoesThroughJsonUnchanged() {
        ShardStatus s = status(1, 1234, 10, 7, 2, 1, 0, 0, hist(5_000)).status();
        assertThat(ShardStatus.fromJson(s.toJson())).isEqualTo(s);
    }
}
