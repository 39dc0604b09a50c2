package io.longrun.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes read as Kubernetes and kustomize would read it, checking what the sharded run depends on: an
 * Indexed Job whose parallelism, completions and the N of {@code --shard $(JOB_COMPLETION_INDEX)/N} agree; every
 * {@code $(VAR)} in the arguments declared (Kubernetes leaves an undeclared one as it is); the password from a Secret,
 * never inlined; the scenario ConfigMap's key mounted as the file {@code run} is given; the run logs on the volume
 * the collector mounts; one leader through {@code --coordinate} on PostgreSQL. Then the container's arguments, expanded as the kubelet expands them for each index, go
 * through longrun's own command line ({@code --dry-run}): every shard accepted, and the shards' plans adding up to
 * the single run's.
 */
class KubernetesManifestsTest {
    static final Path DIR = Path.of("deploy/kubernetes");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @TempDir
    Path tmp;

    /** Every document of the kustomization's resources, in order. */
    static List<JsonNode> resources() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode r : kustomization().path("resources")) {
            Path f = DIR.resolve(r.asText());
            assertThat(f).as("a resource of kustomization.yaml").isRegularFile();
            try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
                while (it.hasNext()) {
                    JsonNode d = it.next();
                    if (d != null && !d.isNull() && !d.isMissingNode()) docs.add(d);
                }
            }
        }
        return docs;
    }

    static JsonNode kustomization() throws IOException {
        return YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
    }

    static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> of = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(of).as("one " + kind).hasSize(1);
        return of.get(0);
    }

    static JsonNode job() throws IOException {
        return only(resources(), "Job");
    }

    static JsonNode container(JsonNode job) {
        JsonNode cs = job.path("spec").path("template").path("spec").path("containers");
        assertThat(cs.size()).as("containers").isEqualTo(1);
        return cs.get(0);
    }

    static List<String> args(JsonNode c) {
        List<String> a = new ArrayList<>();
        c.path("args").forEach(x -> a.add(x.asText()));
        return a;
    }

    static String after(List<String> args, String flag) {
        int i = args.indexOf(flag);
        assertThat(i).as(flag + " in the container's args " + args).isNotNegative();
        return args.get(i + 1);
    }

    /** The N of {@code --shard $(JOB_COMPLETION_INDEX)/N}. */
    static int shards(List<String> args) {
        Matcher m = Pattern.compile("\\$\\(JOB_COMPLETION_INDEX\\)/(\\d+)").matcher(after(args, "--shard"));
        assertThat(m.matches()).as("--shard is $(JOB_COMPLETION_INDEX)/N: " + after(args, "--shard")).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static Map<String, JsonNode> env(JsonNode c) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        c.path("env").forEach(e -> m.put(e.path("name").asText(), e));
        return m;
    }

    /** params.env as kustomize's configMapGenerator reads it: KEY=VALUE lines, # comments. */
    static Map<String, String> params() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("params.env"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            assertThat(eq).as("params.env: KEY=VALUE: " + line).isPositive();
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    @Test
    void theJobIsIndexedWithNPodsAtOnceAndTheShardFlagSaysTheSameN() throws IOException {
        JsonNode job = job();
        assertThat(job.path("apiVersion").asText()).isEqualTo("batch/v1");
        JsonNode spec = job.path("spec");
        assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
        int n = shards(args(container(job)));
        assertThat(n).isGreaterThan(1);
        assertThat(spec.path("completions").asInt()).as("completions == the N of --shard").isEqualTo(n);
        assertThat(spec.path("parallelism").asInt()).as("parallelism == the N of --shard").isEqualTo(n);
        // a shard runs once: a retry would write over its run log and send its events a second time
        assertThat(spec.path("backoffLimitPerIndex").isInt() && spec.path("backoffLimitPerIndex").asInt() == 0).as("backoffLimitPerIndex: 0").isTrue();
        assertThat(spec.path("template").path("spec").path("restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void theIndexComesFromTheJobAndEveryVariableTheArgsUseIsDeclared() throws IOException {
        JsonNode c = container(job());
        Map<String, JsonNode> env = env(c);
        assertThat(env.get("JOB_COMPLETION_INDEX").path("valueFrom").path("fieldRef").path("fieldPath").asText())
                .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        List<String> used = new ArrayList<>();
        for (String a : args(c)) {
            Matcher m = VAR.matcher(a);
            while (m.find()) used.add(m.group(1));
        }
        assertThat(used).contains("JOB_COMPLETION_INDEX", "START_AT", "SEED", "SCENARIO_ID", "COORDINATE");
        assertThat(env.keySet()).as("Kubernetes expands $(VAR) only for a variable the container declares").containsAll(used);
        // the run's identity from the params ConfigMap, each key one that params.env has
        Map<String, String> params = params();
        for (String v : List.of("START_AT", "SEED", "SCENARIO_ID", "COORDINATE", "PGUSER")) {
            JsonNode ref = env.get(v).path("valueFrom").path("configMapKeyRef");
            assertThat(ref.path("name").asText()).isEqualTo("longrun-params");
            assertThat(params).containsKey(ref.path("key").asText());
        }
        JsonNode gen = generator("longrun-params");
        assertThat(gen.path("envs").get(0).asText()).isEqualTo("params.env");
    }

    @Test
    void theShardsHaveOneLeaderOnPostgresqlSoNoLeaseIsNeeded() throws IOException {
        JsonNode c = container(job());
        assertThat(after(args(c), "--coordinate")).isEqualTo("$(COORDINATE)");
        assertThat(params().get("COORDINATE")).startsWith("jdbc:postgresql://");
        // the store's user and password, as --coordinate reads them
        assertThat(env(c)).containsKeys("PGUSER", "PGPASSWORD");
        // PostgreSQL's advisory lock elects the leader: nothing of Kubernetes' leader election is asked for
        assertThat(resources()).noneMatch(d -> List.of("Lease", "Role", "RoleBinding", "ServiceAccount").contains(d.path("kind").asText()));
    }

    static JsonNode generator(String name) throws IOException {
        for (JsonNode g : kustomization().path("configMapGenerator")) if (g.path("name").asText().equals(name)) return g;
        throw new AssertionError("kustomization.yaml has no configMapGenerator " + name);
    }

    @Test
    void thePasswordComesFromASecretAndIsWrittenNowhere() throws IOException {
        JsonNode c = container(job());
        Map<String, JsonNode> env = env(c);
        String passwordEnv = YAML.readTree(DIR.resolve("scenario.yaml").toFile()).path("database").path("password_env").asText();
        assertThat(passwordEnv).isEqualTo("PGPASSWORD");
        JsonNode ref = env.get(passwordEnv).path("valueFrom").path("secretKeyRef");
        assertThat(ref.path("name").asText()).isEqualTo("longrun-db");
        assertThat(ref.path("key").asText()).isEqualTo("password");
        for (JsonNode e : env.values())
            if (e.path("name").asText().matches("(?i).*(password|secret|token).*"))
                assertThat(e.has("value")).as(e.path("name").asText() + " has a value written in the manifest").isFalse();
        assertThat(resources()).noneMatch(d -> d.path("kind").asText().equals("Secret"));
        assertThat(kustomization().has("secretGenerator")).isFalse();
        assertThat(args(c)).noneMatch(a -> a.toLowerCase(java.util.Locale.ROOT).contains("password"));
        assertThat(YAML.readTree(DIR.resolve("scenario.yaml").toFile()).path("database").has("password")).isFalse();
    }

    @Test
    void theScenarioConfigMapKeyIsTheFileRunIsGiven() throws IOException {
        JsonNode job = job();
        JsonNode c = container(job);
        JsonNode gen = generator("longrun-scenario");
        assertThat(gen.path("files").size()).isEqualTo(1);
        String file = gen.path("files").get(0).asText();
        assertThat(DIR.resolve(file)).isRegularFile();
        String key = file.contains("=") ? file.substring(0, file.indexOf('=')) : Path.of(file).getFileName().toString();
        JsonNode vol = volume(job, "longrun-scenario", "configMap");
        String mount = mountPath(c, vol.path("name").asText());
        String path = key;
        for (JsonNode item : vol.path("configMap").path("items"))
            if (item.path("key").asText().equals(key)) path = item.path("path").asText();
        assertThat(args(c).get(0)).isEqualTo("run");
        assertThat(args(c).get(1)).as("the scenario file run is given").isEqualTo(mount + "/" + path);
    }

    static JsonNode volume(JsonNode job, String source, String type) {
        for (JsonNode v : job.path("spec").path("template").path("spec").path("volumes"))
            if (v.path(type).path(type.equals("configMap") ? "name" : "claimName").asText().equals(source)) return v;
        throw new AssertionError("no " + type + " volume of " + source);
    }

    static String mountPath(JsonNode c, String volume) {
        for (JsonNode m : c.path("volumeMounts")) if (m.path("name").asText().equals(volume)) return m.path("mountPath").asText();
        throw new AssertionError("volume " + volume + " is not mounted");
    }

    @Test
    void theRunLogsGoToTheVolumeTheCollectorMountsOneFolderPerShard() throws IOException {
        List<JsonNode> docs = resources();
        JsonNode job = only(docs, "Job"), pvc = only(docs, "PersistentVolumeClaim"), collector = only(docs, "Pod");
        String claim = pvc.path("metadata").path("name").asText();
        String jobMount = mountPath(container(job), volume(job, claim, "persistentVolumeClaim").path("name").asText());
        String log = after(args(container(job)), "--log-file");
        assertThat(log).startsWith(jobMount + "/").contains("$(JOB_COMPLETION_INDEX)/").endsWith("/run.jsonl");
        JsonNode cc = collector.path("spec").path("containers").get(0);
        String collectorMount = null;
        for (JsonNode v : collector.path("spec").path("volumes"))
            if (v.path("persistentVolumeClaim").path("claimName").asText().equals(claim)) collectorMount = mountPath(cc, v.path("name").asText());
        assertThat(collectorMount).isEqualTo(jobMount);
        // the shards write from several nodes at once
        assertThat(pvc.path("spec").path("accessModes").get(0).asText()).isEqualTo("ReadWriteMany");
    }

    @Test
    void theImageIsTheDockerfilesAndResourcesAreRequested() throws IOException {
        String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre").contains("COPY target/longrun.jar /app/longrun.jar")
                .contains("USER 10001");
        assertThat(Files.readString(Path.of(".dockerignore"))).contains("!target/longrun.jar");
        JsonNode job = job();
        JsonNode c = container(job);
        String image = c.path("image").asText();
        assertThat(kustomization().path("images").get(0).path("name").asText()).isEqualTo(image);
        assertThat(job.path("spec").path("template").path("spec").path("securityContext").path("runAsUser").asInt()).isEqualTo(10001);
        assertThat(c.path("resources").path("requests").path("cpu").asText()).isEqualTo("2");
        assertThat(c.path("resources").path("requests").has("memory")).isTrue();
        assertThat(c.path("resources").path("limits").has("memory")).isTrue();
        assertThat(c.path("resources").path("limits").has("cpu")).as("no CPU limit: throttling would stall the pacer").isFalse();
    }

    @Test
    void everyPodMeetsTheRestrictedPodSecurityStandard() throws IOException {
        List<JsonNode> docs = resources();
        for (JsonNode pod : List.of(only(docs, "Job").path("spec").path("template").path("spec"), only(docs, "Pod").path("spec"))) {
            JsonNode sc = pod.path("securityContext");
            assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(sc.path("runAsUser").asInt()).isPositive();
            assertThat(sc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.has("hostNetwork") || pod.has("hostPID") || pod.has("hostIPC")).isFalse();
            pod.path("volumes").forEach(v -> assertThat(v.has("hostPath")).as(v.toString()).isFalse());
            for (JsonNode c : pod.path("containers")) {
                JsonNode csc = c.path("securityContext");
                assertThat(csc.path("allowPrivilegeEscalation").isBoolean() && !csc.path("allowPrivilegeEscalation").asBoolean()).as(c.path("name").asText()).isTrue();
                assertThat(csc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
                assertThat(csc.path("privileged").asBoolean(false)).isFalse();
            }
        }
    }

    /** The container's args for index {@code i}, expanded as the kubelet does, with the mounts moved under {@code root}. */
    static List<String> expanded(JsonNode job, int i, Map<String, String> values, Path root) {
        JsonNode c = container(job);
        Map<String, String> vars = new LinkedHashMap<>(values);
        vars.put("JOB_COMPLETION_INDEX", Integer.toString(i));
        List<String> out = new ArrayList<>();
        for (String a : args(c)) {
            Matcher m = VAR.matcher(a);
            StringBuilder sb = new StringBuilder();
            // as the kubelet does: a variable the container does not declare stays as it is written
            while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
            m.appendTail(sb);
            String s = sb.toString();
            for (JsonNode mnt : c.path("volumeMounts")) {
                String p = mnt.path("mountPath").asText();
                if (s.startsWith(p + "/")) s = root.resolve(p.substring(1)).toString() + s.substring(p.length());
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void longrunAcceptsEveryShardsArgumentsAndTheSharesAddUpToTheWholeRun() throws Exception {
        JsonNode job = job();
        int n = shards(args(container(job)));
        // the ConfigMap's file where the pod would see it, and the run-log volume
        Files.createDirectories(tmp.resolve("etc/longrun"));
        Files.copy(DIR.resolve("scenario.yaml"), tmp.resolve("etc/longrun/scenario.yaml"));
        Files.createDirectories(tmp.resolve("runs"));
        Map<String, String> values = new LinkedHashMap<>(params());
        String at = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        values.put("START_AT", at);
        // the Secret's value; the scenario's figures with a 30 s run, so that the dry run's plan is quick
        Cli cli = new Cli(tmp).env("PGPASSWORD", "from-the-secret");
        long planned = 0;
        for (int i = 0; i < n; i++) {
            List<String> a = new ArrayList<>(expanded(job, i, values, tmp));
            a.addAll(List.of("--dry-run", "--duration", "30s"));
            Cli.Result r = cli.run(a.toArray(String[]::new));
            assertThat(r.code()).as(r.all()).isZero();
            Path log = tmp.resolve("runs/" + values.get("SCENARIO_ID") + "/shard-" + i + "/run.jsonl");
            List<JsonNode> recs = RunLogs.read(log);
            JsonNode start = RunLogs.last(recs, "run.start");
            assertThat(start.path("shard").path("index").asInt()).isEqualTo(i);
            assertThat(start.path("shard").path("count").asInt()).isEqualTo(n);
            assertThat(start.path("start_at").asText()).isEqualTo(at);
            assertThat(start.path("seed").asText()).isEqualTo(values.get("SEED"));
            assertThat(start.path("scenario_id").asText()).isEqualTo(values.get("SCENARIO_ID"));
            planned += RunLogs.last(recs, "run.end").path("totals").path("planned").asLong();
            assertThat(Files.readString(log)).doesNotContain("from-the-secret");
        }
        Cli.Result whole = cli.run("run", tmp.resolve("etc/longrun/scenario.yaml").toString(), "--seed", values.get("SEED"), "--scenario-id",
                values.get("SCENARIO_ID"), "--log-file", tmp.resolve("whole/run.jsonl").toString(), "--dry-run", "--duration", "30s");
        assertThat(whole.code()).as(whole.all()).isZero();
        long single = RunLogs.last(RunLogs.read(tmp.resolve("whole/run.jsonl")), "run.end").path("totals").path("planned").asLong();
        assertThat(single).isPositive();
        assertThat(planned).as("the shards' plans add up to the single run's").isEqualTo(single);
    }

    @Test
    void anUnsetStartAtStopsTheShardAtOnceNamingTheFlag() throws Exception {
        JsonNode job = job();
        Files.createDirectories(tmp.resolve("etc/longrun"));
        Files.copy(DIR.resolve("scenario.yaml"), tmp.resolve("etc/longrun/scenario.yaml"));
        Map<String, String> values = new LinkedHashMap<>(params());
        values.put("START_AT", "");
        List<String> a = new ArrayList<>(expanded(job, 0, values, tmp));
        a.add("--dry-run");
        Cli.Result r = new Cli(tmp).env("PGPASSWORD", "x").run(a.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--start-at").contains("not a UTC time").doesNotContain("Exception");
    }
}
