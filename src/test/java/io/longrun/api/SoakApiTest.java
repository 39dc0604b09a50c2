package io.longrun.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Await;
import io.longrun.testing.TestDb;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API against the real reference target over a real PostgreSQL: no command line in between. */
class SoakApiTest {
    @TempDir
    Path dir;

    private static ScenarioBuilder soak(TargetServer t, String name, double rate, Duration d) {
        return soak(t.baseUrl(), name, rate, d);
    }

    private static ScenarioBuilder soak(String base, String name, double rate, Duration d) {
        return Soak.scenario(name).target(base + "/event").duration(d)
                .emitter(Emitter.named("motion").rate(rate))
                .emitter(Emitter.pool("sensor", 3).interval(Duration.ofMillis(200)).withJitter(Duration.ofMillis(50)))
                .healthUrl(base + "/health").seed(7);
    }

    private static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void twoRunsAtOnceShowLiveFiguresAndLeaveNoThreadOrPortBehind() throws Exception {
        // a plain JDK HTTP server as the target, its threads all started before the count: every new thread is the runs'
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
        pool.prestartAllCoreThreads();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(pool);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            Set<Thread> before = threads();
            int portA = freePort(), portB = freePort();
            Soak a = soak(base, "api-a", 40, Duration.ofMinutes(5)).build().withRunsDir(dir).withMetricsPort(portA);
            Soak b = soak(base, "api-b", 20, Duration.ofMinutes(5)).build().withRunsDir(dir).withMetricsPort(portB);
            SoakHandle ha = a.start(), hb = b.start();
            assertThat(ha.awaitStarted(Duration.ofSeconds(60))).isTrue();
            assertThat(hb.awaitStarted(Duration.ofSeconds(60))).isTrue();

            // seed 002's shape, live: total emitted, running, per emitter its count and errors
            LiveStats la = Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), ha::stats,
                    s -> s.emitters().values().stream().allMatch(c -> c.count() > 0));
            LiveStats lb = Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), hb::stats, s -> s.totalEmitted() > 0);
            assertThat(la.running()).isTrue();
            assertThat(la.emitters().keySet()).containsExactly("motion", "sensor-1", "sensor-2", "sensor-3");
            assertThat(la.emitters().values()).allMatch(c -> c.count() > 0 && c.errors() == 0);
            assertThat(la.totalEmitted()).isEqualTo(la.emitters().values().stream().mapToLong(Counts::count).sum());
            assertThat(lb.totalEmitted()).isPositive();
            assertThat(ha.runLog().orElseThrow()).isNotEqualTo(hb.runLog().orElseThrow());

            SoakResult ra = ha.stop(), rb = hb.stop();
            for (SoakResult r : List.of(ra, rb)) {
                assertThat(r.verdict()).isEqualTo("interrupted");
                assertThat(r.exitCode()).isEqualTo(130);
                assertThat(r.total().sent()).as("every event sent has one outcome").isEqualTo(r.total().accepted() + r.total().rejected() + r.total().failed());
                assertThat(r.report()).isPresent();
                assertThat(Files.readString(r.runLog())).contains("\"type\":\"run.end\"");
            }
            assertThat(ra.total().sent()).isGreaterThanOrEqualTo(la.totalEmitted());
            assertThat(ha.stats().running()).isFalse();
            assertThat(ha.stats().totalEmitted()).isEqualTo(ra.total().sent());

            // nothing of either run outlives stop(): its threads end, its ports can be bound again
            Set<Thread> left = Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
                Set<Thread> now = threads();
                now.removeAll(before);
                now.removeIf(th -> th.getName().startsWith("ForkJoinPool.commonPool") || th.getName().equals("process reaper"));
                return now;
            }, Set::isEmpty);
            assertThat(left).extracting(Thread::getName).isEmpty();
            for (int port : List.of(portA, portB))
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress("127.0.0.1", port));
                }
        } finally {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    @Test
    void runForEndsWithTheScheduleAndGivesAssertionsCriteriaAndTables() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            SoakResult r = soak(t, "api-ok", 30, Duration.ofSeconds(3))
                    .with("database", Map.of("url", db.url(), "tables", List.of("events")))
                    .stopWhen("error_rate", Map.of("above_pct", 20, "for", "2s"))
                    .assertThat("count", Map.of("sql", "select count(*) from events where scenario_id = :scenario_id", "equals", "accepted"))
                    .assertThat("threshold", "error_rate < 1%")
                    .build().withRunsDir(dir).withScenarioId("api-ok-1")
                    .withConsole(new PrintStream(console, true, StandardCharsets.UTF_8), true)
                    .runFor(Duration.ofSeconds(60));
            assertThat(r.verdict()).as(r.failures().toString()).isEqualTo("completed");
            assertThat(r.passed()).isTrue();
            assertThat(r.failures()).isEmpty();
            assertThat(r.criteriaFired()).isEmpty();
            assertThat(r.assertions()).hasSize(2).allMatch(SoakResult.Assertion::passed);
            assertThat(r.tables().get("events").added()).isEqualTo(r.total().accepted());
            assertThat(r.emitters()).containsOnlyKeys("motion", "sensor-1", "sensor-2", "sensor-3");
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("completed after");
        }
    }

    @Test
    void aCriterionThatFiresIsInTheResultWithItsReason() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("error_rate=0.5")), Map.of())) {
            SoakResult r = soak(t, "api-fail", 100, Duration.ofSeconds(60))
                    .stopWhen("error_rate", Map.of("above_pct", 20, "for", "2s"))
                    .build().withRunsDir(dir).runFor(Duration.ofSeconds(60));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.verdict()).isEqualTo("stopped by criterion");
            assertThat(r.criteriaFired()).extracting(SoakResult.Criterion::criterion).contains("error_rate");
            assertThat(r.failures().get(0)).startsWith("stop criterion error_rate: ");
        }
    }

    @Test
    void anIncompleteOrWrongScenarioIsRefusedWithEveryProblemNamed() {
        assertThatThrownBy(() -> Soak.scenario("bad").target("ftp://nowhere").duration(Duration.ofSeconds(1)).emitter(Emitter.named("x").rate(-1)).build())
                .isInstanceOf(InvalidScenarioException.class)
                .satisfies(e -> assertThat(((InvalidScenarioException) e).problems()).hasSizeGreaterThanOrEqualTo(2)
                        .anyMatch(p -> p.contains("rate")).anyMatch(p -> p.contains("url")));
        assertThatThrownBy(() -> Soak.fromFile(dir.resolve("missing.yaml")))
                .isInstanceOf(InvalidScenarioException.class).hasMessageContaining("missing.yaml").hasMessageContaining("no such scenario file");
    }

    @Test
    void aTargetThatDoesNotAnswerIsABadInputNamingIt() throws Exception {
        int port = freePort();
        SoakHandle h = Soak.scenario("nobody").target("http://127.0.0.1:" + port + "/event").duration(Duration.ofSeconds(5)).emitter(Emitter.named("x").rate(5))
                .build().withRunsDir(dir).start();
        assertThatThrownBy(h::awaitEnd).isInstanceOf(SoakException.class).hasMessageContaining("target")
                .hasMessageContaining(String.valueOf(port)).satisfies(e -> assertThat(((SoakException) e).badInput()).isTrue());
        assertThat(h.isRunning()).isFalse();
    }
}
