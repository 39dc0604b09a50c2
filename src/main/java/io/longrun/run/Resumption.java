package io.longrun.run;

import io.longrun.deliver.Histograms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.deliver.Outcomes;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a dead run left, read from its run log: who it was (seed, scenario id, schedule's time zero, planned end),
 * where its emitters' settled prefixes stood at its last checkpoint, and the totals of everything else it logged
 * (latency histograms, health checks, alerts, log lines, rows at the start). A resume continues from here.
 *
 * <p>Refused, as bad input: a run that ended (its log has a run.end), a run whose scenario copy changed since it
 * started, and a log of another version than {@link #LOG_VERSION}.
 */
public final class Resumption {
    /** The run log's version: 2 added the scenario copy, schedule.start, checkpoints and latency histograms per tick. */
    public static final int LOG_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One emitter's figures at the last checkpoint (counts of its settled prefix, everything below {@code next}). */
    record Checkpoint(long next, long planned, long sent, long accepted, long rejected, long failed, long dropped, long missed,
                      Map<String, Long> rejectedBy, Map<String, Long> failedBy) {}

    final Path log;
    JsonNode start;
    Instant timeZero, plannedEnd, lastRecord, lastCheckpoint;
    final Map<String, Checkpoint> checkpoint = new LinkedHashMap<>();
    final Map<String, Histogram[]> latency = new LinkedHashMap<>();
    final Map<String, Long> levels = new TreeMap<>();
    final Map<String, Long> logLevels = new TreeMap<>();
    final Map<String, Long> rowsStart = new LinkedHashMap<>();
    final Map<String, Long> missedBy = new TreeMap<>();
    long healthChecks, healthFailures, alerts, logLines;
    int segments = 1;

    private Resumption(Path log) {
        this.log = log;
    }

    String scenarioId() {
        return start.path("scenario_id").asText();
    }

    String runId() {
        return start.path("run_id").asText();
    }

    long seed() {
        return start.path("seed").asLong();
    }

    /** The connection flags a resume may be given again (a URL that held a secret must be). */
    public record Given(java.util.Optional<String> targetUrl, java.util.Optional<String> healthUrl, java.util.Optional<String> dbUrl,
                        java.util.Optional<String> dbUser, java.util.Optional<String> dbPasswordEnv) {}

    /** The scenario as the first segment ran it: its copy, read with the values the flags and the environment gave then. */
    public io.longrun.scenario.Scenario scenario(Given given, Map<String, String> env) throws BadInput, io.longrun.scenario.ScenarioException {
        Path copy = RunFiles.scenarioCopy(log);
        try (java.io.Reader r = Files.newBufferedReader(copy, StandardCharsets.UTF_8)) {
            return io.longrun.scenario.ScenarioReader.read(copy.toString(), scenarioName(), r, ResumeInfo.overrides(this, given, env), baseDir());
        } catch (IOException e) {
            throw new BadInput(copy + ": cannot read: " + e.getMessage());
        }
    }

    /** The scenario's name (the run folder's), as the first segment read it. */
    String scenarioName() {
        return start.path("scenario").asText();
    }

    /** Where the scenario's relative names (template_file, replay files) are found. */
    Path baseDir() {
        return Path.of(start.path("resume").path("base_dir").asText(""));
    }

    String scenarioOrigin() {
        return start.path("resume").path("scenario_origin").asText(RunFiles.scenarioCopy(log).toString());
    }

    /** Reads a run's log and checks that it can be resumed; every refusal names the file and why. */
    public static Resumption read(Path folderOrLog) throws BadInput {
        Path log = RunFiles.runLog(folderOrLog);
        if (!Files.isRegularFile(log)) throw new BadInput(folderOrLog + ": no run log here (expected " + log + ")");
        Resumption r = new Resumption(log);
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                JsonNode rec = parse(line);
                if (rec == null) {
                    if (n == 1) throw new BadInput(log + ": not a longrun run log (line 1 is not a run.start record)");
                    continue; // a line cut by the kill
                }
                if (n == 1) r.begin(rec);
                else r.add(rec);
            }
            if (n == 0) throw new BadInput(log + ": empty, not a run log");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInput(log + ": not a longrun run log (not UTF-8 text)");
        } catch (IOException e) {
            throw new BadInput(log + ": cannot read: " + e.getMessage());
        }
        if (r.timeZero == null)
            throw new BadInput(log + ": the run died before its schedule started; there is nothing to resume (start it again)");
        r.checkCopy();
        return r;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() && n.hasNonNull("type") && n.hasNonNull("time") ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void begin(JsonNode rec) throws BadInput {
        if (!"run.start".equals(rec.path("type").asText()))
            throw new BadInput(log + ": not a longrun run log (line 1 is not a run.start record)");
        int version = rec.path("log_version").asInt(1);
        if (version != LOG_VERSION)
            throw new BadInput(log + ": written by another version of longrun (run log version " + version + "; this longrun resumes version "
                    + LOG_VERSION + "): resume it with the longrun that started it");
        start = rec;
        lastRecord = time(rec);
    }

    private void add(JsonNode rec) throws BadInput {
        Instant t = time(rec);
        if (t != null && (lastRecord == null || t.isAfter(lastRecord))) lastRecord = t;
        switch (rec.path("type").asText()) {
            case "run.end" -> throw new BadInput(log + ": the run ended (" + rec.path("verdict").asText("run.end") + ", at "
                    + rec.path("time").asText() + "); there is nothing to resume");
            case "schedule.start" -> {
                if (timeZero == null) {
                    timeZero = instant(rec.path("time_zero").asText(null));
                    plannedEnd = instant(rec.path("planned_end").asText(null));
                }
            }
            case "run.resume" -> {
                segments++;
                rec.path("missed_by").fields().forEachRemaining(e -> missedBy.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            }
            case "checkpoint" -> checkpoint(rec, t);
            case "tick" -> tick(rec);
            case "health" -> {
                healthChecks++;
                if (!rec.path("ok").asBoolean(false)) healthFailures++;
            }
            case "alert" -> alerts++;
            case "log" -> {
                logLines += rec.path("lines").asLong(0);
                rec.path("levels").fields().forEachRemaining(e -> logLevels.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            }
            case "db" -> {
                // a table's first figure (a record without rows: skipped behind a lock before it was ever counted)
                if (rec.hasNonNull("table") && rec.has("rows") && !rowsStart.containsKey(rec.get("table").asText()))
                    rowsStart.put(rec.get("table").asText(), rec.path("rows").asLong());
            }
            default -> { }
        }
    }

    private void checkpoint(JsonNode rec, Instant t) {
        checkpoint.clear();
        lastCheckpoint = t;
        rec.path("emitters").fields().forEachRemaining(e -> {
            JsonNode c = e.getValue();
            checkpoint.put(e.getKey(), new Checkpoint(c.path("next").asLong(), c.path("planned").asLong(), c.path("sent").asLong(),
                    c.path("accepted").asLong(), c.path("rejected").asLong(), c.path("failed").asLong(), c.path("dropped").asLong(),
                    c.path("missed").asLong(), counts(c.path("rejected_by")), counts(c.path("failed_by"))));
        });
    }

    private void tick(JsonNode rec) throws BadInput {
        String emitter = rec.path("emitter").asText();
        rec.path("levels").fields().forEachRemaining(e -> levels.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        JsonNode h = rec.path("hist");
        if (!h.isObject()) return;
        Histogram[] pair = latency.computeIfAbsent(emitter, k -> new Histogram[] {Histograms.empty(), Histograms.empty()});
        try {
            pair[0].add(Histograms.decode(h.path("intended").asText("")));
            pair[1].add(Histograms.decode(h.path("service").asText("")));
        } catch (java.util.zip.DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new BadInput(log + ": a tick record's latency histogram cannot be read (" + rec.path("time").asText() + ")");
        }
    }

    private static Map<String, Long> counts(JsonNode n) {
        Map<String, Long> m = new TreeMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    private void checkCopy() throws BadInput {
        if (!start.path("resume").isObject())
            throw new BadInput(log + ": this run kept no copy of its scenario (longrun replay and longrun demo do not); it cannot be resumed");
        Path copy = RunFiles.scenarioCopy(log);
        String want = start.path("scenario_sha256").asText("");
        if (!Files.isRegularFile(copy)) throw new BadInput(copy + ": the run's copy of its scenario is missing; it cannot be resumed");
        String have;
        try {
            have = sha256(Files.readAllBytes(copy));
        } catch (IOException e) {
            throw new BadInput(copy + ": cannot read: " + e.getMessage());
        }
        if (!have.equals(want))
            throw new BadInput(copy + ": changed since the run started (sha256 " + have + ", the run started with " + want
                    + "); a resumed run must send what the first segment would have sent: put the copy back or start a new run");
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant time(JsonNode rec) {
        return instant(rec.path("time").asText(null));
    }

    private static Instant instant(String s) {
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
