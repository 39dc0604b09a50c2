package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.db.Migrations;
import io.longrun.testing.TestDb;
import io.longrun.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus + Grafana half of docker-compose.yml, checked without Docker: Prometheus's config passes promtool, every
 * dashboard query is valid PromQL (promtool check rules) or runs against the migrated schema in a real PostgreSQL, and
 * every file the compose file mounts is in the repository.
 */
class ObserveStackTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DASHBOARD = Path.of("observe/grafana/dashboards/longrun.json");

    @TempDir
    Path dir;

    record Promtool(int code, String out) {}

    static Promtool promtool(String... args) throws Exception {
        Tools.PROMTOOL.require();
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Promtool(p.waitFor(), out);
    }

    @Test
    void prometheusConfigPassesPromtool() throws Exception {
        Promtool r = promtool("check", "config", "observe/prometheus.yml");
        assertThat(r.code()).as(r.out()).isZero();
        JsonNode cfg = YAML.readTree(Path.of("observe/prometheus.yml").toFile());
        List<String> targets = new ArrayList<>();
        cfg.path("scrape_configs").forEach(j -> {
            assertThat(j.path("metrics_path").asText()).isEqualTo("/observe/metrics");
            j.path("static_configs").forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText())));
        });
        assertThat(targets).contains("host.docker.internal:9876", "target:9877");
    }

    static List<JsonNode> targets(JsonNode dashboard, String datasource) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels"))
            for (JsonNode t : p.path("targets"))
                if (t.path("datasource").path("uid").asText().equals(datasource)) out.add(t);
        return out;
    }

    @Test
    void everyPrometheusPanelQueryIsValidPromQl() throws Exception {
        JsonNode d = JSON.readTree(DASHBOARD.toFile());
        List<JsonNode> prom = targets(d, "prometheus");
        assertThat(prom).hasSizeGreaterThanOrEqualTo(12);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (JsonNode t : prom)
            rules.append("      - record: panel_").append(i++).append("\n        expr: ").append(JSON.writeValueAsString(t.path("expr").asText())).append('\n');
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, rules);
        Promtool r = promtool("check", "rules", file.toString());
        assertThat(r.code()).as(r.out() + "\n" + rules).isZero();
        assertThat(r.out()).contains("SUCCESS: " + prom.size() + " rules found");
    }

    /** The metric names the dashboard asks Prometheus for; MetricsTest holds them against a live scrape. */
    static Set<String> dashboardMetrics() throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("longrun_[a-z_]+").matcher("");
        for (JsonNode t : targets(JSON.readTree(DASHBOARD.toFile()), "prometheus")) {
            m.reset(t.path("expr").asText());
            while (m.find()) names.add(m.group());
        }
        return names;
    }

    @Test
    void everyPostgresPanelQueryRunsAgainstTheMigratedSchema() throws Exception {
        DbSettings db = TestDb.freshSchema();
        List<JsonNode> sql = targets(JSON.readTree(DASHBOARD.toFile()), "postgres");
        assertThat(sql).hasSizeGreaterThanOrEqualTo(3);
        try (HikariDataSource ds = DataSources.open(db, Map.of(), "observe-test", 2)) {
            Migrations.migrate(ds);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("insert into events (id, \"timestamp\", category, payload) values (gen_random_uuid(), now(), 'motion', '{}')");
                st.execute("insert into deviations (rule, subject) values ('no_motion', 'room-1')");
                for (JsonNode t : sql) {
                    // Grafana's macros, expanded as its PostgreSQL datasource does
                    String q = t.path("rawSql").asText()
                            .replaceAll("\\$__timeGroupAlias\\((\\w+), '1m'\\)", "date_trunc('minute', $1) as time")
                            .replaceAll("\\$__timeFilter\\((\\w+)\\)", "$1 > now() - interval '1 hour'");
                    assertThat(q).as("an unexpanded macro in " + q).doesNotContain("$__");
                    try (var rs = st.executeQuery(q)) {
                        assertThat(rs.next()).as("rows from " + q).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theComposeFileMountsFilesThatExistAndProvisionsBothDatasources() throws Exception {
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile());
        assertThat(compose.path("services").fieldNames()).toIterable().contains("db", "target", "prometheus", "grafana");
        for (String svc : List.of("prometheus", "grafana"))
            for (JsonNode v : compose.path("services").path(svc).path("volumes")) {
                String host = v.asText().split(":")[0];
                assertThat(Path.of(host)).as(svc + " mounts " + host).exists();
            }
        JsonNode ds = YAML.readTree(Path.of("observe/grafana/provisioning/datasources/datasources.yaml").toFile());
        List<String> types = new ArrayList<>();
        ds.path("datasources").forEach(d -> types.add(d.path("uid").asText() + ":" + d.path("type").asText()));
        assertThat(types).containsExactlyInAnyOrder("prometheus:prometheus", "postgres:grafana-postgresql-datasource");
        // the password comes from Grafana's environment, never from the file
        assertThat(Files.readString(Path.of("observe/grafana/provisioning/datasources/datasources.yaml"))).contains("password: $PGPASSWORD");
        JsonNode provider = YAML.readTree(Path.of("observe/grafana/provisioning/dashboards/dashboards.yaml").toFile());
        assertThat(provider.path("providers").get(0).path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards");
        // the target serves its metrics where Prometheus scrapes them, and logs to a folder the host can tail
        List<String> command = new ArrayList<>();
        compose.at("/services/target/command").forEach(c -> command.add(c.asText()));
        String metricsPort = command.get(command.indexOf("--metrics-port") + 1);
        assertThat(Files.readString(Path.of("observe/prometheus.yml"))).contains("\"target:" + metricsPort + "\"");
        String logFile = command.get(command.indexOf("--log-file") + 1);
        List<String> mounts = new ArrayList<>();
        compose.at("/services/target/volumes").forEach(v -> mounts.add(v.asText().split(":")[1]));
        assertThat(mounts).as("the log file's folder is mounted").contains(Path.of(logFile).getParent().toString());
        // the runtime fault API: reachable from the host's loopback, not from the network
        String faultApiPort = command.get(command.indexOf("--fault-api") + 1).split(":")[1];
        List<String> ports = new ArrayList<>();
        compose.at("/services/target/ports").forEach(p -> ports.add(p.asText()));
        assertThat(ports).contains("127.0.0.1:" + faultApiPort + ":" + faultApiPort);
        assertThat(dashboardMetrics()).contains("longrun_target_rate", "longrun_actual_rate", "longrun_events_total",
                "longrun_delivery_latency_seconds_bucket", "longrun_db_table_rows", "longrun_db_table_bytes", "longrun_db_size_bytes",
                "longrun_health_up", "longrun_criterion_state");
    }
}
