package io.longrun.scenario;

import static io.longrun.scenario.ScenarioReaderTest.problems;
import static io.longrun.scenario.ScenarioReaderTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The runbook keys of issue 4, exactly as the issue writes them, and their mistakes. */
class RunbookScenarioTest {
    static final String RUNBOOK = """
            duration: 6h
            target: { url: "http://127.0.0.1:8000/event", health_url: "http://127.0.0.1:8000/health" }
            database: { url: "jdbc:postgresql://127.0.0.1:5432/app" }
            emitters: [ { name: motion, rate: 20 } ]
            watch: { health_every: 2s, db_every: 10s, logs: [/var/log/backend/app.log] }
            stop_when:
              - health_failures: { consecutive: 3 }
              - health_failures: { share_pct: 50, for: 1m }
                name: health_share
              - error_rate: { above_pct: 5, for: 2m }
              - error_rate_rising: { for: 10m }
              - log_errors: { above_per_min: 10, for: 3m }
              - repeated_exception: { times: 5, within: 1m }
              - slow_backend: { p95_above: 500ms, for: 5m }
              - table_growth: { table: deviations, above_per_min: 100, for: 1m }
              - unexpected_growth: { table: events, per_accepted_event: 1, tolerance_pct: 2, for: 2m }
              - duplicate_rows: { sql: "select count(*) - count(distinct (rule, subject)) from deviations", above: 0 }
              - cadence: { log_regex: "scheduler tick", max_per_min: 2 }
              - db_size_growth: { above_mb_per_hour: 500 }
              - utc_skew: { table: events, id_column: id, ts_column: timestamp, above: 1m }
              - lost_events: { table: events, id_column: id, above_pct: 0 }
              - schedule_not_met: { dropped_pct_above: 1, for: 30s }
              - db_load: { connections_above: 90, severity: warn }
            evaluate: { url: "http://127.0.0.1:8000/deviations/evaluate", every: 30s }
            alerts: { webhook: "http://127.0.0.1:9093/api/v2/alerts", format: alertmanager }
            lag_allowance: 10s
            assert:
              - count: { sql: "select count(*) from events where scenario_id = :scenario_id", equals: accepted }
              - count: { outcome: rejected, at_most: 0 }
              - sequence: { table: events, entity_column: emitter, ts_column: timestamp, order_column: received_at }
              - no_rows: { sql: "select 1 from deviations where subject is null" }
              - sql: "select count(*) < 10 from deviations"
              - threshold: "p95 < 200ms"
                name: fast_enough
              - threshold: "error_rate < 1%"
            """;

    @Test
    void readsEveryCriterionOfTheIssue() throws ScenarioException {
        Scenario s = read(RUNBOOK, Overrides.NONE);
        assertThat(s.stopWhen()).extracting(r -> r.condition().kind()).containsExactly("health_failures", "health_failures",
                "error_rate", "error_rate_rising", "log_errors", "repeated_exception", "slow_backend", "table_growth", "unexpected_growth",
                "duplicate_rows", "cadence", "db_size_growth", "utc_skew", "lost_events", "schedule_not_met", "db_load");
        assertThat(s.stopWhen().get(1).condition()).isEqualTo(new Scenario.HealthFailures(0, 50, Duration.ofMinutes(1)));
        assertThat(s.stopWhen().get(5).condition()).isEqualTo(new Conditions.RepeatedException(5, Duration.ofMinutes(1)));
        assertThat(s.stopWhen().get(8).condition()).isEqualTo(new Conditions.UnexpectedGrowth("events", 1, 2, Duration.ofMinutes(2)));
        assertThat(s.stopWhen().get(12).condition()).isEqualTo(new Conditions.UtcSkew("events", "id", "timestamp", Duration.ofMinutes(1),
                "id", "timestamp", Duration.ofSeconds(5)));
        assertThat(s.stopWhen().get(15).severity()).isEqualTo(Scenario.Severity.WARN);
        assertThat(s.watch().logs()).containsExactly("/var/log/backend/app.log");
        assertThat(s.runbook().evaluate()).contains(new Scenario.Evaluate("http://127.0.0.1:8000/deviations/evaluate", Duration.ofSeconds(30)));
        assertThat(s.runbook().alerts()).isEqualTo(new Scenario.Alerts(Optional.of("http://127.0.0.1:9093/api/v2/alerts"), "alertmanager"));
        assertThat(s.runbook().lagAllowance()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.runbook().asserts()).extracting(Assertions.Assertion::kind)
                .containsExactly("count", "count", "sequence", "no_rows", "sql", "threshold", "threshold");
        assertThat(s.runbook().asserts().get(5)).isEqualTo(new Assertions.Threshold("fast_enough", "p95", "<", 200, "p95 < 200ms"));
        // tables named by growth criteria are watched
        assertThat(s.database().orElseThrow().tables()).containsExactly("deviations", "events");
        // seed 003's spelling of repeated_exception works too
        Scenario alt = read(RUNBOOK.replace("repeated_exception: { times: 5", "repeated_exception: { same_first_line: 5"), Overrides.NONE);
        assertThat(alt.stopWhen().get(5).condition()).isEqualTo(new Conditions.RepeatedException(5, Duration.ofMinutes(1)));
    }

