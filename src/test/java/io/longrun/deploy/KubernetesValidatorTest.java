package io.longrun.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes through a real Kubernetes schema validator: deploy/kubernetes/validate, which checks every object
 * against the Kubernetes API's schemas from the npm package kubernetes-models, strictly (an unknown field is an
 * error). bin/test-tools installs it. The repository's manifests pass; a copy broken in each of the ways that matter
 * fails, naming the file, the object and the field.
 */
class KubernetesValidatorTest {
    static final Path DIR = Path.of("deploy/kubernetes").toAbsolutePath();
    static final Path SCRIPT = DIR.resolve("validate/validate.mjs");

    @TempDir
    Path tmp;

    record Ran(int code, String out) {}

    static Ran validate(Path cwd, String... paths) throws Exception {
        Path node = Tools.NODE.require();
        Path installed = DIR.resolve("validate/node_modules/kubernetes-models/package.json");
        if (!Files.isRegularFile(installed))
            throw new AssertionError("the validator's packages are not installed (" + installed + "): run bin/test-tools (mvn verify runs it first), "
                    + "or npm ci --prefix deploy/kubernetes/validate");
        List<String> cmd = new ArrayList<>(List.of(node.toString(), SCRIPT.toString()));
        cmd.addAll(List.of(paths));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out);
    }

    /** A copy of deploy/kubernetes (without the validator's node_modules) in which {@code from} is replaced by {@code to} in {@code file}. */
    Path broken(String file, String from, String to) throws IOException {
        Path copy = tmp.resolve("kubernetes");
        try (Stream<Path> files = Files.list(DIR)) {
            Files.createDirectories(copy);
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        String text = Files.readString(copy.resolve(file));
        assertThat(text).as(file).contains(from);
        Files.writeString(copy.resolve(file), text.replace(from, to));
        return copy;
    }

    @Test
    void theRepositorysManifestsAreValid() throws Exception {
        Ran r = validate(Path.of("").toAbsolutePath(), "deploy/kubernetes");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("deploy/kubernetes/job.yaml: Job longrun: valid")
                .contains("deploy/kubernetes/runs-pvc.yaml: PersistentVolumeClaim longrun-runs: valid")
                .contains("deploy/kubernetes/collector.yaml: Pod longrun-collect: valid")
                .contains("deploy/kubernetes/kustomization.yaml: ConfigMap longrun-scenario: valid")
                .contains("deploy/kubernetes/kustomization.yaml: ConfigMap longrun-params: valid")
                .contains("5 object(s): 5 valid, 0 invalid");
    }

    @Test
    void aWrongValueTypeIsInvalid() throws Exception {
        Ran r = validate(tmp, broken("job.yaml", "parallelism: 3", "parallelism: three").toString());
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).containsPattern("job.yaml: Job longrun: \\S*spec.parallelism\\S*: .*integer");
    }

    @Test
    void anUnknownFieldIsInvalid() throws Exception {
        // a misspelt field: the API server would drop it (or refuse it), and the Job would not be Indexed
        Ran r = validate(tmp, broken("job.yaml", "completionMode: Indexed", "completionmode: Indexed").toString());
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("job.yaml: Job longrun: spec.completionmode: unknown field");
    }

    @Test
    void aMissingRequiredFieldIsInvalid() throws Exception {
        // a container without a name
        Ran r = validate(tmp, broken("collector.yaml", "- name: collect\n", "- tty: false\n").toString());
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).containsPattern("collector.yaml: Pod longrun-collect: spec.containers.0\\S*: .*name");
    }

    @Test
    void aKustomizationItDoesNotApplyOrAFileItLacksIsAnError() throws Exception {
        Path copy = broken("kustomization.yaml", "generatorOptions:", "patches: []\ngeneratorOptions:");
        Files.delete(copy.resolve("params.env"));
        Ran r = validate(tmp, copy.toString());
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("Kustomization: patches: not applied by this validator")
                .contains("configMapGenerator longrun-params: a file it reads: no such file");
    }

    @Test
    void aFileThatIsNotYamlIsUnreadableExitTwo() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "kind: Job\n  apiVersion: [\n");
        Ran r = validate(tmp, bad.toString(), tmp.resolve("missing.yaml").toString());
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.out()).contains("bad.yaml:").contains("not YAML").contains("missing.yaml: cannot be read: no such file");
    }
}
