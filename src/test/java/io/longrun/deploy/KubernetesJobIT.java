package io.longrun.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.longrun.db.DbSettings;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes's Job as its pods would run it, without Kubernetes: for each index, the container's arguments
 * expanded as the kubelet expands them, its environment (PGUSER from the params, PGPASSWORD as from the Secret),
 * the packaged jar in a process of its own; the scenario of the ConfigMap with its service addresses pointed at a
 * real HTTP server and the tests' PostgreSQL, and a short duration. The three shards run as one coordinated run:
 * one leader at a time (its watchers only on the leader), every shard exit 0, and the merged report accounts for
 * every event of the plan.
 */
class KubernetesJobIT {
    @TempDir
    Path dir;

    static String replaced(String text, String from, String to) {
        assertThat(text).as("the scenario has " + from).contains(from);
        return text.replace(from, to);
    }

    @Test
    void theJobsThreePodsRunAsOneCoordinatedRun() throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(x.getRequestURI().getPath().equals("/health") ? 200 : 204, -1);
            x.close();
        });
        target.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        target.start();
        try {
            DbSettings db = TestDb.freshSchema();
            try (Connection c = TestDb.connect(db); Statement s = c.createStatement()) {
                s.execute("create table events (id bigserial primary key, body text)");
            }
            String user = db.user().orElse("postgres");
            // the ConfigMap's scenario, where the pod sees it, its services here and 8 s long
            String sc = Files.readString(KubernetesManifestsTest.DIR.resolve("scenario.yaml"));
            sc = replaced(sc, "http://ingest.default.svc.cluster.local:8000", "http://127.0.0.1:" + target.getAddress().getPort());
            sc = replaced(sc, "jdbc:postgresql://postgres.default.svc.cluster.local:5432/agingos", db.url());
            sc = replaced(sc, "user: agingos", "user: " + user);
            sc = replaced(sc, "duration: 1h", "duration: 8s");
            sc = replaced(sc, "rate: 24000", "rate: 300");
            sc = replaced(sc, "ramp_up: 2m", "ramp_up: 1s");
            Files.createDirectories(dir.resolve("etc/longrun"));
            Files.writeString(dir.resolve("etc/longrun/scenario.yaml"), sc);
            Files.createDirectories(dir.resolve("runs"));

            JsonNode job = KubernetesManifestsTest.job();
            int n = KubernetesManifestsTest.shards(KubernetesManifestsTest.args(KubernetesManifestsTest.container(job)));
            Map<String, String> values = new LinkedHashMap<>(KubernetesManifestsTest.params());
            values.put("START_AT", Instant.now().plusSeconds(40).truncatedTo(ChronoUnit.SECONDS).toString());
            values.put("COORDINATE", db.url());
            values.put("SCENARIO_ID", "kube-it-" + ProcessHandle.current().pid());
            String jar = Path.of(System.getProperty("longrun.jar", "target/longrun.jar")).toAbsolutePath().toString();
            List<Process> pods = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-jar", jar));
                cmd.addAll(KubernetesManifestsTest.expanded(job, i, values, dir));
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("pod-" + i + ".txt").toFile());
                pb.environment().put("PGUSER", user); // the Job's env: PGUSER from the params ConfigMap
                pb.environment().putIfAbsent("PGPASSWORD", "from-the-secret"); // and PGPASSWORD from the Secret
                pb.environment().put("LONGRUN_METRICS_PORT", "0"); // one host here, not one network per pod
                pb.environment().remove("LONGRUN_DEBUG");
                pods.add(pb.start());
            }
            for (int i = 0; i < n; i++) {
                assertThat(pods.get(i).waitFor(3, TimeUnit.MINUTES)).as("pod " + i + " ended").isTrue();
                assertThat(pods.get(i).exitValue()).as(Files.readString(dir.resolve("pod-" + i + ".txt"))).isZero();
            }

            List<Path> logs = new ArrayList<>();
            List<double[]> leads = new ArrayList<>();
            int watched = 0;
            for (int i = 0; i < n; i++) {
                Path log = dir.resolve("runs/" + values.get("SCENARIO_ID") + "/shard-" + i + "/run.jsonl");
                logs.add(log);
                List<JsonNode> recs = RunLogs.read(log);
                Double from = null;
                for (JsonNode r : RunLogs.ofType(recs, "leader")) {
                    double t = Instant.parse(r.path("time").asText()).toEpochMilli() / 1000.0;
                    if (r.path("state").asText().equals("acquired")) from = t;
                    else if (from != null) {
                        leads.add(new double[] {from, t});
                        from = null;
                    }
                }
                if (!RunLogs.ofType(recs, "health").isEmpty()) watched++;
            }
            assertThat(leads).as("someone led").isNotEmpty();
            for (int a = 0; a < leads.size(); a++)
                for (int b = a + 1; b < leads.size(); b++)
                    assertThat(leads.get(a)[1] <= leads.get(b)[0] || leads.get(b)[1] <= leads.get(a)[0]).as("one leader at a time").isTrue();
            assertThat(watched).as("shards whose run logs hold health samples: the leader's").isGreaterThanOrEqualTo(1);

            List<String> args = new ArrayList<>(List.of("report"));
            logs.forEach(l -> args.add(l.toString()));
            args.addAll(List.of("--out", dir.resolve("merged").toString()));
            Cli.Result r = new Cli(dir).run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.all()).isZero();
            JsonNode t = RunLogs.last(RunLogs.read(dir.resolve("merged/merged.jsonl")), "run.end").path("totals");
            assertThat(t.path("planned").asLong()).isPositive();
            assertThat(t.path("accepted").asLong() + t.path("missed").asLong() + t.path("dropped").asLong()).isEqualTo(t.path("planned").asLong());
        } finally {
            target.stop(0);
        }
    }
}
