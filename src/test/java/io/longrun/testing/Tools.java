package io.longrun.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real tools the tests run, from Debian's packages, where {@code bin/test-tools} (run by {@code mvn verify}) installs
 * them. A test that needs one that is missing fails, with the command that installs it: nothing is skipped.
 */
public enum Tools {
    CHROMIUM("chromium", "chromium", "to open the HTML report"),
    PROMTOOL("promtool", "prometheus", "to check the metrics text and the Grafana dashboard's queries"),
    MAKE("make", "make", "to expand seed 000's make targets"),
    NODE("node", "nodejs", "to run the Kubernetes manifests' validator (deploy/kubernetes/validate)"),
    NPM("npm", "npm", "to install the Kubernetes manifests' validator");

    public final String binary, debianPackage;
    private final String why;

    Tools(String binary, String debianPackage, String why) {
        this.binary = binary;
        this.debianPackage = debianPackage;
        this.why = why;
    }

    /** Where {@code bin/test-tools} looks for it, and the tests run it from. */
    public Path path() {
        return Path.of("/usr/bin", binary);
    }

    /** The tool's path; fails the test, saying how to install it, when it is not there. */
    public Path require() {
        return require(path());
    }

    Path require(Path p) {
        if (!Files.isExecutable(p))
            throw new AssertionError(binary + " is needed " + why + " and is not installed at " + p + ": run bin/test-tools (mvn verify runs it first), "
                    + "or apt-get install -y --no-install-recommends " + debianPackage);
        return p;
    }
}
