package io.longrun.experiment;

import io.longrun.runlog.Secrets;
import io.longrun.scenario.Step;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a phase's actions: a command through {@code sh -c}, an HTTP call. Blocks until the action ends or its
 * timeout, so never call it from an event loop. The output is captured, cut at {@link #OUTPUT_CAP} bytes, and
 * secrets are masked: URL passwords and secret query parameters, and the values of environment variables whose
 * names say they are secret.
 */
public final class Actions {
    static final int OUTPUT_CAP = 4096;
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|token|secret|api_?key|credential).*");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    private Actions() {}

    /** What an action did: whether it succeeded, its exit code or status, its output (capped, masked) and the reason it failed. */
    public record Result(boolean ok, Integer exitCode, Integer status, String output, String error, long tookMs) {
        Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", ok);
            if (exitCode != null) m.put("exit_code", exitCode);
            if (status != null) m.put("status", status);
            m.put("output", output);
            if (error != null) m.put("error", error);
            m.put("took_ms", tookMs);
            return m;
        }
    }

    public static Result run(Step.Action a) {
        long t0 = System.nanoTime();
        Result r = a instanceof Step.Command c ? command(c) : http((Step.Http) a);
        return new Result(r.ok, r.exitCode, r.status, r.output, r.error, (System.nanoTime() - t0) / 1_000_000);
    }

    private static Result command(Step.Command c) {
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", c.run()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(false, null, null, "", "cannot run sh: " + e.getMessage(), 0);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // the command does not read its input
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(p.getInputStream(), out), "longrun-step-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                reader.join(1000);
                return new Result(false, null, null, text(out), "timed out after " + io.longrun.scenario.Durations.format(c.timeout()) + " and was stopped", 0);
            }
            reader.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(false, null, null, text(out), "interrupted", 0);
        }
        int code = p.exitValue();
        return new Result(code == 0, code, null, text(out), code == 0 ? null : "exited with " + code, 0);
    }

    private static Result http(Step.Http h) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(h.url())).timeout(h.timeout())
                    .method(h.method(), h.body().map(HttpRequest.BodyPublishers::ofString).orElse(HttpRequest.BodyPublishers.noBody()));
            if (h.body().isPresent() && h.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type")))
                b.header("Content-Type", "application/json");
            h.headers().forEach(b::header);
        } catch (IllegalArgumentException e) {
            return new Result(false, null, null, "", "bad request: " + e.getMessage(), 0);
        }
        try {
            HttpResponse<byte[]> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(res.body(), 0, Math.min(res.body().length, OUTPUT_CAP + 1));
            boolean ok = res.statusCode() / 100 == 2;
            return new Result(ok, null, res.statusCode(), text(out), ok ? null : "answered " + res.statusCode(), 0);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Result(false, null, null, "", "no answer within " + io.longrun.scenario.Durations.format(h.timeout()), 0);
        } catch (IOException e) {
            return new Result(false, null, null, "", "cannot reach " + Secrets.maskUrl(h.url()) + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, null, null, "", "interrupted", 0);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) if (out.size() <= OUTPUT_CAP) out.write(buf, 0, Math.min(n, OUTPUT_CAP + 1 - out.size()));
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** The captured bytes as text, cut at the cap (said so), secrets masked. */
    static String text(ByteArrayOutputStream out) {
        byte[] b = out.toByteArray();
        boolean cut = b.length > OUTPUT_CAP;
        String s = new String(b, 0, Math.min(b.length, OUTPUT_CAP), StandardCharsets.UTF_8);
        return mask(s) + (cut ? "… (cut at " + OUTPUT_CAP + " bytes)" : "");
    }

    /** Masks URL passwords, secret query parameters and the values of secret environment variables. */
    static String mask(String s) {
        String out = Secrets.maskUrl(s);
        for (Map.Entry<String, String> e : System.getenv().entrySet())
            if (e.getValue().length() >= 4 && SECRET_NAME.matcher(e.getKey()).matches()) out = out.replace(e.getValue(), Secrets.MASK);
        return out;
    }
}
