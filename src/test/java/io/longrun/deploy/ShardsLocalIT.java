package io.longrun.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.longrun.testing.RunLogs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/shards-local}, the packaged jar in real processes: two shards of one scenario from one --start-at against a
 * real HTTP server, then their merged report; every event the server saw is one of the merged run's, none twice. Bad
 * arguments are refused before anything starts.
 */
class ShardsLocalIT {
    static final Path SCRIPT = Path.of("bin/shards-local").toAbsolutePath();
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path dir;

    record Ran(int code, String out) {}

    Ran run(Map<String, String> env, String... args) throws Exception {
        // the packaged jar, as ./longrun runs it (the launcher would rebuild it from the sources when they are newer)
        String jar = Path.of(System.getProperty("longrun.jar", "target/longrun.jar")).toAbsolutePath().toString();
        Path longrun = Files.writeString(dir.resolve("longrun"), "#!/bin/sh\nexec java -XX:+UseSerialGC -jar '" + jar + "' \"$@\"\n");
        longrun.toFile().setExecutable(true);
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("script.out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("LONGRUN", longrun.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("bin/shards-local ended").isTrue();
        return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void twoShardsFromOneStartThenOneMergedReport() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = ID.matcher(body);
            seen.add(m.find() ? m.group(1) : "(no id)");
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        try {
            Path s = Files.writeString(dir.resolve("s.yaml"), "name: local\nduration: 4s\nseed: 5\nemitters:\n  - { name: steady, rate: 50 }\n");
            Path out = dir.resolve("out");
            Ran r = run(Map.of("START_IN", "15", "OUT", out.toString()), "2", s.toString(), "--target-url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/event", "--scenario-id", "local-it");
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("shard 0/2 exited 0").contains("shard 1/2 exited 0").contains("merged 2 shards' run logs");
            for (int i = 0; i < 2; i++) {
                JsonNode start = RunLogs.last(RunLogs.read(out.resolve("shard-" + i + "/run.jsonl")), "run.start");
                assertThat(start.path("shard").path("index").asInt()).isEqualTo(i);
                assertThat(start.path("scenario_id").asText()).isEqualTo("local-it");
            }
            JsonNode end = RunLogs.last(RunLogs.read(out.resolve("merged/merged.jsonl")), "run.end");
            JsonNode t = end.path("totals");
            assertThat(t.path("planned").asLong()).isEqualTo(200); // 50/s for 4 s, in all
            assertThat(t.path("accepted").asLong() + t.path("missed").asLong() + t.path("dropped").asLong()).isEqualTo(200);
            assertThat((long) seen.size()).as("what the server saw").isEqualTo(t.path("sent").asLong());
            Set<String> unique = new HashSet<>(seen);
            assertThat(unique).hasSize(seen.size()).doesNotContain("(no id)");
            assertThat(new ObjectMapper().readTree(out.resolve("merged/summary.json").toFile()).path("run").path("shards").size()).isEqualTo(2);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingStarts() throws Exception {
        Path s = Files.writeString(dir.resolve("s.yaml"), "name: local\nduration: 4s\nemitters:\n  - { name: steady, rate: 50 }\n");
        Ran n = run(Map.of(), "two", s.toString());
        assertThat(n.code()).isEqualTo(2);
        assertThat(n.out()).contains("shards-local: N: not a number of shards: 'two'");
        Ran shard = run(Map.of(), "2", s.toString(), "--shard", "0/2");
        assertThat(shard.code()).isEqualTo(2);
        assertThat(shard.out()).contains("--shard: the script sets it for each shard");
        Ran missing = run(Map.of(), "2", dir.resolve("none.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.out()).contains("none.yaml: no such file");
    }
}
