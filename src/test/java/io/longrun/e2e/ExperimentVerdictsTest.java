package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.DbSettings;
import io.longrun.fault.ProxyServer;
import io.longrun.scenario.ProxySpec;
import io.longrun.target.Faults;
import io.longrun.target.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each of the four verdicts reached on purpose, end to end: the reference target reaches a real PostgreSQL through
 * longrun's proxy (started first, as {@code longrun proxy} would be), and an experiment puts its fault on that path
 * through the proxy's Toxiproxy API. What is checked is what a script sees: the exit code and summary.json's
 * {@code experiment} (verdict, reason, recovery_s). A judge that always said the same thing fails three of the four.
 *
 * <p>The baselines are 8 s at 40 events/s (the judge skips the first {@code hold}, 2 s, and needs 100 events in 3
 * ticks) and the tolerance is 75 %: a 2-core machine shared with other builds still gives a stable baseline, and
 * what the faults do (100 ms on every database round trip, a database that never comes back) is far beyond it.
 */
class ExperimentVerdictsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    DbSettings db;
    ProxyServer proxy;
    TargetServer target;
    String front, upstream, idle, targetDbUrl;

    @BeforeEach
    void start() throws Exception {
        db = TestDb.freshSchema();
        Matcher m = Pattern.compile("//([^:/]+):(\\d+)/").matcher(db.url());
        assertThat(m.find()).as(db.url()).isTrue();
        upstream = "127.0.0.1:" + m.group(2);
        front = "127.0.0.1:" + SuiteEndToEndTest.freePort();
        idle = "127.0.0.1:" + SuiteEndToEndTest.freePort(); // a proxy nothing goes through
        proxy = ProxyServer.start("127.0.0.1", 0, List.of(new ProxySpec("db", front, upstream), new ProxySpec("idle", idle, upstream)), 1, "longrun-test");
        targetDbUrl = db.url().replace(":" + m.group(2) + "/", ":" + front.split(":")[1] + "/");
    }

    @AfterEach
    void stop() throws Exception {
        if (target != null) target.close();
        if (proxy != null) proxy.close();
    }

    void startTarget(Faults faults) throws Exception {
        target = TargetServer.start(TargetServer.Config.of(new DbSettings(targetDbUrl, db.user(), Optional.empty())).withScheduler(false).withFaults(faults));
    }

    /** An experiment of three phases, stabilize 8 s, fault 4 s, recover {@code recover}, with {@code fault} on the fault phase. */
    Path scenario(String name, String fault, String recover) throws Exception {
        Path sc = dir.resolve(name + ".yaml");
        Files.writeString(sc, """
                name: %s
                seed: 11
                target: { url: "%s/event", timeout: 2s }
                emitters:
                  - { name: events, format: agingos-event, rate: 40 }
                proxies:
                  - { name: db, listen: "%s", upstream: "%s" }
                  - { name: idle, listen: "%s", upstream: "%s" }
                fault_engine: { toxiproxy: "http://127.0.0.1:%d" }
                phases:
                  - { name: stabilize, duration: 8s }
                  - { name: fault, duration: 4s, faults: [ { %s } ] }
                  - { name: recover, duration: %s }
                recovery: { signals: [error_rate, p95, throughput], tolerance_pct: 75, hold: 2s }
                """.formatted(name, target.baseUrl(), front, upstream, idle, upstream, proxy.apiPort(), fault, recover));
        return sc;
    }

    record Ran(Cli.Result cli, JsonNode experiment, List<JsonNode> log) {}

    Ran run(Path sc, String... more) throws Exception {
        Path log = dir.resolve(sc.getFileName().toString().replace(".yaml", "")).resolve("run.jsonl");
        List<String> args = new java.util.ArrayList<>(List.of("run", sc.toString(), "--quiet", "--log-file", log.toString()));
        args.addAll(List.of(more));
        if (!args.contains("--metrics-port")) args.addAll(List.of("--metrics-port", "0"));
        Cli.Result r = new Cli(dir).run(args.toArray(String[]::new));
        Path summary = log.resolveSibling("summary.json");
        assertThat(summary).as(r.all()).exists();
        return new Ran(r, JSON.readTree(summary.toFile()).path("experiment"), RunLogs.read(log));
    }

    @Test
    void aHarmlessFaultPassesWithExit0() throws Exception {
        startTarget(Faults.NONE);
        Ran r = run(scenario("harmless", "latency: { proxy: db, ms: 1 }", "4s"));
        JsonNode e = r.experiment();
        assertThat(e.path("verdict").asText()).as(r.cli().all() + e).isEqualTo("passed");
        assertThat(r.cli().code()).as(r.cli().all()).isZero();
        assertThat(e.path("reason").asText()).startsWith("no signal left 75 % of its baseline: worst error rate");
        assertThat(e.path("recovery_s").isNull()).as(e.toString()).isTrue();
        // the fault was on the path the target's queries take: it took effect, and did nothing that counts
        JsonNode fault = e.path("phases").get(1);
        assertThat(fault.path("effective").asBoolean()).as(e.toString()).isTrue();
        assertThat(fault.path("impact_s").isNull()).as(e.toString()).isTrue();
        assertThat(r.cli().out()).contains("experiment: passed");
    }

    @Test
    void databaseLatencyMovesP95AndTheServiceComesBackRecoveredWithExit0() throws Exception {
        startTarget(Faults.NONE);
        Ran r = run(scenario("db-latency", "latency: { proxy: db, ms: 100 }", "8s"));
        JsonNode e = r.experiment();
        assertThat(e.path("verdict").asText()).as(r.cli().all() + e).isEqualTo("recovered");
        assertThat(r.cli().code()).as(r.cli().all()).isZero();
        assertThat(e.path("reason").asText()).containsPattern("left the tolerance [0-9.]+ s after latency 100 ms on db \\(downstream\\) came on")
                .contains("every signal was back within tolerance for 2 s from");
        // recovery_s: from the fault's confirmed removal to the first stretch back within tolerance, inside the recover phase
        assertThat(e.path("recovery_s").isNumber()).as(e.toString()).isTrue();
        assertThat(e.path("recovery_s").asDouble()).isBetween(0.0, 6.0);
        JsonNode fault = e.path("phases").get(1);
        assertThat(fault.path("effective").asBoolean()).isTrue();
        assertThat(fault.path("impact_s").isNumber()).as(e.toString()).isTrue();
        // the fault's 100 ms on each round trip is what moved p95: the fault phase's worst is beyond it, the baseline's far below
        assertThat(fault.path("worst").path("p95_ms").asDouble()).as(e.toString()).isGreaterThan(100);
        assertThat(e.path("baseline").path("p95_ms").asDouble()).as(e.toString()).isLessThan(100);
    }

    @Test
    void aTargetThatNeverReconnectsAfterADatabaseOutageIsNotRecoveredWithExit5() throws Exception {
        startTarget(Faults.parse(List.of("no_reconnect")));
        Ran r = run(scenario("outage", "down: { proxy: db }", "6s"));
        JsonNode e = r.experiment();
        assertThat(e.path("verdict").asText()).as(r.cli().all() + e).isEqualTo("not_recovered");
        assertThat(r.cli().code()).as(r.cli().all()).isEqualTo(5);
        assertThat(e.path("reason").asText()).startsWith("error rate left the tolerance").contains("after down on db came on")
                .containsPattern("error rate [0-9.]+ % stayed above baseline [0-9.]+ % \\+ the 1-point floor until the end");
        assertThat(e.path("recovery_s").isNull()).as(e.toString()).isTrue();
        assertThat(e.path("phases").get(1).path("effective").asBoolean()).isTrue();
        // the proxy is up again, and the target still fails: the database is there, the target does not come back to it
        assertThat(e.path("phases").get(2).path("error_pct").asDouble()).as(e.toString()).isGreaterThan(90);
        assertThat(RunLogs.last(r.log(), "run.end").get("exit_code").asInt()).isEqualTo(5);
    }

    @Test
    void aFaultOnAProxyThatCarriesNoTrafficIsInconclusiveWithExit6() throws Exception {
        startTarget(Faults.NONE);
        Ran r = run(scenario("idle-path", "latency: { proxy: idle, ms: 100 }", "4s"));
        JsonNode e = r.experiment();
        assertThat(e.path("verdict").asText()).as(r.cli().all() + e).isEqualTo("inconclusive");
        assertThat(r.cli().code()).as(r.cli().all()).isEqualTo(6);
        assertThat(e.path("reason").asText()).isEqualTo("the fault never took effect: proxy idle carried no bytes while latency 100 ms on idle (downstream) was on");
        assertThat(e.path("recovery_s").isNull()).isTrue();
        assertThat(e.path("phases").get(1).path("effective").asBoolean()).as(e.toString()).isFalse();
    }
}
