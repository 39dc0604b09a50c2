package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.longrun.testing.Cli;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --coordinate's refusals, in the user's words, exit 2, no stack trace and no password. */
class CoordinateFlagsTest {
    @TempDir
    Path dir;

    static void noTrace(Cli.Result r) {
        assertThat(r.all()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aStoreLongrunDoesNotKnow() {
        Cli.Result r = new Cli(dir).run("run", "--target-url", "http://127.0.0.1:1/x", "--rate", "10", "--duration", "1s", "--shard", "0/2",
                "--coordinate", "redis://u:pw@x:6379");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'redis://u:***@x:6379': not a coordination store; write file:/shared/dir").doesNotContain("pw@");
        noTrace(r);
    }

    @Test
    void coordinationWithoutAShardOrAScenarioId() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.start();
        try {
            String url = "http://127.0.0.1:" + s.getAddress().getPort() + "/event";
            Cli.Result r = new Cli(dir).run("run", "--target-url", url, "--rate", "10", "--duration", "1s", "--coordinate", "file:coord",
                    "--scenario-id", "x", "--metrics-port", "0");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--coordinate file:" + dir.resolve("coord") + ": only a sharded run is coordinated; add --shard I/N");
            noTrace(r);
            Cli.Result t = new Cli(dir).run("run", "--target-url", url, "--rate", "10", "--duration", "1s", "--coordinate", "file:coord",
                    "--shard", "0/2", "--metrics-port", "0");
            assertThat(t.code()).isEqualTo(2);
            assertThat(t.err()).contains("give every shard the same --scenario-id (or $LONGRUN_SCENARIO)");
            noTrace(t);
        } finally {
            s.stop(0);
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedIsNamedWithoutItsPassword() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.start();
        try {
            String url = "http://127.0.0.1:" + s.getAddress().getPort() + "/event";
            Cli.Result r = new Cli(dir).run("run", "--target-url", url, "--rate", "10", "--duration", "1s", "--shard", "0/2", "--scenario-id", "x",
                    "--metrics-port", "0", "--coordinate", "jdbc:postgresql://127.0.0.1:1/coord?password=s3cret");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--coordinate jdbc:postgresql://127.0.0.1:1/coord?password=***: cannot connect to "
                    + "jdbc:postgresql://127.0.0.1:1/coord?password=***").doesNotContain("s3cret");
            noTrace(r);
        } finally {
            s.stop(0);
        }
    }
}
