package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.testing.LongrunProcess;
import io.longrun.testing.RunLogs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up compiles the code the run executes: a run at 10,000 events/s in a JVM of its own, against a real
 * HTTP target, recorded by the JVM's flight recorder. After time zero no code of longrun's delivery path is
 * deoptimized because the run's events took a branch or met a class that the warm-up's had not: the warm-up's
 * events differ from the run's in data only (where they go, where they are counted), not in the code they run.
 *
 * <p>Before, a branch on "is this a warm-up event?" in the hot path left the run's side as an uncommon trap, two
 * lambdas of their own for the run's and the warm-up's timers, and a due-times class of the warm-up's own: the run's
 * first events hit those traps, the compiled path was thrown away and C2 compiled it again while the first seconds'
 * events were due (on a 2-core machine, 6,000-13,000 of 20,000 events a second went out for 3-5 s).
 */
class WarmUpJitTest {
    @TempDir
    Path dir;
    Vertx vertx;
    HttpServer server;
    final AtomicLong requests = new AtomicLong();

    @BeforeEach
    void target() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(req -> {
                    requests.incrementAndGet();
                    req.end();
                    req.response().setStatusCode(204).putHeader("Server", "test").end();
                });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Deoptimizations only, with their stacks: the compiled code a trap throws away is its top frames down to the
     * first compiled one (the others were inlined into it). The recording costs the run next to nothing.
     */
    static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="deoptimizations">
              <event name="jdk.Deoptimization"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
            </configuration>
            """;

    /** A trap: where, why, and the methods of the compiled code it threw away (the trap's method first). */
    record Deopt(Instant at, String method, int line, String reason, String action, List<String> thrownAway) {
        @Override
        public String toString() {
            return method + ":" + line + " " + reason + " (" + action + ") in " + thrownAway.get(thrownAway.size() - 1);
        }

        boolean threwAway(List<String> prefixes) {
            return thrownAway.stream().anyMatch(m -> prefixes.stream().anyMatch(m::startsWith));
        }
    }

    @Test
    void noDeliveryCodeIsDeoptimizedAfterTimeZeroForWhatTheWarmUpDidNotRun() throws Exception {
        Path jfc = Files.writeString(dir.resolve("deopt.jfc"), SETTINGS), jfr = dir.resolve("run.jfr"), log = dir.resolve("run.jsonl");
        List<String> jvm = List.of("-XX:StartFlightRecording:filename=" + jfr + ",settings=" + jfc);
        int metricsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) { // metrics on: their timers record every completion
            metricsPort = s.getLocalPort();
        }
        try (LongrunProcess p = LongrunProcess.start(dir, "UTC", jvm, List.of("run", "--target-url",
                "http://127.0.0.1:" + server.actualPort() + "/event", "--rate", "10000", "--duration", "3s", "--quiet",
                "--metrics-port", Integer.toString(metricsPort), "--log-file", log.toString()))) {
            assertThat(p.waitFor(Duration.ofSeconds(90))).as(() -> out(p)).isZero();
            // the warm-up closes its sink's connections and opens the target's: nothing of that reaches the console
            assertThat(out(p)).doesNotContain("ERROR").doesNotContain("io.vertx").doesNotContain("Exception");
        }
        List<JsonNode> records = RunLogs.read(log);
        Instant zero = Instant.parse(RunLogs.last(records, "schedule.start").path("time_zero").asText());
        assertThat(RunLogs.last(records, "run.end").at("/totals/accepted").asLong()).isPositive();
        assertThat(RunLogs.last(records, "warmup").path("events").asLong()).as("the warm-up ran").isGreaterThanOrEqualTo(10_000);
        List<Deopt> all = deopts(jfr);
        // from just before time zero (compiled code thrown away then is compiled again while the first events are due)
        // to shortly before the schedule's end (where its lanes end: a branch taken once, at the end)
        Instant end = Instant.parse(RunLogs.last(records, "schedule.start").path("planned_end").asText()).minusMillis(500);
        List<Deopt> after = all.stream().filter(d -> !d.at().isBefore(zero.minusMillis(100)) && d.at().isBefore(end)).toList();
        // a trap in java.util.concurrent (a semaphore out of permits, a thread to wake) is the run meeting contention the
        // warm-up did not (all slots in flight while the machine stalls), not code the warm-up left out
        assertThat(after.stream().filter(d -> d.threwAway(SHARED) && !d.method().startsWith("java.util.concurrent.")).toList())
                .as("the code every event runs, thrown away by a trap after time zero (all traps after it: %s)", after).isEmpty();
    }

    /**
     * Where the warm-up's events and the run's used to part: rendering, filing, addressing, the dispatcher's loop and
     * due times, the outcomes and the metrics' timers. Library code inlined into them counts as theirs: a trap in a
     * JDK or HdrHistogram method throws away the longrun method it was compiled into (seen: Instant.plusNanos's
     * "plus nothing" branch and HdrHistogram's zero value, each taken by the run's first events only). A trap
     * elsewhere is not the warm-up's doing: the run log's ticks and the health checks run code the warm-up never runs.
     */
    static final List<String> SHARED = List.of("io.longrun.deliver.Delivery.prepare", "io.longrun.deliver.Delivery.completed",
            "io.longrun.deliver.HttpSink.options", "io.longrun.deliver.HttpSink.send", "io.longrun.deliver.Dispatcher.loop",
            "io.longrun.deliver.Dispatcher.take", "io.longrun.deliver.Dispatcher$Lane", "io.longrun.deliver.Outcomes.completed",
            "io.longrun.metrics.RunMetrics", "io.longrun.pace.Pacer", "io.longrun.pace.CatchUp", "io.longrun.deliver.Settled",
            "io.longrun.deliver.OutcomeLane", "io.longrun.generate.");

    static List<Deopt> deopts(Path jfr) throws Exception {
        List<Deopt> out = new java.util.ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.Deoptimization")) continue;
            RecordedMethod m = e.getValue("method");
            String name = m == null ? "?" : m.getType().getName() + "." + m.getName();
            List<String> thrownAway = new java.util.ArrayList<>();
            if (e.getStackTrace() != null) {
                for (jdk.jfr.consumer.RecordedFrame f : e.getStackTrace().getFrames()) {
                    thrownAway.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                    if (!"Inlined".equals(f.getType())) break; // the compiled method the others were inlined into
                }
            }
            if (thrownAway.isEmpty()) thrownAway.add(name);
            out.add(new Deopt(e.getStartTime(), name, e.getInt("lineNumber"), e.getString("reason"), e.getString("action"), thrownAway));
        }
        return out;
    }

    static String out(LongrunProcess p) {
        try {
            return p.stdout() + p.stderr();
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }
}
