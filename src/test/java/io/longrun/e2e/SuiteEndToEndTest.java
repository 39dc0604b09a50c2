package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.experiment.SuiteReport;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Await;
import io.longrun.testing.Cli;
import io.longrun.testing.LongrunProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code longrun suite} end to end: the reference target reaches a real PostgreSQL through longrun's proxy (started as
 * {@code longrun proxy} would be, before the target), and short experiments put faults on that path through its
 * Toxiproxy API. What is checked is what a user sees: the run folders, suite.json, junit.xml, the exit code, the wait
 * between experiments, the phase and fault metrics while an experiment runs, and a clean path after a SIGTERM.
 */
class SuiteEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ProxiedDb p;
    TargetServer target;

    static int freePort() throws Exception {
        return ProxiedDb.freePort();
    }

    @BeforeEach
    void start() throws Exception {
        p = ProxiedDb.start();
        target = TargetServer.start(TargetServer.Config.of(p.throughProxy).withScheduler(false));
        Files.createDirectories(dir.resolve("exp"));
        write("a-latency", "latency: { proxy: db, ms: 100 }");
        write("b-idle", "latency: { proxy: idle, ms: 100 }");
        write("c-latency", "latency: { proxy: db, ms: 50 }");
    }

    @AfterEach
    void stop() throws Exception {
        if (target != null) target.close();
        if (p != null) p.close();
    }

    void write(String name, String fault) throws Exception {
        Files.writeString(dir.resolve("exp/" + name + ".yaml"), """
                name: %s
                seed: 7
                target: { url: "%s/event", health_url: "%s/health", timeout: 5s }
                database: { url: "%s", user: postgres, tables: [events] }
                emitters:
                  - { name: events, format: agingos-event, rate: 20 }
                watch: { health_every: 1s, db_every: 1s }
                proxies:
                  - { name: db, listen: "%s", upstream: "%s" }
                  - { name: idle, listen: "%s", upstream: "%s" }
                fault_engine: { toxiproxy: "http://127.0.0.1:%d" }
                phases:
                  - { name: stabilize, duration: 5s }
                  - { name: fault, duration: 3s, faults: [ { %s } ] }
                  - { name: recover, duration: 5s }
                recovery: { hold: 2s }
                """.formatted(name, target.baseUrl(), target.baseUrl(), p.db.url(), p.front, p.upstream, p.idle, p.upstream, p.proxy.apiPort(), fault));
    }

    static Element[] cases(Path junit) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        NodeList l = doc.getElementsByTagName("testcase");
        Element[] out = new Element[l.getLength()];
        for (int i = 0; i < out.length; i++) out[i] = (Element) l.item(i);
        return out;
    }

    static String scrape(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void onlyWithLoop2RunsThatExperimentTwiceWaitingBetweenAndServesThePhaseMetricsTheDashboardAsksFor() throws Exception {
        int metricsPort = freePort();
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> new Cli(dir).run("suite", "exp", "--only", "a-*", "--loop", "2",
                "--out", "out", "--quiet", "--metrics-port", Integer.toString(metricsPort)));
        // while the first experiment's fault is on, its metrics are those the dashboard's experiment panels read
        String during = Await.until(Duration.ofSeconds(60), Duration.ofMillis(200), () -> scrape(metricsPort),
                s -> s.contains("longrun_fault_active{") && s.matches("(?s).*longrun_fault_active\\{[^}]*\\} 1\\.0.*") || run.isDone());
        Set<String> served = new TreeSet<>();
        for (String name : ObserveStackTest.EXPERIMENT_METRICS) if (during.contains(name)) served.add(name);
        assertThat(served).as("served during the fault:\n" + during).contains("longrun_phase", "longrun_phase_index", "longrun_phase_duration_seconds",
                "longrun_experiment_active", "longrun_fault_active", "longrun_fault_value");
        // scraped every second, as Prometheus would: each experiment's run keeps its endpoint up until a scrape read its verdict
        int verdictsScraped = 0;
        boolean seen = false;
        while (!run.isDone()) {
            boolean has = scrape(metricsPort).contains("longrun_experiments_total{scenario=\"a-latency\"");
            if (has && !seen) verdictsScraped++;
            seen = has;
            Thread.sleep(1000);
        }
        Cli.Result r = run.get();
        assertThat(verdictsScraped).as(r.all()).isEqualTo(2);
        assertThat(r.out()).doesNotContain("no scrape came within");
        JsonNode suite = JSON.readTree(dir.resolve("out/suite.json").toFile());
        JsonNode ex = suite.path("experiments");
        assertThat(ex).as(r.all()).hasSize(2);
        assertThat(ex.get(0).path("name").asText()).isEqualTo("a-latency");
        assertThat(ex.get(1).path("name").asText()).isEqualTo("a-latency");
        assertThat(ex.get(0).path("round").asInt()).isEqualTo(1);
        assertThat(ex.get(1).path("round").asInt()).isEqualTo(2);
        for (JsonNode e : ex) {
            assertThat(e.path("verdict").asText()).isIn("passed", "recovered", "not_recovered", "inconclusive");
            Path runDir = dir.resolve(e.path("run_dir").asText());
            assertThat(runDir.getParent()).as("each run folder inside the suite's").isEqualTo(dir.resolve("out"));
            assertThat(runDir.resolve("run.jsonl")).exists();
            assertThat(JSON.readTree(runDir.resolve("summary.json").toFile()).path("experiment").path("verdict").asText()).isEqualTo(e.path("verdict").asText());
            assertThat(e.path("baseline").path("p95_ms").isNumber()).isTrue();
        }
        assertThat(ex.get(0).path("run_dir").asText()).isNotEqualTo(ex.get(1).path("run_dir").asText());
        assertThat(ex.get(1).path("settle").path("text").asText()).as("the wait before the second").containsPattern("back within its baseline|gave up waiting");
        assertThat(r.out()).contains("suite: waiting until the target is back within its baseline");
        // the exit code is the worst of the experiments'
        int worst = Math.max(0, ex.get(0).path("exit_code").asInt());
        for (JsonNode e : ex) if (SuiteReport.WORST_FIRST.indexOf(e.path("exit_code").asInt()) < SuiteReport.WORST_FIRST.indexOf(worst)) worst = e.path("exit_code").asInt();
        assertThat(r.code()).as(r.all()).isEqualTo(worst).isEqualTo(suite.path("exit_code").asInt());
        Element[] cases = cases(dir.resolve("out/junit.xml"));
        assertThat(cases).hasSize(2);
        assertThat(cases[0].getAttribute("name")).isEqualTo("a-latency");
        assertThat(cases[1].getAttribute("name")).isEqualTo("a-latency #2");
        for (int i = 0; i < 2; i++) {
            boolean fails = Set.of("not_recovered", "inconclusive").contains(ex.get(i).path("verdict").asText());
            assertThat(cases[i].getElementsByTagName("failure").getLength()).as(ex.get(i).toString()).isEqualTo(fails ? 1 : 0);
        }
        assertThat(r.out()).contains("experiment", "verdict", "a-latency #2", "2 experiment(s)");
        assertThat(r.out()).doesNotContain("b-idle", "c-latency");
    }

    @Test
    void aFaultOnAPathWithNoTrafficIsInconclusiveAndJUnitSaysWhy() throws Exception {
        Cli.Result r = new Cli(dir).run("suite", "exp", "--only", "b-idle", "--out", "out", "--quiet", "--metrics-port", "0");
        assertThat(r.code()).as(r.all()).isEqualTo(6);
        JsonNode e = JSON.readTree(dir.resolve("out/suite.json").toFile()).path("experiments").get(0);
        assertThat(e.path("verdict").asText()).isEqualTo("inconclusive");
        String reason = e.path("reason").asText();
        assertThat(reason).isNotBlank();
        Element[] cases = cases(dir.resolve("out/junit.xml"));
        assertThat(cases).hasSize(1);
        Element failure = (Element) cases[0].getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("inconclusive");
        assertThat(failure.getAttribute("message")).isEqualTo("inconclusive: " + reason + " (exit 6)");
        assertThat(r.out()).contains("b-idle", "inconclusive", "exit 6");
    }

    @Test
    void sigtermMidFaultEndsTheExperimentCleanlyWritesTheSummaryAndLeavesThePathClean() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI toxics = URI.create("http://127.0.0.1:" + p.proxy.apiPort() + "/proxies/db/toxics");
        try (LongrunProcess p = LongrunProcess.start(dir, "UTC", List.of("suite", "exp", "--only", "a-latency,c-latency", "--out", "out", "--quiet",
                "--metrics-port", "0"))) {
            // the fault is on: the toxic is on the proxy
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100),
                    () -> http.send(HttpRequest.newBuilder(toxics).build(), HttpResponse.BodyHandlers.ofString()).body(), b -> b.contains("latency"));
            p.close(); // SIGTERM, as Ctrl+C
            String out = p.stdout();
            assertThat(out).contains("1 experiment(s)", "interrupted (1 not run)");
        }
        assertThat(JSON.readTree(http.send(HttpRequest.newBuilder(toxics).build(), HttpResponse.BodyHandlers.ofString()).body())).as("no toxic left")
                .isEmpty();
        JsonNode suite = JSON.readTree(dir.resolve("out/suite.json").toFile());
        assertThat(suite.path("interrupted").asBoolean()).isTrue();
        assertThat(suite.path("exit_code").asInt()).isEqualTo(130);
        assertThat(suite.path("experiments").get(0).path("exit_code").asInt()).isEqualTo(130);
        assertThat(suite.path("not_run").get(0).asText()).isEqualTo("c-latency");
        Element[] cases = cases(dir.resolve("out/junit.xml"));
        assertThat(cases).hasSize(2);
        assertThat(cases[1].getElementsByTagName("skipped").getLength()).isEqualTo(1);
    }
}
