package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.longrun.testing.Cli;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run log that cannot be written where --log-file puts it (on Kubernetes: a volume the pod's user cannot write),
 * through the real command line: exit 2, the path and what is wrong with it, and no Java class name.
 */
class RunLogPlaceTest {
    @TempDir
    Path dir;

    @Test
    void aFileWhereTheRunLogsFolderShouldBeIsBadInputNamingIt() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), "name: place\nduration: 2s\nemitters:\n  - { name: steady, rate: 5 }\n");
        Path file = Files.writeString(dir.resolve("runs"), "a file, not a folder\n");
        // a real target that accepts everything, so that the run gets as far as its run log
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        target.start();
        try {
            for (String mode : new String[] {"--dry-run", "--quiet"}) {
                Cli.Result r = new Cli(dir).run("run", dir.resolve("s.yaml").toString(), "--target-url",
                        "http://127.0.0.1:" + target.getAddress().getPort() + "/event", "--metrics-port", "0",
                        "--log-file", file.resolve("shard-0/run.jsonl").toString(), mode);
                assertThat(r.code()).as(r.all()).isEqualTo(2);
                assertThat(r.err()).as(mode).contains("longrun: " + file.resolve("shard-0") + ": not a directory")
                        .doesNotContain("Exception").doesNotContain("internal error");
            }
        } finally {
            target.stop(0);
        }
    }
}
