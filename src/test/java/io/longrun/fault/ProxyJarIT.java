package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.testing.Await;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longrun proxy} from the packaged jar, as a separate process: SIGTERM stops it with its faults. */
class ProxyJarIT {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheProxyAndTakesItsFaultsWithIt() throws Exception {
        try (Upstream up = Upstream.echo()) {
            Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
            String jar = Path.of(System.getProperty("longrun.jar", "target/longrun.jar")).toAbsolutePath().toString();
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
                    "proxy", "--api", "127.0.0.1:0", "--proxy", "db=127.0.0.1:0=" + up.address()))
                    .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                String printed = Await.until(Duration.ofSeconds(60), Duration.ofMillis(50), () -> Files.readString(out), s -> s.contains("Ctrl+C"));
                Matcher api = Pattern.compile("API on (http://127.0.0.1:\\d+)").matcher(printed);
                Matcher db = Pattern.compile("proxy db (127.0.0.1:\\d+)").matcher(printed);
                assertThat(api.find() && db.find()).as(printed + Files.readString(err)).isTrue();
                ToxiproxyClient client = new ToxiproxyClient(api.group(1), Duration.ofSeconds(5));
                client.addToxic("db", Map.of("name", "slow", "type", "latency", "attributes", Map.of("latency", 300)));
                try (Peer c = new Peer(db.group(1))) {
                    assertThat(c.roundTrip(ToxicEffectsTest.PING)).isGreaterThanOrEqualTo(300.0);
                    p.destroy(); // SIGTERM
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
                    assertThat(c.readOutcome(10_000)).isIn("eof", "Connection reset"); // the open connection is closed
                }
                assertThat(Files.readString(out)).contains("stopping: proxies closed, faults gone");
                assertThat(Files.readString(err)).doesNotContain("Exception");
                assertThatThrownBy(() -> new Peer(db.group(1))).isInstanceOf(ConnectException.class);
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
