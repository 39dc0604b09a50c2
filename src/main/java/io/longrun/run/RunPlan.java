package io.longrun.run;

import io.longrun.deliver.Delivery;
import io.longrun.deliver.Outcomes;
import io.longrun.generate.EventFormat;
import io.longrun.generate.Formats;
import io.longrun.pace.DueTimes;
import io.longrun.pace.Schedule;
import io.longrun.pace.Traffic;
import io.longrun.random.SplitMix;
import io.longrun.replay.ReplayFormat;
import io.longrun.replay.ReplaySource;
import io.longrun.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The first part of a run's assembly: the scenario resolved into lanes, one per emitter, each with its schedule, its
 * due times (this shard's, or a resume's remainder), its format and its seeded stream; and the outcomes they count
 * into. Nothing here starts a thread or opens a socket.
 *
 * @param replays the emitters that replay recordings, for the skips reported at the end
 */
record RunPlan(Outcomes outcomes, List<Schedule> schedules, List<DueTimes> dueTimes, List<Delivery.Lane> lanes,
               List<Map.Entry<String, ReplaySource>> replays) {

    static RunPlan of(Scenario sc, long seed, ShardedRun shards, Resume resume) {
        List<String> names = sc.emitters().stream().map(Scenario.Emitter::name).toList();
        Outcomes outcomes = new Outcomes(names);
        shards.split(sc, outcomes);
        List<Schedule> schedules = new ArrayList<>();
        List<DueTimes> dueTimes = new ArrayList<>();
        List<Delivery.Lane> lanes = new ArrayList<>();
        List<Map.Entry<String, ReplaySource>> replays = new ArrayList<>();
        for (Scenario.Emitter e : sc.emitters()) {
            long stream = SplitMix.hash(e.name());
            Traffic whole = Traffic.of(e, sc, seed, stream), traffic = shards.traffic(e, whole);
            schedules.add(traffic.schedule());
            dueTimes.add(resume == null ? shards.wrap(traffic.dueTimes()) : resume.wrap(traffic.dueTimes()));
            EventFormat format = whole.dueTimes() instanceof ReplaySource rs ? new ReplayFormat(rs)
                    : io.longrun.generate.UserFormat.isUser(e.format())
                    ? new io.longrun.generate.UserFormat(io.longrun.generate.UserFormat.resolve(e.format(), e.options().user()), sc.phaseStarts())
                    : Formats.create(e.format(), e.options().withPhaseStarts(sc.phaseStarts()));
            if (whole.dueTimes() instanceof ReplaySource rs) replays.add(Map.entry(e.name(), rs));
            lanes.add(new Delivery.Lane(e.name(), format, stream, e.url().orElse(null), e.headers()));
        }
        return new RunPlan(outcomes, List.copyOf(schedules), List.copyOf(dueTimes), List.copyOf(lanes), List.copyOf(replays));
    }
}
