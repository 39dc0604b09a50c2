package io.longrun.scenario;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a phase waits for ({@code until:}) and does ({@code on_start:}, {@code on_end:}), seed 004's declarative steps.
 * Each says itself in words for the console, the dry run and the run log.
 */
public final class Step {
    private Step() {}

    /** A condition that ends a phase when it holds, checked on the phase runner's poll. */
    public sealed interface Until permits Sql, Health, Accepted, Log, Metric {
        String kind();

        String describe();
    }

    /** {@code sql: "select ..."}: holds when the first column of the first row is true or a non-zero number. */
    public record Sql(String query) implements Until {
        public String kind() {
            return "sql";
        }

        public String describe() {
            return "sql " + query;
        }
    }

    /** {@code health: up|down}, {@code checks: N}: the last N health checks all had this outcome. */
    public record Health(boolean up, int checks) implements Until {
        public String kind() {
            return "health";
        }

        public String describe() {
            return "health " + (up ? "up" : "down") + " for " + checks + " check" + (checks == 1 ? "" : "s") + " in a row";
        }
    }

    /** {@code accepted: N}: N events accepted since the phase began (all emitters). */
    public record Accepted(long count) implements Until {
        public String kind() {
            return "accepted";
        }

        public String describe() {
            return count + " events accepted in the phase";
        }
    }

    /** {@code log: REGEX}: a line of the watched logs, read since the phase began, matches. */
    public record Log(Pattern regex) implements Until {
        public String kind() {
            return "log";
        }

        public String describe() {
            return "a log line matching /" + regex.pattern() + "/";
        }
    }

    /** {@code metric: { name, above | below }}: one of longrun's own metrics (summed over its labels) crosses a value. */
    public record Metric(String name, double value, boolean above) implements Until {
        public String kind() {
            return "metric";
        }

        public String describe() {
            return name + (above ? " above " : " below ") + Num.text(value);
        }
    }

    /** An action a phase runs at its start or end. */
    public sealed interface Action permits Command, Http {
        String kind();

        Duration timeout();

        String describe();
    }

    /** {@code command: { run, timeout }}: {@code sh -c RUN}; fails on a non-zero exit or the timeout. */
    public record Command(String run, Duration timeout) implements Action {
        public String kind() {
            return "command";
        }

        public String describe() {
            return "command: " + run;
        }
    }

    /** {@code http: { method, url, body, headers, timeout }}: fails on a status outside 2xx, no answer or the timeout. */
    public record Http(String method, String url, Optional<String> body, Map<String, String> headers, Duration timeout) implements Action {
        public Http {
            headers = Map.copyOf(headers);
        }

        public String kind() {
            return "http";
        }

        public String describe() {
            return "http: " + method + " " + io.longrun.runlog.Secrets.maskUrl(url);
        }
    }
}
