package io.longrun.api.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs a test class as a build would, through the JUnit Platform, and returns what it says. */
public final class Launch {
    private Launch() {}

    public static TestExecutionSummary run(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    /** Each failure's message, one per line. */
    public static String failures(TestExecutionSummary s) {
        StringBuilder b = new StringBuilder();
        s.getFailures().forEach(f -> b.append(f.getTestIdentifier().getDisplayName()).append(": ").append(f.getException().getMessage()).append('\n'));
        return b.toString();
    }
}
