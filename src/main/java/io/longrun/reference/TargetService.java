package io.longrun.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.metrics.TargetMetrics;
import io.longrun.metrics.TargetMetrics.Outcome;
import io.longrun.pace.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The reference target's logic: validates and stores events, answers health and the evaluate endpoint, and plays
 * the fault switches that act on requests. Plain methods over a DataSource; the routes in {@code routes/target} wire
 * them to HTTP. Delays (latency, slow_after) are not here: {@link TargetHttp} plays them on the HTTP server's timer,
 * so no thread waits.
 */
public final class TargetService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String INSERT = "insert into events (id, \"timestamp\", category, payload, scenario_id, emitter) "
            + "values (?, ?, ?, ?::jsonb, ?, ?) on conflict (id) do nothing";

    private static final String INSERT_DUP = "insert into events_dup (id, \"timestamp\", category, payload, scenario_id, emitter) "
            + "values (?, ?, ?, ?::jsonb, ?, ?)";

    private final DbGate ds;
    private final LiveFaults live;
    private final IngestLimits limits;
    private volatile TokenBucket rateLimit;
    private final Clock clock;
    private final TargetLog log;
    private final TargetMetrics metrics;
    private final Scheduler scheduler;
    private final AtomicBoolean saidDown = new AtomicBoolean();

    public TargetService(DataSource ds, Faults faults, IngestLimits limits, Clock clock, TargetLog log, TargetMetrics metrics, Scheduler scheduler) {
        this(LiveFaults.of(faults, clock), null, ds, limits, clock, log, metrics, scheduler);
    }

    /** {@code gate}: the way to the database ({@code ds} is used when null, with no_reconnect as {@code live} says). */
    TargetService(LiveFaults live, DbGate gate, DataSource ds, IngestLimits limits, Clock clock, TargetLog log, TargetMetrics metrics,
                  Scheduler scheduler) {
        this.ds = gate != null ? gate : new DbGate(ds, () -> live.faults().noReconnect(), log);
        this.live = live;
        this.limits = limits;
        this.rateLimit = new TokenBucket(live.faults().rateLimitPerSecond(), clock);
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    /** Nanoseconds since fault {@code name} was switched on (0 when it is off). */
    private long onFor(LiveFaults.Snapshot s, String name) {
        return s.since(name).map(t -> clock.nanoTime() - t).orElse(0L);
    }

    private boolean down() {
        LiveFaults.Snapshot s = live.now();
        Faults faults = s.faults();
        boolean down = faults.downAfter().isPresent() && onFor(s, "down_after") >= faults.downAfter().get().toNanos();
        if (down && saidDown.compareAndSet(false, true))
            log.error("target", "service unavailable from now on: health, POST /event and evaluate answer 503 (fault down_after)");
        if (!down && saidDown.get()) saidDown.set(false); // switched off: said again when it is next on
        return down;
    }

    /** The rate_limit bucket for the rate that is on now (a new one, full, when the rate changed). */
    private TokenBucket bucket(double rate) {
        TokenBucket b = rateLimit;
        if (b.rate() == rate) return b;
        synchronized (this) {
            if (rateLimit.rate() != rate) rateLimit = new TokenBucket(rate, clock);
            return rateLimit;
        }
    }

    /**
     * How long a request on {@code path} waits before it is handled: fault latency on POST /event and /ingest, plus
     * slow_latency on every request once slow_after has passed.
     */
    public long delayMillis(String path) {
        LiveFaults.Snapshot s = live.now();
        Faults faults = s.faults();
        long ms = 0;
        if (faults.latency().isPresent() && (path.equals("/event") || path.equals("/ingest"))) ms += faults.latency().get().toMillis();
        if (faults.slowAfter().isPresent() && onFor(s, "slow_after") >= faults.slowAfter().get().toNanos()) ms += faults.slowLatency().toMillis();
        return ms;
    }

    /** Plays the fault switches on a request (down_after, error_rate, rate_limit); the status answered, or 0 when none did. */
    private int faulted(Exchange exchange, String component) {
        if (down()) {
            reply(exchange, 503, Map.of("error", "service unavailable (fault down_after)"));
            return 503;
        }
        LiveFaults.Snapshot s = live.now();
        Faults faults = s.faults();
        double errorShare = faults.errorShareAt(onFor(s, "error_ramp")); // the ramp counts from its switch
        if (errorShare > 0 && ThreadLocalRandom.current().nextDouble() < errorShare) {
            String which = faults.errorRampPerSecond() > 0 ? "error_ramp" : "error_rate";
            log.error(component, "request failed: injected failure (fault " + which + ")");
            reply(exchange, 500, Map.of("error", "injected failure (fault " + which + ")"));
            return 500;
        }
        if (!bucket(faults.rateLimitPerSecond()).tryTake()) {
            reply(exchange, 429, Map.of("error", "rate_limited"));
            return 429;
        }
        return 0;
    }

    /** POST /event. */
    public void ingest(Exchange exchange) {
        Message in = exchange.getIn();
        Faults faults = live.faults();
        int status = faulted(exchange, "event");
        if (status != 0) {
            metrics.event(status >= 500 ? Outcome.FAILED : Outcome.REJECTED);
            return;
        }
        byte[] body = in.getBody(byte[].class);
        JsonNode event;
        String problem;
        try {
            event = body == null || body.length == 0 ? null : JSON.readTree(body);
            problem = problem(event);
        } catch (JsonProcessingException e) {
            problem = "body is not JSON: " + e.getOriginalMessage();
            event = null;
        } catch (java.io.IOException e) {
            problem = "cannot read body";
            event = null;
        }
        Lenient.Event e;
        if (problem == null) {
            e = new Lenient.Event(UUID.fromString(event.get("id").asText()), OffsetDateTime.parse(event.get("timestamp").asText()),
                    event.get("category").asText(), event.get("payload").toString());
        } else if (faults.lenient()) {
            e = Lenient.read(body, event, clock.now()); // fault lenient: stored as best it can, see Lenient
            log.info("event", "accepted an invalid event " + e.id() + " (fault lenient): " + problem);
        } else {
            log.warn("event", "rejected event: " + problem);
            metrics.event(Outcome.REJECTED);
            reply(exchange, 400, Map.of("error", problem));
            return;
        }
        UUID id = e.id();
        if (faults.loseShare() > 0 && Faults.lost(id, faults.loseShare())) {
            // fault lose: acknowledged as stored, never written
            metrics.event(Outcome.LOST);
            reply(exchange, 201, Map.of("id", id.toString(), "stored", true));
            return;
        }
        OffsetDateTime ts = e.timestamp();
        // fault non_utc: the UTC wall time read as local time H hours ahead of UTC, as a column or parse that is not UTC-aware does
        if (faults.nonUtcHours().isPresent()) ts = ts.minusHours(faults.nonUtcHours().getAsInt());
        try (Connection c = ds.getConnection()) {
            int n = store(c, INSERT, id, ts, e, in);
            // fault dup_events: a new event is stored a second time, in events_dup (a child table of events, so that
            // a select from events sees both rows)
            if (n == 1 && faults.dupEvents()) store(c, INSERT_DUP, id, ts, e, in);
            metrics.event(n == 1 ? Outcome.STORED : Outcome.DUPLICATE);
            reply(exchange, n == 1 ? 201 : 200, Map.of("id", id.toString(), "stored", n == 1));
        } catch (SQLException x) {
            ds.failed(x);
            log.error("event", "cannot store event " + id + ": " + Scheduler.firstLine(x));
            metrics.event(Outcome.FAILED);
            if (ds.lost()) reply(exchange, 500, Map.of("error", DbGate.LOST));
            else reply(exchange, 503, Map.of("error", "database unavailable"));
        }
    }

    private static int store(Connection c, String sql, UUID id, OffsetDateTime ts, Lenient.Event e, Message in) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setObject(2, ts);
            ps.setString(3, e.category());
            ps.setString(4, e.payload());
            ps.setString(5, in.getHeader("X-Scenario-Id", String.class));
            ps.setString(6, in.getHeader("X-Emitter", String.class));
            return ps.executeUpdate();
        }
    }

    /** POST /deviations/evaluate: every rule now (seed 003's mode B); 200 with {@link Scheduler.Result#json()}. */
    public void evaluate(Exchange exchange) {
        if (down()) {
            reply(exchange, 503, Map.of("error", "service unavailable (fault down_after)"));
            return;
        }
        try {
            Scheduler.Result r = scheduler.evaluateAll();
            log.info("evaluate", "evaluate: " + r.describe());
            reply(exchange, 200, r.json());
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException x) ds.failed(x);
            log.error("evaluate", "evaluate failed: " + Scheduler.firstLine(e));
            reply(exchange, 503, Map.of("error", "evaluation failed: " + Scheduler.firstLine(e)));
        }
    }

    /** The limits of POST /ingest: beyond them it answers 413, as seed 000's gateway does. */
    public record IngestLimits(int maxBytes, int maxItems) {
        public static final IngestLimits DEFAULT = new IngestLimits(1 << 20, 1000);
    }

    private static final String INSERT_BATCH = "insert into ingest_batches (scenario_id, emitter, format, records, parse_errors, missing_ts, missing_level) "
            + "values (?, ?, ?, ?, ?, ?, ?)";

    /** POST /ingest: log records in JSON, NDJSON, CSV or syslog; counts them and their faults, 202 with the counts. */
    public void ingestLogs(Exchange exchange) {
        Message in = exchange.getIn();
        if (faulted(exchange, "ingest") != 0) return;
        byte[] body = in.getBody(byte[].class);
        if (body != null && body.length > limits.maxBytes()) {
            log.warn("ingest", "refused a batch of " + body.length + " bytes: too_large (limit " + limits.maxBytes() + ")");
            reply(exchange, 413, Map.of("error", "too_large", "limit_bytes", limits.maxBytes()));
            return;
        }
        Ingest.Counts c;
        try {
            c = Ingest.read(in.getHeader(Exchange.CONTENT_TYPE, String.class), body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    limits.maxItems());
        } catch (Ingest.Refused e) {
            log.warn("ingest", "refused a batch: " + e.getMessage());
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
            ds.failed(e);
            log.error("ingest", "cannot store a batch: " + Scheduler.firstLine(e));
            reply(exchange, 503, Map.of("error", "database unavailable"));
            return;
        }
        if (c.parseErrors() > 0)
            log.warn("ingest", "batch of " + c.records() + " " + c.format() + " record(s) with " + c.parseErrors() + " parse error(s)");
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
            if (!c.isValid(2)) throw new SQLException("the connection is not valid", "08006");
            reply(exchange, 200, Map.of("status", "ok"));
        } catch (SQLException e) {
            ds.failed(e);
            log.error("health", "health check failed: database unavailable: " + Scheduler.firstLine(e));
            reply(exchange, 503, Map.of("status", "down", "reason", ds.lost() ? DbGate.LOST : "database unavailable"));
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
