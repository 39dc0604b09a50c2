package io.longrun.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.pace.Arrivals;
import io.longrun.pace.DueTimes;
import io.longrun.pace.Traffic;
import io.longrun.random.SplitMix;
import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardTest {
    static final long SEED = 42;
    static final Duration RUN = Duration.ofSeconds(20), TICK = Duration.ofSeconds(1);

    record Event(String emitter, long index, double due) {}

    static Scenario.Emitter rate(String name, double rate, Arrivals arrivals, double jitter, double up) {
        Scenario.Schedule s = new Scenario.Schedule(Duration.ZERO, Optional.empty(), Duration.ofNanos((long) (up * 1e9)), Duration.ZERO, jitter);
        Scenario.Emitter e = Scenario.Emitter.of(name, "json", rate, s);
        return new Scenario.Emitter(e.name(), e.format(), e.options(), e.rate(), e.schedule(), e.stages(), e.startRate(), arrivals,
                e.interval(), e.url(), e.headers(), e.replay());
    }

    static Scenario.Emitter interval(String name, double everySeconds) {
        Scenario.Emitter e = Scenario.Emitter.of(name, "json", 0, Scenario.Schedule.ALWAYS);
        return new Scenario.Emitter(e.name(), e.format(), e.options(), 0, e.schedule(), e.stages(), e.startRate(), e.arrivals(),
                Optional.of(new Scenario.Interval(Duration.ofNanos((long) (everySeconds * 1e9)), Duration.ofMillis(100))), e.url(), e.headers(),
                e.replay());
    }

    /** Every event of the emitters as the shard sends them: emitter, global index, due time. */
    static List<Event> events(List<Scenario.Emitter> emitters, Shard shard) {
        List<Event> out = new ArrayList<>();
        int slot = 0;
        for (Scenario.Emitter e : emitters) {
            Traffic t = shard.apply(Traffic.of(e, RUN, TICK, SEED, SplitMix.hash(e.name())), e, e.interval().isPresent() ? slot++ : 0);
            DueTimes d = t.dueTimes();
            while (true) {
                long i = d.nextIndex();
                double due = d.nextDue();
                if (Double.isInfinite(due)) break;
                out.add(new Event(e.name(), i, due));
            }
        }
        return out;
    }

    static final List<Scenario.Emitter> MIXED = List.of(
            rate("steady", 6000, Arrivals.UNIFORM, 0, 0),
            rate("bursty", 700, Arrivals.POISSON, 0.2, 5),
            interval("dev-1", 0.5), interval("dev-2", 0.7), interval("dev-3", 1.1), interval("dev-4", 2));

    @ParameterizedTest(name = "{0} shards")
    @CsvSource({"1", "2", "3", "4", "7"})
    void theShardsTogetherAreTheSingleInstanceEventForEvent(int n) {
        List<Event> single = events(MIXED, Shard.ALL);
        List<Event> union = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Event> mine = events(MIXED, new Shard(i, n));
            union.addAll(mine);
        }
        java.util.Comparator<Event> order = java.util.Comparator.comparing(Event::emitter).thenComparingLong(Event::index);
        union.sort(order);
        List<Event> expected = new ArrayList<>(single);
        expected.sort(order);
        assertThat(union).hasSize(expected.size()).containsExactlyElementsOf(expected); // same index, same due time: same id
    }

    @ParameterizedTest(name = "{0}/s over {1} shards")
    @CsvSource({"6000, 3", "6000, 4", "1000, 5", "30000, 3", "90, 3"})
    void everyShardSendsItsShareWithinOneEventEachSecond(double rate, int n) {
        for (Arrivals a : List.of(Arrivals.UNIFORM)) {
            List<Scenario.Emitter> one = List.of(rate("steady", rate, a, 0, 0));
            for (int i = 0; i < n; i++) {
                Map<Long, Long> perSecond = new TreeMap<>();
                for (Event e : events(one, new Shard(i, n))) perSecond.merge((long) Math.floor(e.due()), 1L, Long::sum);
                assertThat(perSecond).hasSize((int) RUN.toSeconds());
                for (Map.Entry<Long, Long> s : perSecond.entrySet())
                    assertThat((double) s.getValue()).as("shard %d/%d, second %d", i, n, s.getKey()).isCloseTo(rate / n, org.assertj.core.data.Offset.offset(1.0));
            }
        }
    }

    @Test
    void intervalEmittersGoWholeToOneShard() {
        List<Event> shard1 = events(MIXED, new Shard(1, 3));
        assertThat(shard1.stream().map(Event::emitter).filter(n -> n.startsWith("dev-")).distinct()).containsExactly("dev-2");
        assertThat(events(MIXED, new Shard(0, 3)).stream().map(Event::emitter).filter(n -> n.startsWith("dev-")).distinct())
                .containsExactly("dev-1", "dev-4");
    }

    @Test
    void theScheduleOfAShardIsItsShare() {
        Scenario.Emitter e = rate("steady", 6000, Arrivals.UNIFORM, 0, 0);
        Traffic t = new Shard(2, 3).apply(Traffic.of(e, RUN, TICK, SEED, 1), e, 0);
        assertThat(t.schedule().effEps(3)).isCloseTo(2000, org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "3|not a shard: '3' (write I/N, e.g. 0/3, 1/3 and 2/3 for three shards)",
            "a/b|not a shard: 'a/b' (write I/N, e.g. 0/3, 1/3 and 2/3 for three shards)",
            "-1/3|not a shard: '-1/3' (write I/N, e.g. 0/3, 1/3 and 2/3 for three shards)",
            "3/3|'3/3': the shard's index counts from 0, so it must be below 3 (the shards of 3 are 0/3 ... 2/3)",
            "0/0|'0/0': the number of shards (after the /) must be at least 1"})
    void badShardsAreRefusedInTheUsersWords(String text, String message) {
        assertThatThrownBy(() -> Shard.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void parsesAndPrints() {
        assertThat(Shard.parse(" 1 / 3 ")).isEqualTo(new Shard(1, 3)).hasToString("1/3");
        assertThat(Shard.parse("0/1").whole()).isTrue();
    }
}
