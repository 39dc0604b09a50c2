package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.DbSettings;
import io.longrun.pace.Clock;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.TargetRules;
import io.longrun.testing.Await;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import io.longrun.watch.LogSample;
import io.longrun.watch.LogTail;
import io.longrun.watch.LogWatcher;
import io.longrun.watch.Signals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each fault of the reference target, started from code over real HTTP and a real PostgreSQL, has the effect its
 * stop criterion looks for; the scheduler upserts, the evaluate endpoint answers, SCHEDULER_ENABLED=0 stops the timer.
 */
class TargetFaultsTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static TargetServer.Config config(DbSettings db, String... faults) {
        return TargetServer.Config.of(db).withFaults(Faults.parse(List.of(faults)));
    }

    static HttpResponse<String> post(TargetServer t, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> health(TargetServer t) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String event(UUID id, String ts, String room) {
        return "{\"id\":\"" + id + "\",\"timestamp\":\"" + ts + "\",\"category\":\"motion\",\"payload\":{\"room\":\"" + room + "\",\"state\":\"on\"}}";
    }

    /** longrun's own log watcher on the target's log, with its default level expressions, counting since it started. */
    static final class LogCounts implements Signals {
        final LogWatcher watcher;
        long lines;
        final Map<String, Long> levels = new HashMap<>(), exceptions = new HashMap<>(), matches = new HashMap<>();

        LogCounts(Path file) {
            watcher = new LogWatcher(List.of(new LogTail(file)), Scenario.Watch.DEFAULT_LEVELS, List.of("scheduler tick"), Clock.SYSTEM, this);
            watcher.start();
        }

        public void onHealth(HealthSample s) {}

        public void onDb(DbSample s) {}

        public void onLog(LogSample s) {
            lines += s.lines();
            s.levels().forEach((k, v) -> levels.merge(k, v, Long::sum));
            s.exceptions().forEach((k, v) -> exceptions.merge(k, v, Long::sum));
            s.matches().forEach((k, v) -> matches.merge(k, v, Long::sum));
        }

        LogCounts poll() {
            watcher.poll();
            return this;
        }

        long level(String l) {
            return levels.getOrDefault(l, 0L);
        }

        long ticks() {
            return matches.getOrDefault("scheduler tick", 0L);
        }
    }

    /**
     * A rate fault's rate, seen over real time from {@code t0} (taken before the target started, so before its rate
     * began): {@code what} must never run ahead of {@code perSecond} (floor(rate x elapsed) is the most it may
     * have done), and it must reach {@code n} within three times its nominal time plus a start-up allowance (a
     * late timer catches up, so a loaded machine delays it but does not lose it).
     */
    static void atRate(ToLongFunction<Void> what, double perSecond, long n, long t0) throws Exception {
        long count = Await.until(Duration.ofNanos((long) ((3 * n / perSecond + 5) * 1e9)), Duration.ofMillis(50), () -> {
            long c = what.applyAsLong(null);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            assertThat((double) c).as("not faster than %s a second: %d after %.2f s", perSecond, c, elapsed)
                    .isLessThanOrEqualTo(perSecond * elapsed + 1);
            return c;
        }, c -> c >= n);
        assertThat(count).as("%d reached at %s a second", n, perSecond).isGreaterThanOrEqualTo(n);
    }

    @Test
    void theLogFileHasOneFormattedLinePerEntryThatTheLogWatcherReadsByLevel() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("logs/target.log"); // the folder is created
        try (TargetServer t = TargetServer.start(config(db, "error_rate=1").withLogFile(log))) {
            LogCounts counts = new LogCounts(log);
            assertThat(post(t, "/event", "{\"id\":\"nope\"}").statusCode()).isEqualTo(500); // error_rate answers first
            List<String> lines = Files.readAllLines(log);
            assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[target] listening on port " + t.port() + "; .*");
            assertThat(lines.get(lines.size() - 1))
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ERROR \\[event] request failed: injected failure \\(fault error_rate\\)");
            counts.poll();
            assertThat(counts.level("ERROR")).isEqualTo(1);
        }
        DbSettings db2 = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(config(db2).withLogFile(log))) {
            LogCounts counts = new LogCounts(log);
            assertThat(post(t, "/event", "{\"id\":\"nope\"}").statusCode()).isEqualTo(400);
            List<String> lines = Files.readAllLines(log);
            assertThat(lines.get(lines.size() - 1)).endsWith(" WARN  [event] rejected event: id must be a UUID");
            counts.poll();
            assertThat(counts.level("WARN")).isEqualTo(1);
            assertThat(counts.level("ERROR")).isZero();
        }
        assertThat(Files.readAllLines(log).get(Files.readAllLines(log).size() - 1)).as("appended, not truncated").contains("[target] stopped");
        assertThat(Files.readAllLines(log).stream().filter(l -> l.contains("listening on port")).count()).isEqualTo(2);
    }

    @Test
    void logNoiseWritesErrorAndWarnLinesAtItsRate() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("noise.log");
        long t0 = System.nanoTime();
        try (TargetServer t = TargetServer.start(config(db, "log_noise=1200/m").withLogFile(log))) {
            LogCounts c = new LogCounts(log);
            atRate(x -> c.poll().lines, 20, 60, t0);
            assertThat(c.level("ERROR") + c.level("WARN")).as("every line is an ERROR or a WARN").isEqualTo(c.lines);
            assertThat(c.level("ERROR")).isPositive();
            assertThat(c.level("WARN")).isPositive();
            assertThat(c.exceptions).as("noise is not an exception").isEmpty();
        }
    }

    @Test
    void repeatedExceptionLogsTheSameExceptionWithItsStackTraceAtItsRate() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("exc.log");
        long t0 = System.nanoTime();
        try (TargetServer t = TargetServer.start(config(db, "repeated_exception=600/m").withLogFile(log))) {
            LogCounts c = new LogCounts(log);
            atRate(x -> c.poll().exceptions.values().stream().mapToLong(Long::longValue).sum(), 10, 30, t0);
            assertThat(c.exceptions).as("one and the same first line").hasSize(1);
            assertThat(c.exceptions.keySet().iterator().next()).startsWith("java.lang.IllegalStateException: deviation window overlaps");
            long n = c.exceptions.values().iterator().next();
            assertThat(c.level("ERROR")).as("each with an ERROR line").isEqualTo(n);
            List<String> lines = Files.readAllLines(log);
            int first = lines.indexOf(lines.stream().filter(l -> l.startsWith("java.lang.IllegalStateException")).findFirst().orElseThrow());
            assertThat(lines.get(first - 1)).contains(" ERROR [scheduler] rule evaluation failed");
            assertThat(lines.get(first + 1)).startsWith("\tat io.longrun.reference.Scheduler.");
        }
        assertThat(Faults.parse(List.of("repeated_exception")).repeatedExceptionPerMinute()).isEqualTo(30.0);
    }

    @Test
    void nonUtcStoresTimestampsHHoursEarly() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Instant sent = Instant.parse("2026-11-29T10:00:00.123Z");
        try (TargetServer t = TargetServer.start(config(db, "non_utc=3"))) {
            UUID id = UUID.randomUUID();
            assertThat(post(t, "/event", event(id, sent.toString(), "hall")).statusCode()).isEqualTo(201);
            long stored = TestDb.scalar(db, "select (extract(epoch from \"timestamp\") * 1000)::bigint from events where id = '" + id + "'");
            assertThat(Instant.ofEpochMilli(stored)).isEqualTo(sent.minus(Duration.ofHours(3)));
        }
        assertThat(Faults.parse(List.of("non_utc")).nonUtcHours().getAsInt()).isEqualTo(2);
        assertThat(Faults.parse(List.of("non_utc=-5")).nonUtcHours().getAsInt()).isEqualTo(-5);
    }

    @Test
    void slowAfterDelaysEveryRequestOnceItsTimeHasComeWithoutHoldingAThread() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Duration delay = Duration.ofSeconds(2);
        long started = System.nanoTime(); // the slowness counts from a moment after this one
        try (TargetServer t = TargetServer.start(config(db, "slow_after=4s", "slow_latency=" + delay.toSeconds() + "s"))) {
            long t0 = System.nanoTime();
            assertThat(health(t).statusCode()).isEqualTo(200);
            // answered before slow_after had passed since the target started: it cannot have been delayed
            if (System.nanoTime() - started < 4_000_000_000L)
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not slow yet").isLessThan(delay);
            // wait until the slowness has started: a health check that takes the slow latency
            Duration took = Await.until(Duration.ofSeconds(20), Duration.ZERO, () -> {
                long s = System.nanoTime();
                health(t);
                return Duration.ofNanos(System.nanoTime() - s);
            }, d -> d.compareTo(delay) >= 0);
            assertThat(took).isGreaterThanOrEqualTo(delay);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));

            // an event is slow too, and still stored whole (its body waited in the socket)
            UUID id = UUID.randomUUID();
            long s = System.nanoTime();
            assertThat(post(t, "/event", event(id, "2026-11-29T10:00:00Z", "hall")).statusCode()).isEqualTo(201);
            assertThat(Duration.ofNanos(System.nanoTime() - s)).isGreaterThanOrEqualTo(delay);
            assertThat(TestDb.scalar(db, "select count(*) from events where id = '" + id + "' and payload->>'room' = 'hall'")).isEqualTo(1);

            // 60 requests at once: each is delayed, and as the delay holds no thread they wait out their delays
            // together, all answered about one delay after they were sent. Had each delay held one of Vert.x's 20
            // workers, they would wait in three rounds: the last answered three delays after it was sent.
            HttpClient many = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
            long m = System.nanoTime();
            for (int i = 0; i < 60; i++)
                all.add(many.sendAsync(HttpRequest.newBuilder(URI.create(t.baseUrl() + "/health")).GET().build(), HttpResponse.BodyHandlers.discarding()));
            for (var f : all) assertThat(f.get().statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - m)).as("60 delayed requests, sent at once, all answered")
                    .isGreaterThanOrEqualTo(delay).isLessThan(delay.multipliedBy(2));
        }
    }

    /**
     * Motion in the cellar 20 minutes ago (10-minute rule: it deviates), in the hall a minute ago (it does not). The
     * cellar is no room of longrun's generated events, which would end its quiet.
     */
    static void quietKitchen(DbSettings db) throws Exception {
        try (var c = TestDb.connect(db); var st = c.createStatement()) {
            st.execute("insert into events (id, \"timestamp\", category, payload) values "
                    + "(gen_random_uuid(), now() - interval '20 minutes', 'motion', '{\"room\":\"cellar\",\"state\":\"on\"}'), "
                    + "(gen_random_uuid(), now() - interval '1 minute', 'motion', '{\"room\":\"hall\",\"state\":\"on\"}'), "
                    + "(gen_random_uuid(), now() - interval '2 hours', 'motion', '{\"room\":\"attic\",\"state\":\"on\"}'), "
                    + "(gen_random_uuid(), now() - interval '30 minutes', 'door', '{\"room\":\"porch\",\"state\":\"open\"}')");
        }
    }

    static JsonNode evaluate(TargetServer t) throws Exception {
        HttpResponse<String> r = post(t, "/deviations/evaluate", "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theEvaluateEndpointUpsertsOneDeviationPerRuleAndSubject() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(config(db).withScheduler(false))) {
            quietKitchen(db);
            JsonNode first = evaluate(t);
            assertThat(fields(first)).containsExactly("evaluated", "subjects", "upserted", "inserted", "updated", "took_ms");
            // subjects: rooms with motion within the hour (cellar, hall); the attic is beyond the lookback, the porch had a door event
            assertThat(first.get("evaluated").asInt()).isEqualTo(1);
            assertThat(first.get("subjects").asInt()).isEqualTo(2);
            assertThat(first.get("upserted").asInt()).isEqualTo(1);
            assertThat(first.get("inserted").asInt()).isEqualTo(1);
            assertThat(first.get("updated").asInt()).isZero();
            assertThat(first.get("took_ms").asLong()).isNotNegative();
            JsonNode second = evaluate(t);
            assertThat(second.get("upserted").asInt()).isEqualTo(1);
            assertThat(second.get("inserted").asInt()).isZero();
            assertThat(second.get("updated").asInt()).isEqualTo(1);
            assertThat(TestDb.scalar(db, "select count(*) from deviations")).isEqualTo(1);
            assertThat(TestDb.scalar(db, "select hits from deviations where rule = 'no_motion' and subject = 'cellar'")).isEqualTo(2);
            assertThat(TestDb.scalar(db, "select count(*) from deviations where updated_at > created_at and severity = 'warning' "
                    + "and window_end > window_start and details->>'absent_for' = '10m'")).isEqualTo(1);
            assertThat(TestDb.scalar(db, "select count(*) - count(distinct (rule, subject)) from deviations")).as("duplicate_rows' query").isZero();
        }
    }

    @Test
    void dupDeviationsInsertsARowEachTimeARuleFires() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(config(db, "dup_deviations").withScheduler(false))) {
            quietKitchen(db);
            for (int i = 0; i < 3; i++) {
                JsonNode r = evaluate(t);
                assertThat(r.get("inserted").asInt()).isEqualTo(1);
                assertThat(r.get("updated").asInt()).isZero();
            }
            assertThat(TestDb.scalar(db, "select count(*) from deviations where rule = 'no_motion' and subject = 'cellar'")).isEqualTo(3);
            assertThat(TestDb.scalar(db, "select count(*) - count(distinct (rule, subject)) from deviations")).as("duplicate_rows' query").isEqualTo(2);
        }
    }

    static final TargetRules FAST = new TargetRules(List.of(new TargetRules.Rule("no_motion", "motion", Duration.ofMinutes(10),
            Duration.ofMillis(300), "room", Duration.ofHours(1), "warning", true)));

    @Test
    void theSchedulerTicksOnItsTimerLogsEachTickAndUpserts() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("sched.log");
        try (TargetServer t = TargetServer.start(config(db).withRules(FAST).withLogFile(log))) {
            assertThat(t.schedulerOn()).isTrue();
            quietKitchen(db);
            LogCounts c = new LogCounts(log);
            long hits = Await.until(Duration.ofSeconds(15), Duration.ofMillis(100),
                    () -> TestDb.scalar(db, "select coalesce(max(hits), 0) from deviations"), h -> h >= 4);
            assertThat(hits).isGreaterThanOrEqualTo(4);
            assertThat(TestDb.scalar(db, "select count(*) from deviations")).as("upserted, not inserted again").isEqualTo(1);
            c.poll();
            assertThat(c.ticks()).isGreaterThanOrEqualTo(3);
            assertThat(Files.readString(log)).contains("INFO  [scheduler] scheduler tick: evaluated 1 rule(s) over 2 subject(s): "
                    + "1 deviation(s) upserted (0 inserted, 1 updated)");
            assertThat(t.metrics().scrape()).containsPattern("longrun_target_scheduler_ticks_total [1-9]")
                    .containsPattern("longrun_target_deviations_upserted_total [1-9]");
        }
    }

    @Test
    void schedulerEnabled0TurnsTheTimerOffAndTheEvaluateEndpointStillWorks() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("off.log");
        try (TargetServer t = TargetServer.start(config(db).withRules(FAST).withLogFile(log).withEnv(Map.of("SCHEDULER_ENABLED", "0")))) {
            assertThat(t.schedulerOn()).isFalse();
            quietKitchen(db);
            // ten periods of the rule: the timer, were it on, would have ticked (the test above sees it do so)
            Thread.sleep(3000);
            assertThat(Files.readString(log)).doesNotContain("scheduler tick");
            assertThat(TestDb.scalar(db, "select count(*) from deviations")).isZero();
            assertThat(evaluate(t).get("inserted").asInt()).isEqualTo(1);
            assertThat(Files.readString(log)).contains("INFO  [evaluate] evaluate: evaluated 1 rule(s)").doesNotContain("scheduler tick");
        }
        TargetServer.Config c = config(db).withEnv(Map.of("SCHEDULER_ENABLED", "0"));
        assertThat(c.schedulerOn()).isFalse();
        assertThat(c.withScheduler(true).schedulerOn()).as("--scheduler on overrides the environment").isTrue();
        assertThat(config(db).withEnv(Map.of("SCHEDULER_ENABLED", "1")).schedulerOn()).isTrue();
        assertThat(config(db).schedulerOn()).as("on by default").isTrue();
    }

    @Test
    void modeBLongrunsEvaluateTimerPostsToTheTargetAndLogsItsAnswers() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("b.log");
        try (TargetServer t = TargetServer.start(config(db).withLogFile(log).withEnv(Map.of("SCHEDULER_ENABLED", "0")))) {
            quietKitchen(db);
            Path sc = dir.resolve("b.yaml");
            Files.writeString(sc, """
                    name: mode-b
                    duration: 3s
                    target: { url: "%s/event" }
                    emitters: [ { name: a, rate: 5 } ]
                    evaluate: { url: "%s/deviations/evaluate", every: 500ms }
                    """.formatted(t.baseUrl(), t.baseUrl()));
            Path runLog = dir.resolve("b.jsonl");
            long before = System.nanoTime();
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--log-file", runLog.toString());
            long wall = System.nanoTime() - before;
            assertThat(r.code()).as(r.all()).isZero();
            List<JsonNode> evaluations = RunLogs.ofType(RunLogs.read(runLog), "evaluate");
            // the timer's calls fall every 500 ms from its route's start (a late one is made up, never doubled), and
            // the route lives within the command: never more calls than 500 ms periods in the command's wall time
            assertThat(evaluations).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThanOrEqualTo((int) (wall / 500_000_000L))
                    .allMatch(e -> e.get("status").asInt() == 200);
            assertThat(evaluations).extracting(e -> Instant.parse(e.get("time").asText())).isSorted();
            assertThat(evaluations.get(0).at("/answer/inserted").asInt()).as("the target's answer, in the run log").isEqualTo(1);
            assertThat(evaluations.get(1).at("/answer/updated").asInt()).isEqualTo(1);
            assertThat(TestDb.scalar(db, "select hits from deviations where subject = 'cellar'")).isEqualTo(evaluations.size());
            String text = Files.readString(log);
            assertThat(text.lines().filter(l -> l.contains("[evaluate] evaluate: ")).count()).isEqualTo(evaluations.size());
            assertThat(text).doesNotContain("scheduler tick");
        }
    }

    @Test
    void dbBloatGrowsTheDatabaseAtItsRate() throws Exception {
        DbSettings db = TestDb.freshSchema();
        long t0 = System.nanoTime();
        try (TargetServer t = TargetServer.start(config(db, "db_bloat=120MB/m"))) {
            long dbBefore = TestDb.scalar(db, "select pg_database_size(current_database())");
            // the table's data in MB, as the rows hold it (its size on disk adds a few percent of pages and TOAST headers)
            atRate(x -> {
                try {
                    return TestDb.scalar(db, "select coalesce(sum(length(data)), 0) from bloat") >> 20;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 2, 6, t0);
            assertThat(TestDb.scalar(db, "select pg_total_relation_size('bloat')")).as("stored uncompressed").isGreaterThanOrEqualTo(6L << 20);
            assertThat(TestDb.scalar(db, "select pg_database_size(current_database())") - dbBefore).as("the database grows with it")
                    .isGreaterThan(5L << 20);
        }
    }

    /** The documented choice of fault lose, computed here from its definition rather than by calling the target's code. */
    static boolean dropped(UUID id, double share) {
        CRC32 crc = new CRC32();
        crc.update(id.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue() < share * 4294967296.0;
    }

    @Test
    void loseAnswers201ButDropsExactlyTheHashedShare() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(config(db, "lose=0.3"))) {
            Set<UUID> expected = new HashSet<>();
            int dropped = 0;
            for (int i = 0; i < 200; i++) {
                UUID id = UUID.randomUUID();
                HttpResponse<String> r = post(t, "/event", event(id, "2026-11-29T10:00:00Z", "hall"));
                assertThat(r.statusCode()).isEqualTo(201);
                assertThat(r.body()).contains("\"stored\":true");
                if (dropped(id, 0.3)) dropped++;
                else expected.add(id);
            }
            Set<UUID> stored = new HashSet<>();
            try (var c = TestDb.connect(db); var st = c.createStatement(); var rs = st.executeQuery("select id from events")) {
                while (rs.next()) stored.add(rs.getObject(1, UUID.class));
            }
            assertThat(stored).isEqualTo(expected);
            assertThat(dropped).as("about 30% of 200").isBetween(35, 85);
            assertThat(t.metrics().scrape()).contains("longrun_target_events_total{outcome=\"lost\"} " + dropped + ".0")
                    .contains("longrun_target_events_total{outcome=\"stored\"} " + (200 - dropped) + ".0");
        }
    }

    @Test
    void hotLoopInsertsTheSameDeviationAndLogsASchedulerTickForEach() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("hot.log");
        long t0 = System.nanoTime();
        try (TargetServer t = TargetServer.start(config(db, "hot_loop=20/s").withLogFile(log))) {
            LogCounts c = new LogCounts(log);
            atRate(x -> c.poll().ticks(), 20, 60, t0);
            long rows = TestDb.scalar(db, "select count(*) from deviations");
            assertThat(rows).isGreaterThanOrEqualTo(c.ticks());
            assertThat(TestDb.scalar(db, "select count(distinct (rule, subject)) from deviations")).isEqualTo(1);
        }
    }
}
