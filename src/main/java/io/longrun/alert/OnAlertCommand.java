package io.longrun.alert;

import io.longrun.criteria.Alert;
import java.io.File;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code --on-alert CMD}: runs {@code sh -c CMD} once per alert, one at a time on its own thread, with the alert
 * in the environment (LONGRUN_ALERT_NAME, _KIND, _SEVERITY, _STATE, _MESSAGE, _OBSERVED, _THRESHOLD, _TIME, and
 * LONGRUN_RUN_ID, LONGRUN_SCENARIO). Its output is discarded; a command that fails or takes longer than
 * {@link #TIMEOUT_SECONDS} is reported and the run goes on.
 */
public final class OnAlertCommand implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 30;
    private final String command;
    private final Consumer<String> report;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "longrun-on-alert");
        t.setDaemon(true);
        return t;
    });

    public OnAlertCommand(String command, Consumer<String> report) {
        this.command = command;
        this.report = report;
    }

    void run(Alert a, Map<String, String> labels) {
        executor.execute(() -> {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).redirectOutput(new File("/dev/null"));
            Map<String, String> env = pb.environment();
            env.put("LONGRUN_ALERT_NAME", a.criterion());
            env.put("LONGRUN_ALERT_KIND", a.kind());
            env.put("LONGRUN_ALERT_SEVERITY", a.severity().name().toLowerCase(Locale.ROOT));
            env.put("LONGRUN_ALERT_STATE", a.state());
            env.put("LONGRUN_ALERT_MESSAGE", a.text());
            env.put("LONGRUN_ALERT_OBSERVED", Double.toString(a.observed()));
            env.put("LONGRUN_ALERT_THRESHOLD", Double.toString(a.threshold()));
            env.put("LONGRUN_ALERT_TIME", a.time().toString());
            env.put("LONGRUN_RUN_ID", labels.getOrDefault("run_id", ""));
            env.put("LONGRUN_SCENARIO", labels.getOrDefault("scenario", ""));
            try {
                Process p = pb.start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    report.accept("--on-alert: the command took longer than " + TIMEOUT_SECONDS + " s and was stopped");
                } else if (p.exitValue() != 0) {
                    report.accept("--on-alert: the command exited with " + p.exitValue() + " for alert " + a.criterion() + " " + a.state());
                }
            } catch (Exception e) {
                report.accept("--on-alert: cannot run the command: " + e.getMessage());
            }
        });
    }

    /** Waits a little for commands still running (the last alert of a run should get its command). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