    @Test
    void criteriaThatNeedLogsOrADatabaseSaySo() {
        ScenarioException e = problems("""
                duration: 1m
                target: { url: "http://127.0.0.1:8000/event" }
                emitters: [ { name: a, rate: 1 } ]
                stop_when:
                  - log_errors: { above_per_min: 10 }
                  - lost_events: { table: events }
                  - slow_backend: { p95_above: 1s, source: health }
                assert:
                  - no_rows: { sql: "select 1" }
                """);
        assertThat(e.problems()).containsExactly(
                "s.yaml:5: stop_when[0].log_errors: needs watch.logs: the target's log file(s) to tail",
                "s.yaml:6: stop_when[1].lost_events: needs database.url (or --db-url) to watch table events",
                "s.yaml:7: stop_when[2].slow_backend: source: health needs target.health_url (or --health-url)",
                "s.yaml:9: assert[0].no_rows: needs database.url (or --db-url)");
    }

    @Test
    void mistakesAreNamedWithTheirLineAndKey() {
        ScenarioException e = problems("""
                duration: 1m
                target: { url: "http://127.0.0.1:8000/event" }
                database: { url: "jdbc:postgresql://127.0.0.1:5432/app" }
                emitters: [ { name: a, rate: 1 } ]
                watch: { logs: [app.log], levels: { ERROR: "(unclosed" } }
                stop_when:
                  - error_rate_rising: {}
                  - cadence: { max_per_min: 2 }
                  - utc_skew: { table: "events; drop", above: 1m }
                  - repeated_exeption: { times: 5 }
                  - health_failures: { share_pct: 50 }
                alerts: { webhook: "ftp://x", format: slack }
                evaluate: { every: 30s }
                assert:
                  - threshold: "p96 < 200ms"
                  - threshold: "error_rate < 200ms"
                  - count: { sql: "select 1" }
                  - sequence: { table: events }
                  - expect: 3
                """);
        assertThat(e.problems()).contains(
                "s.yaml:5: watch.levels.ERROR: not a regular expression: Unclosed group",
                "s.yaml:7: stop_when[0].error_rate_rising.for: missing: the window the error rate must keep rising over, e.g. for: 10m",
                "s.yaml:8: stop_when[1].cadence.log_regex: give log_regex (lines in the watched logs) or table (rows), one of them",
                "s.yaml:9: stop_when[2].utc_skew.table: not a table name: \"events; drop\"",
                "s.yaml:10: stop_when[3]: unknown criterion \"repeated_exeption\" (did you mean 'repeated_exception'?); each item names exactly one criterion: "
                        + String.join(", ", StopRuleReader.KINDS),
                "s.yaml:11: stop_when[4].health_failures.for: missing: share_pct needs the window it is counted over, e.g. for: 1m",
                "s.yaml:12: alerts.webhook: must be an http:// or https:// URL, got \"ftp://x\"",
                "s.yaml:12: alerts.format: must be alertmanager or json, got \"slack\"",
                "s.yaml:13: evaluate.url: missing",
                "s.yaml:15: assert[0].threshold: unknown figure \"p96\" (did you mean 'p95'?); known: " + String.join(", ", Assertions.Threshold.METRICS),
                "s.yaml:16: assert[1].threshold: error_rate is a percentage: write %",
                "s.yaml:17: assert[2].count.equals: missing: give equals, at_least, at_most or between",
                "s.yaml:18: assert[3].sequence.entity_column: missing",
                "s.yaml:19: assert[4]: unknown assertion \"expect\"; each item names exactly one assertion: count, sequence, no_rows, sql, threshold, ledger");
        assertThat(List.of(e.getMessage())).noneMatch(m -> m.contains("Exception"));
    }
}
