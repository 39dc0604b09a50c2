package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.longrun.db.DbSettings;
import io.longrun.testing.RunLogs;
import io.longrun.testing.Await;
import io.longrun.testing.TestDb;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three shards of one run as three processes of the packaged jar, coordinated through a folder and through real
 * PostgreSQL: one leader runs the watchers; killed with SIGKILL, another takes over and the run goes on; the delivery
 * criteria are judged on all shards' outcomes together (a leader whose own deliveries all succeed stops the run on
 * the others' errors), and its abort stops every shard within 2 s with exit 3.
 */
class LeaderIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** An HTTP server that answers every request with {@code status} (and 200 on /health). */
    static HttpServer server(int status) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(x.getRequestURI().getPath().equals("/health") ? 200 : status, -1);
            x.close();
        });
        s.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        s.start();
        return s;
    }

    static String url(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    /** A shard: its process, console and run log. */
    record ShardProc(int index, Process process, Path out, Path log) {
        String console() throws IOException {
            return Files.readString(out);
        }
    }

    /** The coordination store of {@code backend}, and the environment the shards need to reach it. */
    record Store(String url, Map<String, String> env) {}

    Store store(String backend) throws Exception {
        if (backend.equals("file")) return new Store("file:" + dir.resolve("coord"), Map.of());
        DbSettings db = TestDb.freshSchema();
        return new Store(db.url(), db.user().map(u -> Map.of("PGUSER", u)).orElse(Map.of()));
    }

    ShardProc start(int index, Store store, String scenarioId, String... more) throws IOException {
        String jar = System.getProperty("longrun.jar", "target/longrun.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-jar",
                Path.of(jar).toAbsolutePath().toString(), "run", "s.yaml", "--shard", index + "/3", "--coordinate", store.url(),
                "--scenario-id", scenarioId, "--metrics-port", "0", "--log-file", "s" + index + "/run.jsonl"));
        cmd.addAll(List.of(more));
        Path out = dir.resolve("s" + index + ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(store.env());
        pb.environment().remove("LONGRUN_DEBUG");
        return new ShardProc(index, pb.start(), out, dir.resolve("s" + index + "/run.jsonl"));
    }

    /** The run log's records; a line a kill cut is skipped. */
    static List<JsonNode> records(Path log) throws IOException {
        return RunLogs.readKilled(log);
    }

    static List<JsonNode> ofType(List<JsonNode> records, String type) {
        return RunLogs.ofType(records, type);
    }

    static List<String> leaderStates(Path log) throws IOException {
        return ofType(records(log), "leader").stream().map(r -> r.path("state").asText()).toList();
    }

    /** A shard's leads, {from, until} in epoch seconds; one still open ends at {@code killed} (the shard was killed holding it). */
    static List<double[]> leads(Path log, Instant killed) throws IOException {
        List<double[]> out = new ArrayList<>();
        double from = Double.NaN;
        for (JsonNode r : ofType(records(log), "leader")) {
            double t = time(r).toEpochMilli() / 1000.0;
            if (r.path("state").asText().equals("acquired")) from = t;
            else if (!Double.isNaN(from)) {
                out.add(new double[] {from, t});
                from = Double.NaN;
            }
        }
        if (!Double.isNaN(from)) out.add(new double[] {from, killed == null ? Double.MAX_VALUE : killed.toEpochMilli() / 1000.0});
        return out;
    }

    static Instant time(JsonNode r) {
        return Instant.parse(r.path("time").asText());
    }

    void awaitLeader(ShardProc s) throws Exception {
        String c = Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), s::console,
                x -> x.contains("leader: shard " + s.index() + "/3 (this one)") || !s.process().isAlive());
        assertThat(c).as(c).contains("leader: shard " + s.index() + "/3 (this one)");
    }

    void awaitRunning(ShardProc s) throws Exception {
        String c = Await.until(Duration.ofSeconds(90), Duration.ofMillis(100), s::console, x -> x.contains(" against ") || !s.process().isAlive());
        assertThat(c).as(c).contains(" against ");
    }

    /** A --start-at far enough ahead for three JVMs to start and warm up on two cores. */
    static String startAt() {
        return Instant.now().plusSeconds(40).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    static int exit(ShardProc s) throws Exception {
        assertThat(s.process().waitFor(120, TimeUnit.SECONDS)).as("shard " + s.index() + " ended").isTrue();
        return s.process().exitValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "postgresql"})
    void oneLeaderAtATimeAndAKilledLeaderIsReplacedWhileTheRunGoesOn(String backend) throws Exception {
        HttpServer ok = server(200);
        Store store = store(backend);
        Files.writeString(dir.resolve("s.yaml"), """
                name: led
                duration: 30s
                seed: 5
                target: { url: "%s/event", health_url: "%s/health", timeout: 2s }
                watch: { health_every: 250ms }
                emitters:
                  - { name: steady, rate: 30 }
                """.formatted(url(ok), url(ok)));
        List<ShardProc> shards = new ArrayList<>();
        try {
            shards.add(start(0, store, "led-" + backend));
            awaitLeader(shards.get(0));
            shards.add(start(1, store, "led-" + backend));
            shards.add(start(2, store, "led-" + backend));
            awaitRunning(shards.get(1));
            awaitRunning(shards.get(2));
            ShardProc first = shards.get(0);
            // the leader watches; the others do not
            assertThat(Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> ofType(records(first.log()), "health").size(), n -> n >= 4))
                    .isGreaterThanOrEqualTo(4);
            for (int i = 1; i < 3; i++) {
                assertThat(ofType(records(shards.get(i).log()), "health")).as("shard " + i + " runs no health watcher").isEmpty();
                assertThat(leaderStates(shards.get(i).log())).isEmpty();
            }

            Instant killed = Instant.now();
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, the lock goes with the process
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            int next = Await.until(Duration.ofSeconds(20), Duration.ofMillis(50), () -> IntStream.of(1, 2).filter(i -> {
                try {
                    return leaderStates(shards.get(i).log()).contains("acquired");
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElse(-1), i -> i >= 0);
            assertThat(next).as("a shard took over").isIn(1, 2);
            ShardProc leader = shards.get(next);
            JsonNode firstSample = Await.until(Duration.ofSeconds(20), Duration.ofMillis(50),
                    () -> ofType(records(leader.log()), "health").stream().findFirst().orElse(null), r -> r != null);
            assertThat(firstSample).as("the new leader's first health check").isNotNull();
            long takeoverMs = Duration.between(killed, time(firstSample)).toMillis();
            System.out.printf("[LeaderIT] %s: from the leader's SIGKILL to the new leader's first watcher sample: %d ms%n", backend, takeoverMs);
            assertThat(takeoverMs).isBetween(0L, 8_000L);

            for (int i = 1; i < 3; i++) assertThat(exit(shards.get(i))).as(shards.get(i).console()).isZero();
            // one leader at a time: each lead begins after the one before it ended (the last survivor may lead once the
            // other has ended); the new leader named the dead shard
            assertThat(leaderStates(leader.log())).containsExactly("acquired", "released");
            List<double[]> leads = new ArrayList<>();
            for (int i = 0; i < 3; i++) leads.addAll(leads(shards.get(i).log(), i == 0 ? killed : null));
            leads.sort(java.util.Comparator.comparingDouble(l -> l[0]));
            for (int i = 1; i < leads.size(); i++)
                assertThat(leads.get(i)[0]).as("lead %d begins after lead %d ended", i, i - 1).isGreaterThanOrEqualTo(leads.get(i - 1)[1]);
            assertThat(ofType(records(leader.log()), "shard.status")).anySatisfy(r -> {
                assertThat(r.path("shard").asText()).isEqualTo("0/3");
                assertThat(r.path("state").asText()).isEqualTo("silent");
            });
            // the run went on: the survivors sent their whole shares after the kill
            for (int i = 1; i < 3; i++) {
                JsonNode end = ofType(records(shards.get(i).log()), "run.end").get(0);
                assertThat(end.at("/totals/accepted").asLong()).isEqualTo(end.at("/totals/planned").asLong()).isEqualTo(300);
            }

            io.longrun.testing.Cli.Result m = new io.longrun.testing.Cli(dir).run("report", "s0/run.jsonl", "s1/run.jsonl", "s2/run.jsonl", "--out", "merged");
            assertThat(m.code()).as(m.all()).isZero();
            JsonNode end = ofType(records(dir.resolve("merged/merged.jsonl")), "run.end").get(0);
            assertThat(end.path("leaders").size()).isGreaterThanOrEqualTo(2);
            assertThat(end.path("leaders").get(0).path("shard").asText()).isEqualTo("0/3");
            assertThat(end.path("leaders").get(0).path("ended").asText()).isEqualTo("died");
            assertThat(end.path("leaders").get(1).path("shard").asText()).isEqualTo(next + "/3");
            assertThat(end.path("notes").toString()).contains("leaders: shard 0/3 from").contains("the shard died");
        } finally {
            for (ShardProc s : shards) s.process().destroyForcibly();
            ok.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "postgresql"})
    void theLeaderJudgesAllShardsOutcomesAndItsAbortStopsEveryShardWithin2sWithExit3(String backend) throws Exception {
        HttpServer ok = server(200), failing = server(500);
        Store store = store(backend);
        // one shard in three sends to a target that rejects everything: 33 % of all deliveries fail. Judged alone, the
        // leader (a shard whose deliveries all succeed) would never stop, and the failing shard would
        Files.writeString(dir.resolve("s.yaml"), """
                name: judged
                duration: 30s
                seed: 5
                target: { url: "%s/event", health_url: "%s/health", timeout: 2s }
                emitters:
                  - { name: steady, rate: 30 }
                stop_when:
                  - error_rate: { above_pct: 20, for: 3s }
                """.formatted(url(ok), url(ok)));
        List<ShardProc> shards = new ArrayList<>(List.of());
        try {
            // one start for all (three JVMs start and warm up meanwhile): from it on, a third of all deliveries fail
            String at = startAt();
            ShardProc leader = start(1, store, "judged-" + backend, "--start-at", at);
            shards.add(leader);
            awaitLeader(leader);
            shards.add(start(0, store, "judged-" + backend, "--start-at", at, "--target-url", url(failing) + "/event"));
            shards.add(start(2, store, "judged-" + backend, "--start-at", at));
            for (ShardProc s : shards) assertThat(exit(s)).as(s.console()).isEqualTo(3);

            List<JsonNode> led = records(leader.log());
            JsonNode alert = ofType(led, "alert").get(0);
            assertThat(alert.path("criterion").asText()).isEqualTo("error_rate");
            assertThat(alert.path("observed").asDouble()).as("all shards' error rate").isBetween(20.0, 40.0);
            JsonNode ownEnd = ofType(led, "run.end").get(0);
            assertThat(ownEnd.at("/totals/rejected").asLong() + ownEnd.at("/totals/failed").asLong()).as("the leader's own deliveries all succeeded")
                    .isZero();
            assertThat(ownEnd.at("/totals/accepted").asLong()).isPositive();
            assertThat(ofType(led, "abort").get(0).path("state").asText()).isEqualTo("written");
            Instant aborted = time(ofType(led, "abort").get(0));
            for (ShardProc s : shards) {
                List<JsonNode> r = records(s.log());
                assertThat(ofType(r, "run.end").get(0).path("stopped_by").asText()).contains("error_rate");
                assertThat(s.console()).contains("error_rate");
                if (s == leader) continue;
                JsonNode read = ofType(r, "abort").get(0);
                assertThat(read.path("state").asText()).isEqualTo("read");
                long after = Duration.between(aborted, time(read)).toMillis();
                System.out.printf("[LeaderIT] %s: shard %d/3 read the abort %d ms after the leader wrote it%n", backend, s.index(), after);
                // read within 1.5 s, and the dispatcher stops at its next check (every 200 ms): within 2 s
                assertThat(after).isBetween(0L, 1_500L);
                assertThat(ofType(r, "alert")).as("only the leader judges").isEmpty();
            }
        } finally {
            for (ShardProc s : shards) s.process().destroyForcibly();
            ok.stop(0);
            failing.stop(0);
        }
    }

    @org.junit.jupiter.api.Test
    void aShardWhoseOwnErrorsWouldStopItAloneRunsOnWhenAllShardsTogetherAreBelowTheThreshold() throws Exception {
        HttpServer ok = server(200), failing = server(500);
        Store store = store("file");
        Files.writeString(dir.resolve("s.yaml"), """
                name: together
                duration: 12s
                seed: 5
                target: { url: "%s/event", health_url: "%s/health", timeout: 2s }
                emitters:
                  - { name: steady, rate: 30 }
                stop_when:
                  - error_rate: { above_pct: 50, for: 2s }
                """.formatted(url(ok), url(ok)));
        List<ShardProc> shards = new ArrayList<>();
        try {
            // one start and one end for all: a shard that ran on alone would be judged alone at the end
            String at = startAt();
            ShardProc leader = start(1, store, "together", "--start-at", at);
            shards.add(leader);
            awaitLeader(leader);
            shards.add(start(0, store, "together", "--start-at", at, "--target-url", url(failing) + "/event"));
            shards.add(start(2, store, "together", "--start-at", at));
            for (ShardProc s : shards) assertThat(exit(s)).as(s.console()).isZero();
            JsonNode failed = ofType(records(dir.resolve("s0/run.jsonl")), "run.end").get(0);
            assertThat(failed.at("/totals/failed").asLong()).as("shard 0's own deliveries all failed (5xx)").isPositive();
            assertThat(failed.at("/totals/accepted").asLong()).isZero();
            assertThat(ofType(records(leader.log()), "alert")).isEmpty();
        } finally {
            for (ShardProc s : shards) s.process().destroyForcibly();
            ok.stop(0);
            failing.stop(0);
        }
    }
}
