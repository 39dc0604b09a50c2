package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.TestDb;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What longrun suite refuses before running anything, in the user's words, and the suite's own proxy for embedded scenarios. */
class SuiteInputTest {
    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void write(String file, String name, String target, String listen, String upstream, String faultPhase) throws Exception {
        Files.createDirectories(dir.resolve(file).getParent());
        Files.writeString(dir.resolve(file), """
                name: %s
                target: { url: "%s/event", health_url: "%s/health" }
                emitters: [ { name: e, rate: 10 } ]
                proxies: [ { name: front, listen: "%s", upstream: "%s" } ]
                phases:
                  - { name: stabilize, duration: 3s }
                  - { name: fault, duration: 2s, faults: [ %s ] }
                  - { name: recover, duration: 3s }
                """.formatted(name, target, target, listen, upstream, faultPhase));
    }

    @Test
    void everyProblemOfEveryFileIsNamedAtOnceAndNothingRuns() throws Exception {
        write("exp/a.yaml", "same", "http://127.0.0.1:1", "127.0.0.1:15999", "127.0.0.1:1", "{ latency: { proxy: front, ms: 10 } }");
        write("exp/b.yaml", "same", "http://127.0.0.1:1", "127.0.0.1:15998", "127.0.0.1:1", "{ latency: { proxy: front, ms: 10 } }");
        write("exp/c.yaml", "c", "http://127.0.0.1:1", "127.0.0.1:15997", "127.0.0.1:1", "{ latency: { proxy: nowhere, ms: 10 } }");
        Files.createDirectories(dir.resolve("empty"));
        Cli.Result r = new Cli(dir).run("suite", "exp", "empty", "missing.yaml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("empty: no *.yaml or *.yml file in this folder", "missing.yaml: no such file or folder",
                "name: \"same\" is also the name of", "c.yaml", "nowhere", "nothing was run");
        assertThat(r.err()).doesNotContain("Exception", "at io.longrun");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void flagsThatDoNotGoTogetherAreRefused() throws Exception {
        write("exp/a.yaml", "a", "http://127.0.0.1:1", "127.0.0.1:15999", "127.0.0.1:1", "{ latency: { proxy: front, ms: 10 } }");
        Cli.Result seed = new Cli(dir).run("suite", "exp", "--seed", "3");
        assertThat(seed.code()).isEqualTo(2);
        assertThat(seed.err()).contains("--seed orders a --shuffle: give both, or neither");
        Cli.Result loop = new Cli(dir).run("suite", "exp", "--loop", "twice");
        assertThat(loop.err()).contains("--loop must be a number of rounds (1 or more) or forever, got \"twice\"");
        Cli.Result url = new Cli(dir).run("suite", "exp", "--toxiproxy", "ftp://x");
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.err()).contains("--toxiproxy");
        Cli.Result list = new Cli(dir).run("suite", "exp", "--list");
        assertThat(list.code()).as(list.all()).isZero();
        assertThat(list.out()).contains("a ", "stabilize", "fault", "latency 10 ms on front", "1 experiment(s)");
    }

    @Test
    void aProxyNameWithTwoAddressesInOneSuiteIsRefused() throws Exception {
        write("exp/a.yaml", "a", "http://127.0.0.1:1", "127.0.0.1:15999", "127.0.0.1:1", "{ latency: { proxy: front, ms: 10 } }");
        write("exp/b.yaml", "b", "http://127.0.0.1:1", "127.0.0.1:15998", "127.0.0.1:1", "{ latency: { proxy: front, ms: 10 } }");
        Cli.Result r = new Cli(dir).run("suite", "exp");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("proxies: front listens on 127.0.0.1:15998 to 127.0.0.1:1, but in", "on 127.0.0.1:15999",
                "a suite keeps one proxy of each name up for all its experiments");
    }

    /** Embedded scenarios share one proxy the suite keeps up: both experiments go through it, and it is gone after. */
    @Test
    void theSuiteKeepsItsEmbeddedScenariosProxiesUpAndTheirFaultsGoThroughIt() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            String listen = "127.0.0.1:" + freePort(), up = t.baseUrl().replace("http://", "");
            write("exp/a.yaml", "a", "http://" + listen, listen, up, "{ latency: { proxy: front, ms: 50 } }");
            write("exp/b.yaml", "b", "http://" + listen, listen, up, "{ latency: { proxy: front, ms: 50 } }");
            Cli.Result r = new Cli(dir).run("suite", "exp", "--out", "out", "--quiet", "--metrics-port", "0");
            assertThat(r.out()).contains("suite: proxy front " + listen);
            JsonNode ex = new ObjectMapper().readTree(dir.resolve("out/suite.json").toFile()).path("experiments");
            assertThat(ex).as(r.all()).hasSize(2);
            for (JsonNode e : ex) {
                assertThat(e.path("exit_code").asInt()).as(e.toString()).isIn(0, 5, 6);
                String log = Files.readString(dir.resolve(e.path("run_dir").asText()).resolve("run.jsonl"));
                assertThat(log).as("its faults went to the suite's proxy").contains("\"fault.on\"").doesNotContain("\"fault.error\"");
                assertThat(e.path("reason").asText()).doesNotContain("never took effect");
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(listen.split(":")[1])), 1000);
                throw new AssertionError("the suite's proxy still listens after the suite");
            } catch (java.io.IOException expected) {
                // refused: the proxy went with the suite
            }
        }
    }
}
