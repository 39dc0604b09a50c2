package io.longrun.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.pace.FakeClock;
import io.longrun.pace.Pacer;
import io.longrun.pace.RateCurve;
import io.longrun.pace.Schedule;
import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatcherTest {
    final FakeClock clock = new FakeClock();

    Pacer constant(double rate, double seconds) {
        return new Pacer(new Schedule(RateCurve.of(rate, Scenario.Schedule.ALWAYS, Duration.ofMillis((long) (seconds * 1000))), 1, 0, 1, 1));
    }

    /** A sink that handles the tickets of each batch one by one. */
    static Dispatcher.Sink each(java.util.function.BiConsumer<Dispatcher.Ticket, Runnable> one) {
        return (batch, done) -> batch.forEach(t -> one.accept(t, done));
    }

    Outcomes.Stats run(Dispatcher d, Outcomes o, Dispatcher.Sink sink) {
        d.begin(clock.nanoTime());
        d.run(sink);
        return o.totals().get(0);
    }

    /** Due times that note, at each read of the next one, how many events the sink had been handed by then. */
    static final class Watched implements io.longrun.pace.DueTimes {
        final io.longrun.pace.DueTimes times;
        final java.util.function.IntSupplier handed;
        final List<Integer> handedAtRead = new ArrayList<>();

        Watched(io.longrun.pace.DueTimes times, java.util.function.IntSupplier handed) {
            this.times = times;
            this.handed = handed;
        }

        @Override
        public long nextIndex() {
            return times.nextIndex();
        }

        @Override
        public double nextDue() {
            handedAtRead.add(handed.getAsInt());
            return times.nextDue();
        }
    }

    @Test
    void aSparseEmittersEventIsHandedOnBeforeItsNextOneIsReadAndADenseOnesShareTheirBatch() {
        // a replay reads and parses its next record to know its due time: that must not delay the event in hand
        Outcomes o = new Outcomes(List.of("sparse"));
        List<Integer> batches = new ArrayList<>();
        int[] handed = {0};
        Watched sparse = new Watched(constant(100, 1), () -> handed[0]); // 10 ms apart, the slack is 1 ms
        Dispatcher d = new Dispatcher(List.of(sparse), 8, Duration.ofSeconds(1), Dispatcher.SLACK, clock, o);
        run(d, o, (batch, done) -> {
            if (!batch.isEmpty()) batches.add(batch.size()); // (empty ones warm the route before the clock starts)
            handed[0] += batch.size();
            batch.forEach(t -> done.run());
        });
        // the first event is read before the clock starts; each next one after the one before was handed on
        assertThat(sparse.handedAtRead.subList(1, 101)).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
        assertThat(batches).hasSize(100).containsOnly(1);

        Outcomes o2 = new Outcomes(List.of("dense"));
        List<Integer> denseBatches = new ArrayList<>();
        Dispatcher dense = new Dispatcher(List.of(constant(10_000, 0.1)), 64, Duration.ofSeconds(1), Dispatcher.SLACK, clock, o2);
        run(dense, o2, (batch, done) -> {
            if (!batch.isEmpty()) denseBatches.add(batch.size());
            batch.forEach(t -> done.run());
        });
        // 0.1 ms apart: the first goes alone (nothing came before it), then those due within the 1 ms slack go together
        assertThat(denseBatches.get(0)).isEqualTo(1);
        assertThat(denseBatches.subList(1, denseBatches.size())).allSatisfy(n -> assertThat(n).isGreaterThan(5));
    }

    @Test
    void everyDueEventIsSentAtItsDueTimeWhenTheTargetKeepsUp() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(100, 2)), 8, Duration.ofSeconds(1), clock, o);
        List<Long> sentAt = new ArrayList<>();
        Outcomes.Stats s = run(d, o, each((t, done) -> {
            sentAt.add(clock.nanoTime());
            assertThat(clock.nanoTime()).isEqualTo(t.due());
            o.completed(t.emitter(), t.seq(), Outcome.ACCEPTED, "201", t.due(), t.due(), t.due());
            done.run();
        }));
        assertThat(s.planned()).isEqualTo(200);
        assertThat(s.sent()).isEqualTo(200);
        assertThat(s.dropped()).isZero();
        assertThat(sentAt.get(1) - sentAt.get(0)).isEqualTo(10_000_000L);
    }

    @Test
    void beforeTheClockStartsTheRouteIsWarmedWithEmptyBatchesThatCountForNothing() throws Exception {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(100, 1)), 8, Duration.ofSeconds(1), clock, o);
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread runner = new Thread(() -> d.run((batch, done) -> {
            sizes.add(batch.size());
            for (Dispatcher.Ticket t : batch) {
                o.completed(t.emitter(), t.seq(), Outcome.ACCEPTED, "201", t.due(), t.due(), t.due());
                done.run();
            }
        }));
        runner.start();
        assertThat(d.awaitRouteWarm(Duration.ofSeconds(10))).as("warmed before the gate opens").isTrue();
        assertThat(sizes).hasSize(Dispatcher.ROUTE_WARM_UPS).containsOnly(0);
        d.begin(clock.nanoTime());
        runner.join(10_000);
        assertThat(sizes.subList(Dispatcher.ROUTE_WARM_UPS, sizes.size())).isNotEmpty().doesNotContain(0);
        Outcomes.Stats s = o.totals().get(0);
        assertThat(s.planned()).isEqualTo(100);
        assertThat(s.accepted()).isEqualTo(100);
    }

    @Test
    void whenMaxInFlightRequestsArePendingDueEventsWaitOneTickThenAreDroppedAndCounted() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(10, 5)), 2, Duration.ofSeconds(1), clock, o);
        List<Runnable> never = new ArrayList<>();
        Outcomes.Stats s = run(d, o, each((t, done) -> never.add(done))); // the target never answers
        assertThat(s.planned()).isEqualTo(50);
        assertThat(s.sent()).isEqualTo(2);
        assertThat(s.dropped()).isEqualTo(48);
        assertThat(s.planned()).isEqualTo(s.sent() + s.dropped());
    }

    @Test
    void aSlotFreedWithinTheTickLetsTheWaitingEventGoAndItsWaitCountsInTheIntendedLatency() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(10, 3)), 1, Duration.ofSeconds(1), clock, o);
        // one slot, events every 100 ms, each response takes 120 ms: each event waits 20 ms longer than the one
        // before for the slot (580 ms for the last, less than a tick), so none is dropped
        Outcomes.Stats s = run(d, o, each((t, done) -> {
            long sentAt = clock.nanoTime();
            clock.at(sentAt + 120_000_000L, () -> {
                o.completed(t.emitter(), t.seq(), Outcome.ACCEPTED, "201", t.due(), sentAt, clock.nanoTime());
                done.run();
            });
        }));
        clock.parkUntil(Long.MAX_VALUE / 2); // let the last responses arrive
        o.snapshot();
        s = o.totals().get(0);
        assertThat(s.dropped()).isZero();
        assertThat(s.sent()).isEqualTo(30);
        assertThat(s.accepted()).isEqualTo(30);
        // service time stays 120 ms; time from the intended send grows by 20 ms per event: coordinated omission shows
        assertThat(s.service().p99()).isCloseTo(120, org.assertj.core.data.Offset.offset(1.0));
        assertThat(s.intended().max()).isCloseTo(700, org.assertj.core.data.Offset.offset(2.0));
    }

    @Test
    void anEventMoreThanOneTickLateIsDroppedNotSentInABurst() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(10, 10)), 8, Duration.ofSeconds(1), clock, o);
        int[] n = {0};
        Outcomes.Stats s = run(d, o, each((t, done) -> {
            if (++n[0] == 20) clock.advance(3_000_000_000L); // the process stalls for 3 s after the 20th send
            done.run();
        }));
        assertThat(s.planned()).isEqualTo(100);
        // events due during the stall, up to one tick before the clock's new time, are dropped
        assertThat(s.dropped()).isBetween(19L, 21L);
        assertThat(s.sent() + s.dropped()).isEqualTo(100);
    }

    @Test
    void emittersAreServedInDueOrderFromOneThread() throws Exception {
        Outcomes o = new Outcomes(List.of("a", "b"));
        // a: 3/s, b: 2/s over one second; their events interleave by due time
        Dispatcher d = new Dispatcher(List.of(constant(3, 1), constant(2, 1)), 8, Duration.ofSeconds(1), clock, o);
        List<Dispatcher.Ticket> tickets = new ArrayList<>();
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // run() on a thread of the test's own, so that "one thread" means that one, and not the caller by chance
        Thread runner = new Thread(() -> d.run((batch, done) -> {
            threads.add(Thread.currentThread());
            for (Dispatcher.Ticket t : batch) {
                tickets.add(t);
                done.run();
            }
        }), "the-dispatcher");
        runner.start();
        d.begin(0);
        runner.join(10_000);
        assertThat(runner.isAlive()).as("the schedule ended").isFalse();
        assertThat(threads).as("every batch, of both emitters, handed over on the thread that called run()").containsExactly(runner);
        assertThat(tickets).extracting(Dispatcher.Ticket::due).isSorted();
        assertThat(tickets).extracting(Dispatcher.Ticket::emitter).hasSize(5).containsOnly(0, 1);
        assertThat(tickets.stream().filter(t -> t.emitter() == 0)).extracting(Dispatcher.Ticket::seq).containsExactly(0L, 1L, 2L);
        assertThat(tickets.stream().filter(t -> t.emitter() == 1)).extracting(Dispatcher.Ticket::seq).containsExactly(0L, 1L);
        assertThat(o.totals().get(0).sent()).isEqualTo(3);
        assertThat(o.totals().get(1).sent()).isEqualTo(2);
    }

    @Test
    void eventsDueWithinTheSlackGoOutAsOneBatch() {
        Outcomes o = new Outcomes(List.of("a"));
        // 10,000/s: an event every 100 us; with 1 ms of slack, about ten share each wake-up
        Dispatcher d = new Dispatcher(List.of(constant(10_000, 1)), 10_000, Duration.ofSeconds(1), Duration.ofMillis(1), clock, o);
        List<Integer> sizes = new ArrayList<>();
        d.begin(0);
        d.run((batch, done) -> {
            if (!batch.isEmpty()) sizes.add(batch.size()); // the route's warm-up batches are empty
            for (Dispatcher.Ticket t : batch) {
                assertThat(t.due() - clock.nanoTime()).as("never more than the slack early").isBetween(-1L, 1_000_000L);
                done.run();
            }
        });
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
        assertThat(sizes.size()).as("wake-ups").isBetween(900, 1100);
    }

    @Test
    void stopEndsTheScheduleAndNoFurtherEventIsPlanned() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(10, 100)), 8, Duration.ofSeconds(1), clock, o);
        int[] n = {0};
        Outcomes.Stats s = run(d, o, each((t, done) -> {
            if (++n[0] == 5) d.stop();
            done.run();
        }));
        assertThat(s.planned()).isEqualTo(5);
        assertThat(d.finished()).isTrue();
    }

    /** Sends per 100 ms window, from send times in nanoseconds. */
    static java.util.Map<Long, Integer> perWindow(List<Long> at) {
        java.util.Map<Long, Integer> w = new java.util.TreeMap<>();
        for (long t : at) w.merge(t / 100_000_000L, 1, Integer::sum);
        return w;
    }

    @Test
    void aStallShorterThanATickIsMadeUpAtMostTenPercentAboveTheScheduleNotInABurst() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(1000, 10)), 64, Duration.ofSeconds(1), Duration.ofMillis(1), 0.10, clock, o);
        List<Long> at = new ArrayList<>();
        Outcomes.Stats s = run(d, o, each((t, done) -> {
            at.add(clock.nanoTime());
            if (at.size() == 2000) clock.advance(500_000_000L); // the process stalls for 500 ms at 2 s
            done.run();
        }));
        assertThat(s.sent()).isEqualTo(10_000);
        assertThat(s.dropped()).isZero();
        // 100 events are due in each 100 ms; after the stall at most 110 go (10 more for the 10 ms allowance, one for
        // the 1 ms slack), never 500 at once
        assertThat(perWindow(at).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(121));
        assertThat(perWindow(at).get(26L)).as("catching up, at the cap").isBetween(108, 111);
        // 500 ms made up at 10 %: 5 s; the last events go at their due time again
        assertThat(at.get(at.size() - 1)).isCloseTo(10_000_000_000L, org.assertj.core.data.Offset.offset(2_000_000L));
        assertThat(perWindow(at).get(90L)).as("caught up by 7.5 s").isEqualTo(100);
    }

    @Test
    void aStallLongerThanATickDropsTheEventsTheCapWouldSendMoreThanATickLateAndCountsThemAsLate() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(100, 10)), 64, Duration.ofSeconds(1), Duration.ofMillis(1), 0.10, clock, o);
        List<Long> at = new ArrayList<>();
        Outcomes.Stats s = run(d, o, each((t, done) -> {
            at.add(clock.nanoTime());
            if (at.size() == 200) clock.advance(2_500_000_000L); // 2.5 s, at 2 s
            done.run();
        }));
        assertThat(s.planned()).isEqualTo(1000);
        // due in [2.0 s, 3.5 s): more than a tick late when the stall ends at 4.5 s
        assertThat(s.dropped()).isBetween(146L, 152L);
        assertThat(o.droppedBy()).containsOnlyKeys(Outcomes.LATE).containsEntry(Outcomes.LATE, s.dropped());
        assertThat(s.sent() + s.dropped()).isEqualTo(1000);
        assertThat(perWindow(at).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(13));
    }

    @Test
    void aZeroCapKeepsTheLagAndNeverGoesFasterThanTheSchedule() {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(1000, 5)), 64, Duration.ofSeconds(1), Duration.ofMillis(1), 0, clock, o);
        List<Long> at = new ArrayList<>();
        Outcomes.Stats s = run(d, o, each((t, done) -> {
            at.add(clock.nanoTime());
            if (at.size() == 1000) clock.advance(200_000_000L);
            done.run();
        }));
        assertThat(s.sent()).isEqualTo(5000);
        assertThat(perWindow(at).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(111));
        assertThat(at.get(at.size() - 1)).as("190 ms behind to the end").isCloseTo(5_190_000_000L, org.assertj.core.data.Offset.offset(5_000_000L));
    }

    Dispatcher.Warmed warmUp(Dispatcher d, Outcomes o, java.util.function.BooleanSupplier settled, List<Dispatcher.Ticket> seen) throws Exception {
        d.warmUp(new Dispatcher.WarmUp(1000, Duration.ofSeconds(1), Duration.ofSeconds(3), settled));
        Thread runner = new Thread(() -> d.run((batch, done) -> {
            for (Dispatcher.Ticket t : batch) {
                seen.add(t);
                if (t.seq() >= 0) o.completed(t.emitter(), t.seq(), Outcome.ACCEPTED, "201", t.due(), t.due(), t.due());
                done.run();
            }
        }));
        runner.start();
        Dispatcher.Warmed w = d.awaitWarm(Duration.ofSeconds(10));
        assertThat(o.totals().get(0).planned()).as("the warm-up counts in no outcome").isZero();
        d.begin(clock.nanoTime());
        runner.join(10_000);
        return w;
    }

    @Test
    void theWarmUpRunsAtItsRateUntilTheJitSettlesWithNegativeSequenceNumbersThatCountForNothing() throws Exception {
        Outcomes o = new Outcomes(List.of("a", "b"));
        Dispatcher d = new Dispatcher(List.of(constant(100, 1), constant(100, 1)), 8, Duration.ofSeconds(1), Duration.ofMillis(1), 0.10, clock, o);
        int[] asked = {0};
        List<Dispatcher.Ticket> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Dispatcher.Warmed w = warmUp(d, o, () -> ++asked[0] >= 5, seen); // settled at the 5th question: 1.4 s
        assertThat(w.settled()).isTrue();
        assertThat(w.took()).isBetween(Duration.ofMillis(1400), Duration.ofMillis(1401));
        assertThat(w.events()).isBetween(1400L, 1401L);
        List<Dispatcher.Ticket> warm = seen.stream().filter(t -> t.seq() < 0).toList();
        assertThat(warm).hasSize((int) w.events());
        assertThat(warm).extracting(Dispatcher.Ticket::emitter).contains(0, 1); // every emitter's rendering is warmed
        assertThat(seen.subList(warm.size(), seen.size())).as("after the warm-up, only the run's events").allSatisfy(t -> assertThat(t.seq()).isNotNegative());
        assertThat(o.totals().get(0).accepted() + o.totals().get(1).accepted()).isEqualTo(200);
    }

    @Test
    void aWarmUpWhoseJitNeverSettlesStopsAtItsCap() throws Exception {
        Outcomes o = new Outcomes(List.of("a"));
        Dispatcher d = new Dispatcher(List.of(constant(100, 1)), 8, Duration.ofSeconds(1), Duration.ofMillis(1), 0.10, clock, o);
        Dispatcher.Warmed w = warmUp(d, o, () -> false, java.util.Collections.synchronizedList(new ArrayList<>()));
        assertThat(w.settled()).isFalse();
        // at its cap, 3 s: each 100 ms slice ends at the first wake-up past it, here up to 1 ms later (one event apart)
        assertThat(w.took()).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3030));
        assertThat(w.events()).as(w.toString()).isEqualTo(w.took().toMillis()); // at its rate, 1,000/s
        assertThat(o.totals().get(0).accepted()).isEqualTo(100);
    }
}
