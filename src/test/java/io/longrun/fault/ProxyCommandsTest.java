package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.cli.CliContext;
import io.longrun.cli.Longrun;
import io.longrun.pace.Clock;
import io.longrun.testing.Await;
import io.longrun.testing.Cli;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longrun proxy} and {@code longrun faults reset} on the real command line, in-process. */
class ProxyCommandsTest {
    @TempDir
    Path dir;

    @Test
    void longrunProxyServesTheApiAndItsProxiesUntilStoppedAndFaultsResetCleansIt() throws Exception {
        try (Upstream up = Upstream.echo()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CliContext ctx = new CliContext(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                    Clock.SYSTEM, false, new BufferedReader(new StringReader("")), false, dir);
            AtomicInteger code = new AtomicInteger(-1);
            Thread t = new Thread(() -> code.set(Longrun.execute(ctx, "proxy", "--api", "127.0.0.1:0", "--proxy", "db=127.0.0.1:0=" + up.address(),
                    "--seed", "9")));
            t.start();
            String printed = Await.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> out.toString(StandardCharsets.UTF_8),
                    s -> s.contains("Ctrl+C to stop"));
            Matcher api = Pattern.compile("Toxiproxy API on (http://127.0.0.1:\\d+) \\(seed 9\\)").matcher(printed);
            Matcher db = Pattern.compile("proxy db (127.0.0.1:\\d+) -> " + up.address()).matcher(printed);
            assertThat(api.find()).as(printed).isTrue();
            assertThat(db.find()).as(printed).isTrue();
            String url = api.group(1), listen = db.group(1);

            ToxiproxyClient client = new ToxiproxyClient(url, Duration.ofSeconds(5));
            client.addToxic("db", Map.of("name", "longrun-killed-1", "type", "latency", "attributes", Map.of("latency", 500)));
            client.addToxic("db", Map.of("name", "mine", "type", "timeout"));
            client.updateProxy("db", Map.of("enabled", false));
            Cli cli = new Cli(dir);
            Cli.Result reset = cli.run("faults", "reset", "--toxiproxy", url);
            assertThat(reset.code()).as(reset.all()).isZero();
            assertThat(reset.out()).isEqualTo("removed longrun-killed-1 (latency, downstream, {\"latency\":500,\"jitter\":0}) from db\n"
                    + "enabled db (it was disabled)\n2 change(s) at " + url + "\n");
            assertThat(cli.run("faults", "reset", "--toxiproxy", url, "--all").out()).startsWith("removed mine (timeout, downstream");
            assertThat(cli.run("faults", "reset", "--toxiproxy", url).out()).isEqualTo("nothing to clean at " + url + "\n");
            try (Peer c = new Peer(listen)) {
                // the 500 ms latency is gone: the quickest of a few round trips (a loaded machine stalls some) is well under it
                double quickest = Double.MAX_VALUE;
                for (int i = 0; i < 5; i++) quickest = Math.min(quickest, c.roundTrip(ToxicEffectsTest.PING));
                assertThat(quickest).isLessThan(500.0);
            }

            t.interrupt(); // as Ctrl+C ends the wait
            t.join(30_000);
            assertThat(code.get()).isEqualTo(130);
            assertThatThrownBy(() -> new Peer(listen)).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> client.version()).hasMessageEndingWith("connection refused");
        }
    }

    @Test
    void validatePrintsTheProxiesAndTheirEngine() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("s.yaml"), """
                duration: 1m
                target: { url: "http://127.0.0.1:8000/event" }
                emitters: [ { name: a, rate: 1 } ]
                proxies: [ { name: db, listen: "127.0.0.1:15432", upstream: "127.0.0.1:5432" } ]
                fault_engine: { toxiproxy: "http://127.0.0.1:8474" }
                """);
        Cli.Result r = new Cli(dir).run("validate", "s.yaml");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("proxies (Toxiproxy at http://127.0.0.1:8474): db 127.0.0.1:15432 -> 127.0.0.1:5432\n");
    }

    @Test
    void badFlagsAreExit2WithEveryProblem() throws Exception {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("proxy", "--api", "8474", "--proxy", "db=127.0.0.1:15432", "--proxy", "x=127.0.0.1:1=nowhere",
                "--proxy", "x=127.0.0.1:2=127.0.0.1:5432");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(String.join("\n", List.of(
                "longrun: --api must be host:port, e.g. 127.0.0.1:15432, got \"8474\"",
                "--proxy must be NAME=LISTEN=UPSTREAM, e.g. db=127.0.0.1:15432=127.0.0.1:5432, got \"db=127.0.0.1:15432\"",
                "--proxy x: UPSTREAM must be host:port, e.g. 127.0.0.1:15432, got \"nowhere\"",
                "--proxy: two proxies are named \"x\"")) + "\n");
        Cli.Result unreachable = cli.run("faults", "reset", "--toxiproxy", "http://127.0.0.1:1");
        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.err()).isEqualTo("longrun: cannot reach Toxiproxy at http://127.0.0.1:1: connection refused\n");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result inUse = cli.run("proxy", "--api", "127.0.0.1:0", "--proxy", "db=127.0.0.1:" + taken.getLocalPort() + "=127.0.0.1:5432");
            assertThat(inUse.code()).isEqualTo(2);
            assertThat(inUse.err()).isEqualTo("longrun: proxy db: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use\n");
            Cli.Result notToxiproxy = cli.run("faults", "reset", "--toxiproxy", "http://127.0.0.1:" + taken.getLocalPort(), "--timeout", "1s");
            assertThat(notToxiproxy.code()).isEqualTo(2);
            assertThat(notToxiproxy.err()).startsWith("longrun: Toxiproxy at http://127.0.0.1:" + taken.getLocalPort() + ": GET /proxies: ");
        }
        Cli.Result notUrl = cli.run("faults", "reset", "--toxiproxy", "127.0.0.1:8474");
        assertThat(notUrl.code()).isEqualTo(2);
        assertThat(notUrl.err()).doesNotContain("Exception").contains("--toxiproxy");
    }
}
