package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up before the first event, against a real HTTP target that counts what reaches it: the warm-up's events
 * go to a throwaway sink in longrun's own process, never to the target; the target's connections are opened before
 * the first event, with nothing sent on them.
 */
class WarmUpTest {
    @TempDir
    Path dir;
    Vertx vertx;
    HttpServer server;
    final AtomicInteger connections = new AtomicInteger();
    final ConcurrentLinkedQueue<Instant> requestTimes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Instant> connectionTimes = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicInteger> methods = new ConcurrentHashMap<>();

    @BeforeEach
    void target() throws Exception {
        vertx = Vertx.vertx();
        // HTTP/1 only: a server that could also speak h2c meets a connection only at its first bytes
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
                .connectionHandler(c -> {
                    connections.incrementAndGet();
                    connectionTimes.add(Instant.now());
                })
                .requestHandler(req -> {
                    requestTimes.add(Instant.now());
                    methods.computeIfAbsent(req.method().name(), k -> new AtomicInteger()).incrementAndGet();
                    req.end();
                    req.response().setStatusCode(201).end();
                });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theWarmUpSendsNothingToTheTargetAndItsConnectionsAreOpenBeforeTheFirstEvent() throws Exception {
        Path log = dir.resolve("run.jsonl");
        Cli.Result r = new Cli(dir).run("run", "--target-url", "http://127.0.0.1:" + server.actualPort() + "/event", "--rate", "2000",
                "--duration", "2s", "--log-file", log.toString());
        assertThat(r.code()).as(r.all()).isZero();
        List<JsonNode> records = RunLogs.read(log);
        JsonNode warm = RunLogs.last(records, "warmup");
        JsonNode end = RunLogs.last(records, "run.end");
        Instant start = Instant.parse(RunLogs.last(records, "schedule.start").path("time_zero").asText());
        // the warm-up went at least 1 s at the peak rate, through the whole path, to a sink in longrun's process
        assertThat(warm.path("rate").asDouble()).isEqualTo(2000);
        // 2,000 events (1 s at the rate), unless a machine too busy to send them hits the cap of 5 s
        assertThat(warm.path("took_ms").asLong()).as("below 5,000/s it does not wait for the JIT").isBetween(1000L, 7000L);
        assertThat(warm.path("events").asLong()).isGreaterThanOrEqualTo(warm.path("took_ms").asLong() < 4900 ? 2000 : 1);
        assertThat(r.out()).containsPattern("warm-up: [0-9,]+ events at 2000/s to a throwaway sink in this process in [0-9.]+ s; [0-9]+ connection\\(s\\) to the target opened");
        // the target saw the run's events and nothing else: every request a POST, none before time zero
        assertThat(end.at("/totals/planned").asLong()).isEqualTo(4000);
        assertThat(methods).containsOnlyKeys("POST");
        assertThat(methods.get("POST").get()).isEqualTo(end.at("/totals/accepted").asInt()).isPositive();
        assertThat(requestTimes.stream().min(Instant::compareTo).orElseThrow()).as("the first request to the target").isAfterOrEqualTo(start.minusMillis(2));
        // the target's connections were opened before the first event (HttpSinkTest checks that they are used)
        assertThat(warm.path("connections").asInt()).isEqualTo(32);
        assertThat(connections.get()).as("connections the target accepted").isGreaterThanOrEqualTo(32);
    }
}
