package io.longrun.target;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.pace.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The reference target's logic: validates and stores events, answers health, and plays the fault switches.
 * Plain methods over a DataSource; the routes in {@code routes/target} wire them to HTTP.
 */
public final class TargetService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String INSERT = "insert into events (id, \"timestamp\", category, payload, scenario_id, emitter) "
            + "values (?, ?, ?, ?::jsonb, ?, ?) on conflict (id) do nothing";

    private final DataSource ds;
    private final Faults faults;
    private final IngestLimits limits;
    private final TokenBucket rateLimit;
    private final Clock clock;
    private final long start;
    private double hotLoopCarry;

    public TargetService(DataSource ds, Faults faults, Clock clock) {
        this(ds, faults, IngestLimits.DEFAULT, clock);
    }

    public TargetService(DataSource ds, Faults faults, IngestLimits limits, Clock clock) {
        this.ds = ds;
        this.faults = faults;
        this.limits = limits;
        this.rateLimit = new TokenBucket(faults.rateLimitPerSecond(), clock);
        this.clock = clock;
        this.start = clock.nanoTime();
    }

    private boolean down() {
        return faults.downAfter().isPresent() && clock.nanoTime() - start >= faults.downAfter().get().toNanos();
    }

    /** Plays the fault switches on a request (latency, then down_after, error_rate, rate_limit); true when one answered. */
    private boolean faulted(Exchange exchange) throws InterruptedException {
        if (faults.latency().isPresent()) Thread.sleep(faults.latency().get().toMillis());
        if (down()) {
            reply(exchange, 503, Map.of("error", "service unavailable (fault down_after)"));
            return true;
        }
        if (faults.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.errorRate()) {
            reply(exchange, 500, Map.of("error", "injected failure (fault error_rate)"));
            return true;
        }
        if (!rateLimit.tryTake()) {
            reply(exchange, 429, Map.of("error", "rate_limited"));
            return true;
        }
        return false;
    }

    /** POST /event. */
    public void ingest(Exchange exchange) throws InterruptedException {
        Message in = exchange.getIn();
        if (faulted(exchange)) return;
        byte[] body = in.getBody(byte[].class);
        JsonNode event;
        try {
            event = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            reply(exchange, 400, Map.of("error", "body is not JSON: " + e.getOriginalMessage()));
            return;
        } catch (java.io.IOException e) {
            reply(exchange, 400, Map.of("error", "cannot read body"));
            return;
        }
        String problem = problem(event);
        if (problem != null) {
            reply(exchange, 400, Map.of("error", problem));
            return;
        }
        UUID id = UUID.fromString(event.get("id").asText());
        OffsetDateTime ts = OffsetDateTime.parse(event.get("timestamp").asText());
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setObject(1, id);
            ps.setObject(2, ts);
            ps.setString(3, event.get("category").asText());
            ps.setString(4, event.get("payload").toString());
            ps.setString(5, in.getHeader("X-Scenario-Id", String.class));
            ps.setString(6, in.getHeader("X-Emitter", String.class));
            int n = ps.executeUpdate();
            reply(exchange, n == 1 ? 201 : 200, Map.of("id", id.toString(), "stored", n == 1));
        } catch (SQLException e) {
            reply(exchange, 503, Map.of("error", "database unavailable"));
        }
    }

    /** The limits of POST /ingest: beyond them it answers 413, as seed 000's gateway does. */
    public record IngestLimits(int maxBytes, int maxItems) {
        public static final IngestLimits DEFAULT = new IngestLimits(1 << 20, 1000);
    }

    private static final String INSERT_BATCH = "insert into ingest_batches (scenario_id, emitter, format, records, parse_errors, missing_ts, missing_level) "
            + "values (?, ?, ?, ?, ?, ?, ?)";

    /** POST /ingest: log records in JSON, NDJSON, CSV or syslog; counts them and their faults, 202 with the counts. */
    public void ingestLogs(Exchange exchange) throws InterruptedException {
        Message in = exchange.getIn();
        if (faulted(exchange)) return;
        byte[] body = in.getBody(byte[].class);
        if (body != null && body.length > limits.maxBytes()) {
            reply(exchange, 413, Map.of("error", "too_large", "limit_bytes", limits.maxBytes()));
            return;
        }
        Ingest.Counts c;
        try {
            c = Ingest.read(in.getHeader(Exchange.CONTENT_TYPE, String.class), body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    limits.maxItems());
        } catch (Ingest.Refused e) {
            reply(exchange, e.status, Map.of("error", e.getMessage()));
            return;
        }
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(INSERT_BATCH)) {
            ps.setString(1, in.getHeader("X-Scenario-Id", String.class));
            ps.setString(2, in.getHeader("X-Emitter", String.class));
            ps.setString(3, c.format());
            ps.setInt(4, c.records());
            ps.setInt(5, c.parseErrors());
            ps.setInt(6, c.missingTs());
            ps.setInt(7, c.missingLevel());
            ps.executeUpdate();
        } catch (SQLException e) {
            reply(exchange, 503, Map.of("error", "database unavailable"));
            return;
        }
        reply(exchange, 202, Map.of("format", c.format(), "records", c.records(), "parse_errors", c.parseErrors(),
                "missing_ts", c.missingTs(), "missing_level", c.missingLevel()));
    }

    /** Why an event is invalid, or null when it is valid. */
    public static String problem(JsonNode e) {
        if (e == null || !e.isObject()) return "body must be a JSON object";
        JsonNode id = e.get("id");
        if (id == null || !id.isTextual() || !UUID_TEXT.matcher(id.asText()).matches()) return "id must be a UUID";
        JsonNode ts = e.get("timestamp");
        if (ts == null || !ts.isTextual()) return "timestamp must be an ISO-8601 text";
        try {
            OffsetDateTime t = OffsetDateTime.parse(ts.asText());
            if (!t.getOffset().equals(ZoneOffset.UTC)) return "timestamp must be UTC (Z or +00:00), got offset " + t.getOffset();
        } catch (DateTimeParseException ex) {
            return "timestamp must be ISO-8601 with a UTC offset (Z or +00:00), got \"" + ts.asText() + "\"";
        }
        JsonNode category = e.get("category");
        if (category == null || !category.isTextual() || category.asText().isBlank()) return "category must be a non-empty text";
        JsonNode payload = e.get("payload");
        if (payload == null || !payload.isObject()) return "payload must be a JSON object";
        return null;
    }

    /** GET /health: 200 when the database answers, 503 otherwise (or after down_after). */
    public void health(Exchange exchange) {
        if (down()) {
            reply(exchange, 503, Map.of("status", "down", "reason", "fault down_after"));
            return;
        }
        try (Connection c = ds.getConnection()) {
            if (!c.isValid(2)) throw new SQLException("not valid");
            reply(exchange, 200, Map.of("status", "ok"));
        } catch (SQLException e) {
            reply(exchange, 503, Map.of("status", "down", "reason", "database unavailable"));
        }
    }

    /** Fault hot_loop, every 100 ms: inserts the same deviation again, rate/10 rows (the fraction carried). */
    public void hotLoopTick() throws SQLException {
        hotLoopCarry += faults.hotLoopPerSecond() / 10;
        int n = (int) Math.floor(hotLoopCarry);
        if (n <= 0) return;
        hotLoopCarry -= n;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into deviations (rule, subject, severity, window_start, window_end, details) "
                        + "select 'no_motion', 'kitchen', 'warning', ?, ?, '{\"source\":\"hot_loop\"}'::jsonb from generate_series(1, ?)")) {
            Timestamp now = Timestamp.from(clock.now());
            ps.setTimestamp(1, now);
            ps.setTimestamp(2, now);
            ps.setInt(3, n);
            ps.executeUpdate();
        }
    }

    private static void reply(Exchange exchange, int status, Map<String, ?> body) {
        Message out = exchange.getMessage();
        out.getHeaders().clear(); // do not echo the request's headers back
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            out.setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            out.setBody("{}");
        }
    }
}
