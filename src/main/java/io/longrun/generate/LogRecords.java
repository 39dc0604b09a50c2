package io.longrun.generate;

import io.longrun.random.SplitMix;
import io.longrun.scenario.Scenario.FormatOptions;
import java.util.List;
import java.util.Map;

/**
 * Realistic application log records, after seed 002's generator: a level drawn from the configured weights, a
 * message from templates that fit the level, and the fields a service would log. Shared by the json, ndjson,
 * csv, syslog and noise formats.
 */
final class LogRecords {
    static final List<String> SERVICES = List.of("checkout", "auth", "catalog", "payments", "search", "notifications");
    static final List<String> HOSTS = List.of("web-01", "web-02", "web-03", "worker-01", "worker-02");
    static final List<String> PATHS = List.of("/api/orders", "/api/users/me", "/api/cart", "/api/search", "/api/payments", "/health");
    static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "PUT", "DELETE");

    /** What a message can mention. */
    private record Vars(String method, String path, int duration, int status, int n, int attempt, int pct) {}

    private static final Map<String, List<java.util.function.Function<Vars, String>>> MESSAGES = Map.of(
            "DEBUG", List.of(
                    v -> "Cache lookup for key user:" + v.n,
                    v -> "Parsed request body in " + v.duration + " us",
                    v -> "Feature flag new-checkout=" + (v.n % 2 == 0 ? "on" : "off") + " for user " + v.n,
                    v -> "SQL: select * from orders where user_id = " + v.n),
            "INFO", List.of(
                    v -> v.method + " " + v.path + " " + v.status + " in " + v.duration + "ms",
                    v -> "User " + v.n + " logged in",
                    v -> "Order " + v.n + " created",
                    v -> "Job sync-inventory finished in " + v.duration + "ms",
                    v -> "Scheduler tick: evaluated " + (1 + v.n % 12) + " rules"),
            "WARN", List.of(
                    v -> "Slow query took " + v.duration + "ms",
                    v -> "Retrying payment gateway call (attempt " + v.attempt + "/3)",
                    v -> "Cache miss rate at " + v.pct + "%",
                    v -> "Request to " + v.path + " took " + v.duration + "ms, above the 500ms budget"),
            "ERROR", List.of(
                    v -> "Payment gateway returned 502 for order " + v.n,
                    v -> "Database connection reset after " + v.duration + "ms",
                    v -> "java.lang.IllegalStateException: order " + v.n + " already settled",
                    v -> "Failed to publish event to queue: timeout after " + v.duration + "ms"),
            "CRITICAL", List.of(
                    v -> "Database connection pool exhausted (20/20 in use)",
                    v -> "Disk usage at " + (90 + v.pct % 10) + "% on /var/lib/data",
                    v -> "Circuit breaker open for payments after " + v.attempt * 5 + " failures"));

    /** One record's fields; null for a field the record is missing. */
    record Record(String ts, String level, String msg, String service, String host, String requestId, Integer durationMs,
                  Integer statusCode, String method, String path) {}

    private final String[] levels;
    private final double[] cumulative;
    private final String service;

    LogRecords(FormatOptions o) {
        Map<String, Double> w = o.levels().isEmpty() ? FormatOptions.LEVELS : o.levels();
        levels = w.keySet().toArray(String[]::new);
        cumulative = new double[levels.length];
        double total = w.values().stream().mapToDouble(Double::doubleValue).sum(), acc = 0;
        for (int i = 0; i < levels.length; i++) {
            acc += w.get(levels[i]) / total;
            cumulative[i] = acc;
        }
        service = o.service();
    }

    String level(SplitMix.Stream r) {
        double u = r.nextDouble();
        for (int i = 0; i < levels.length; i++) if (u < cumulative[i]) return levels[i];
        return levels[levels.length - 1];
    }

    static <T> T pick(List<T> list, SplitMix.Stream r) {
        return list.get(r.nextInt(list.size()));
    }

    /**
     * A record. With probability {@code partialRatio} it misses fields: the timestamp, the level or the message,
     * one or two of them, as a poor logger would.
     */
    Record next(EventContext c, SplitMix.Stream r, double partialRatio) {
        String level = level(r);
        c.count(level);
        String method = pick(METHODS, r), path = pick(PATHS, r);
        int duration = level.equals("INFO") || level.equals("DEBUG") ? 2 + r.nextInt(120) : 200 + r.nextInt(4800);
        int status = switch (level) {
            case "ERROR", "CRITICAL" -> pick(List.of(500, 502, 503, 504), r);
            case "WARN" -> pick(List.of(200, 404, 409, 429), r);
            default -> pick(List.of(200, 200, 200, 201, 204, 304), r);
        };
        String msg = message(level, method, path, duration, status, r);
        String ts = AgingosEvent.utc(c.now());
        String id = Long.toHexString(r.nextLong() >>> 1);
        String svc = service.equals(FormatOptions.DEFAULT.service()) ? pick(SERVICES, r) : service;
        if (partialRatio > 0 && r.nextDouble() < partialRatio) {
            int drop = r.nextInt(4); // 0: ts, 1: level, 2: ts and level, 3: msg
            if (drop == 0 || drop == 2) ts = null;
            if (drop == 1 || drop == 2) level = null;
            if (drop == 3) msg = null;
        }
        return new Record(ts, level, msg, svc, pick(HOSTS, r), id, duration, status, method, path);
    }

    private static String message(String level, String method, String path, int duration, int status, SplitMix.Stream r) {
        var templates = MESSAGES.getOrDefault(level, MESSAGES.get("INFO"));
        Vars v = new Vars(method, path, duration, status, 1 + r.nextInt(99_999), 1 + r.nextInt(3), r.nextInt(100));
        return templates.get(r.nextInt(templates.size())).apply(v);
    }
}
