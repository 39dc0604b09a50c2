package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {
    static Scenario read(String yaml, Overrides o) throws ScenarioException {
        return ScenarioReader.read("s.yaml", "s", new StringReader(yaml), o);
    }

    static ScenarioException problems(String yaml) {
        try {
            read(yaml, Overrides.NONE);
        } catch (ScenarioException e) {
            return e;
        }
        throw new AssertionError("expected problems");
    }

    static final String ISSUE_EXAMPLE = """
            name: demo
            duration: 60s
            seed: 42
            target: { url: "http://127.0.0.1:8000/event", health_url: "http://127.0.0.1:8000/health", timeout: 5s, max_in_flight: 64 }
            database: { url: "jdbc:postgresql://127.0.0.1:5432/agingos", user: agingos, password_env: PGPASSWORD, tables: [events, deviations] }
            emitters:
              - name: motion
                format: agingos-event
                rate: 20                      # events per second at the plateau
                schedule: { start_after: 0s, stop_after: 60s, ramp_up: 10s, ramp_down: 10s, jitter_pct: 0.1 }
            watch: { health_every: 2s, db_every: 5s }
            stop_when:
              - health_failures: { consecutive: 3 }
              - error_rate: { above_pct: 5, for: 30s }
              - table_growth: { table: deviations, above_per_min: 100, for: 1m }
            """;

    @Test
    void readsTheIssuesExample() throws Exception {
        Scenario s = read(ISSUE_EXAMPLE, Overrides.NONE);
        assertThat(s.name()).isEqualTo("demo");
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.seed()).contains(42L);
        assertThat(s.target().url()).isEqualTo("http://127.0.0.1:8000/event");
        assertThat(s.target().healthUrl()).contains("http://127.0.0.1:8000/health");
        assertThat(s.target().maxInFlight()).isEqualTo(64);
        assertThat(s.database().orElseThrow().tables()).containsExactly("events", "deviations");
        assertThat(s.database().orElseThrow().passwordEnv()).contains("PGPASSWORD");
        Scenario.Emitter e = s.emitters().get(0);
        assertThat(e.rate()).isEqualTo(20);
        assertThat(e.schedule().rampUp()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e.schedule().jitterPct()).isEqualTo(0.1);
        assertThat(s.watch().dbEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.stopWhen()).extracting(r -> r.condition().kind()).containsExactly("health_failures", "error_rate", "table_growth");
        assertThat(s.stopWhen().get(1).condition()).isEqualTo(new Scenario.ErrorRate(5, Duration.ofSeconds(30)));
        assertThat(s.stopWhen()).allMatch(r -> r.severity() == Scenario.Severity.ABORT);
    }

    @Test
    void optionalPartsHaveDefaults() throws Exception {
        Scenario s = read("""
                duration: 10m
                target: { url: "http://h/event" }
                emitters: [ { name: a, rate: 1 } ]
                """, Overrides.NONE);
        assertThat(s.name()).isEqualTo("s");
        assertThat(s.seed()).isEmpty();
        assertThat(s.tick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.database()).isEmpty();
        assertThat(s.stopWhen()).isEmpty();
        assertThat(s.target().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.watch().healthEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.emitters().get(0).format()).isEqualTo("agingos-event");
        assertThat(s.emitters().get(0).schedule()).isEqualTo(Scenario.Schedule.ALWAYS);
    }

    @Test
    void listsEveryProblemWithFileLineAndKeyPath() {
        ScenarioException e = problems("""
                name: "bad name!"
                duration: 60
                tick: soon
                target: { url: "localhost:8000", timeout: -1s }
                emitters:
                  - name: a
                    rate: -3
                    format: xml
                    schedule: { jitter_pct: 2, start_after: 90s, stop_after: 10s }
                  - name: a
                    rate: 1
                    colour: red
                watch: { health_every: 0s }
                stop_when:
                  - health_failures: { consecutive: 0 }
                  - table_growth: { above_per_min: 10 }
                  - error_rate: { above_pct: 5, for: 1m }
                    severity: maybe
                surprise: true
                """);
        assertThat(e.problems()).containsExactly(
                "s.yaml:1: name: use letters, digits, '.', '_' or '-' (it names the run folder), got \"bad name!\"",
                "s.yaml:2: duration: needs a unit, e.g. 60s (units: ms, s, m, h)",
                "s.yaml:3: tick: not a duration: \"soon\" (write e.g. 250ms, 90s, 15m, 6h)",
                "s.yaml:4: target.timeout: not a duration: \"-1s\" (write e.g. 250ms, 90s, 15m, 6h)",
                "s.yaml:4: target.url: must be an http:// or https:// URL, got \"localhost:8000\"",
                "s.yaml:7: emitters[0].rate: must be between 0 and 10000000, got -3",
                "s.yaml:8: emitters[0].format: unknown format \"xml\"; known: agingos-event, json, json-batch, ndjson, minimal, csv, syslog, noise, template",
                "s.yaml:9: emitters[0].schedule.jitter_pct: must be between 0 and 1, got 2",
                "s.yaml:9: emitters[0].schedule.stop_after: must be after start_after (1m30s)",
                "s.yaml:10: emitters[1].name: duplicate emitter name \"a\"",
                "s.yaml:12: emitters[1].colour: unknown key; known keys here: name, format, batch_size, partial_ratio, chaos, levels, header, rfc, "
                        + "service, template, template_file, profiles, rate, stages, start_rate, interval, interval_jitter, arrivals, schedule, url, headers",
                "s.yaml:13: watch.health_every: must be greater than 0",
                "s.yaml:15: stop_when[0].health_failures.consecutive: must be between 1 and 1000000, got 0",
                "s.yaml:15: stop_when[0].health_failures: needs target.health_url (or --health-url)",
                "s.yaml:16: stop_when[1].table_growth.table: missing",
                "s.yaml:16: stop_when[1].table_growth: needs database.url (or --db-url)",
                "s.yaml:18: stop_when[2].severity: must be warn or abort, got \"maybe\"",
                "s.yaml:19: surprise: unknown key; known keys here: name, duration, proxies, phases, experiment, recovery, seed, tick, "
                        + "target, database, emitters, watch, stop_when, evaluate, alerts, lag_allowance, assert, fault_engine");
    }

    @Test
    void aTypoGetsASuggestion() {
        ScenarioException e = problems("""
                duration: 1m
                target: { url: "http://h/e", max_inflight: 3 }
                emitters: [ { name: a, rate: 1, shedule: {} } ]
                """);
        assertThat(e.problems()).anyMatch(p -> p.startsWith("s.yaml:2: target.max_inflight: unknown key (did you mean 'max_in_flight'?)"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("s.yaml:3: emitters[0].shedule: unknown key (did you mean 'schedule'?)"));
    }

    @Test
    void yamlSyntaxErrorsAndDuplicateKeysNameTheLine() {
        assertThat(problems("duration: 1m\ntarget: { url: \"http://h\"\nemitters: []\n").problems())
                .containsExactly("s.yaml:3: not valid YAML: expected ',' or '}', but got <scalar> (while parsing a flow mapping that starts at line 2)");
        assertThat(problems("duration: 1m\nduration: 2m\ntarget: { url: \"http://h/e\" }\nemitters: [ { name: a, rate: 1 } ]\n").problems())
                .containsExactly("s.yaml:2: duration: duplicate key");
    }

    @Test
    void criteriaThatNeedAMissingPartSaySo() {
        ScenarioException e = problems("""
                duration: 1m
                target: { url: "http://h/e" }
                emitters: [ { name: a, rate: 1 } ]
                stop_when:
                  - health_failures: { consecutive: 3 }
                  - table_growth: { table: deviations, above_per_min: 1 }
                """);
        assertThat(e.problems()).containsExactly(
                "s.yaml:5: stop_when[0].health_failures: needs target.health_url (or --health-url)",
                "s.yaml:6: stop_when[1].table_growth: needs database.url (or --db-url) to watch table deviations");
    }

    @Test
    void flagsOverrideTheFileAndTheEnvironmentFillsGaps() throws Exception {
        String yaml = """
                duration: 1m
                database: { tables: [events] }
                emitters: [ { name: a, rate: 30 }, { name: b, rate: 10 } ]
                stop_when: [ { table_growth: { table: deviations, above_per_min: 5 } } ]
                """;
        Map<String, String> env = Map.of("LONGRUN_TARGET_URL", "http://env/event", "LONGRUN_DB_URL", "jdbc:postgresql://env/db", "PGUSER", "envuser");
        Overrides fromEnv = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), env);
        Scenario s = read(yaml, fromEnv);
        assertThat(s.target().url()).isEqualTo("http://env/event");
        assertThat(s.database().orElseThrow().url()).isEqualTo("jdbc:postgresql://env/db");
        assertThat(s.database().orElseThrow().user()).contains("envuser");
        // a criterion's table is watched even if database.tables leaves it out
        assertThat(s.database().orElseThrow().tables()).containsExactly("events", "deviations");

        Overrides flags = new Overrides(Optional.of("http://flag/event"), Optional.of("http://flag/health"), Optional.of("jdbc:postgresql://flag/db"),
                Optional.of("flaguser"), Optional.of("MY_PW"), Optional.of(Duration.ofMinutes(5)), Optional.of(200.0), Optional.of(9L), env);
        Scenario f = read(yaml, flags);
        assertThat(f.target().url()).isEqualTo("http://flag/event");
        assertThat(f.target().healthUrl()).contains("http://flag/health");
        assertThat(f.database().orElseThrow().url()).isEqualTo("jdbc:postgresql://flag/db");
        assertThat(f.database().orElseThrow().user()).contains("flaguser");
        assertThat(f.database().orElseThrow().passwordEnv()).contains("MY_PW");
        assertThat(f.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(f.seed()).contains(9L);
        // --rate sets the total plateau; emitters keep their 3:1 shares
        assertThat(f.emitters()).extracting(Scenario.Emitter::rate).containsExactly(150.0, 50.0);
    }

    @Test
    void poolsExpandIntoNamedEmittersBesideRateAndStageEmitters() throws Exception {
        Scenario s = read("""
                duration: 10m
                target: { url: "http://h/ingest" }
                emitters:
                  - pool: { count: 3, interval: 1s, interval_jitter: 0.5s, prefix: web-app }
                    format: json
                    levels: { INFO: 1, ERROR: 1 }
                  - name: ramp
                    stages: [ { duration: 1m, rate: 100 }, { duration: 2m, rate: 100 }, { duration: 1m, rate: 0 } ]
                    arrivals: poisson
                  - name: steady
                    format: csv
                    rate: 4
                    header: true
                    url: "http://other/ingest"
                    headers: { X-Tenant: acme }
                """, Overrides.NONE);
        assertThat(s.emitters()).extracting(Scenario.Emitter::name).containsExactly("web-app-1", "web-app-2", "web-app-3", "ramp", "steady");
        Scenario.Emitter pooled = s.emitters().get(0);
        assertThat(pooled.interval()).contains(new Scenario.Interval(Duration.ofSeconds(1), Duration.ofMillis(500)));
        assertThat(pooled.options().levels()).containsOnlyKeys("INFO", "ERROR");
        assertThat(s.emitters().get(3).stages()).hasSize(3);
        assertThat(s.emitters().get(3).arrivals()).isEqualTo(io.longrun.pace.Arrivals.POISSON);
        assertThat(s.emitters().get(4).url()).contains("http://other/ingest");
        assertThat(s.emitters().get(4).headers()).containsEntry("X-Tenant", "acme");
        assertThat(s.emitters().get(4).options().header()).isTrue();
    }

    @Test
    void trafficAndFormatOptionsThatDoNotFitAreNamed() {
        ScenarioException e = problems("""
                duration: 1m
                target: { url: "http://h/e" }
                emitters:
                  - { name: a, rate: 5, stages: [ { duration: 1m, rate: 2 } ] }
                  - { name: b, format: json, rate: 1, chaos: 0.5 }
                  - { name: c, interval: 1s, interval_jitter: 2s }
                  - { name: d, format: template, rate: 1, template: { x: "{{nope}}" } }
                  - { name: e, format: syslog, rate: 1, rfc: 1234 }
                  - pool: { count: 2, interval: 1s }
                    rate: 3
                  - { name: f, rate: 1, arrivals: bursty }
                  - { name: g, format: template, rate: 1 }
                """);
        assertThat(e.problems()).containsExactly(
                "s.yaml:4: emitters[0]: give one of rate, stages and interval, not several",
                "s.yaml:5: emitters[1].chaos: does not apply to format json; it takes levels, partial_ratio, service",
                "s.yaml:6: emitters[2].interval_jitter: must be less than the interval (1s)",
                "s.yaml:7: emitters[3].template: template.x: {{nope}}: unknown placeholder; known: uuid, now, seq, int(a,b), float(a,b), "
                        + "choice(x:w,...), pick(x,...), emitter, scenario_id, faker(Expr), profile(name)",
                "s.yaml:8: emitters[4].rfc: must be 5424 or 3164, got 1234",
                "s.yaml:10: emitters[5].rate: does not go with pool: members are named prefix-1 ... prefix-N and paced by the pool's interval",
                "s.yaml:11: emitters[6].arrivals: must be uniform or poisson, got \"bursty\"",
                "s.yaml:12: emitters[7].template: missing: the template format needs template or template_file");
    }

    @Test
    void aMissingTargetOrDurationNamesTheFlagThatCanGiveIt() {
        ScenarioException e = problems("emitters: [ { name: a, rate: 1 } ]\n");
        assertThat(e.problems()).containsExactly(
                "s.yaml:1: target.url: missing: set target.url, --target-url or LONGRUN_TARGET_URL",
                "s.yaml:1: duration: missing: set it in the file or with --duration");
    }

    @Test
    void aWatchedTableSaysHowItsRowsAreCounted() throws Exception {
        Scenario s = read("""
                duration: 10s
                target: { url: "http://127.0.0.1:8000/event" }
                database:
                  url: "jdbc:postgresql://127.0.0.1/x"
                  tables: [ deviations, { name: events, count: keyset, key: received_at }, { name: audit, count: exact }, { name: s.t } ]
                emitters: [ { name: a, rate: 1 } ]
                stop_when:
                  - table_growth: { table: sessions, above_per_min: 5 }
                """, Overrides.NONE);
        assertThat(s.database().orElseThrow().watched()).containsExactly(
                WatchedTable.stats("deviations"),
                new WatchedTable("events", WatchedTable.Counting.KEYSET, Optional.of("received_at")),
                new WatchedTable("audit", WatchedTable.Counting.EXACT, Optional.empty()),
                WatchedTable.stats("s.t"),
                WatchedTable.stats("sessions")); // named by a criterion: watched, from the statistics
        assertThat(s.database().orElseThrow().watched().get(1).describe()).isEqualTo("events (keyset on received_at)");
    }

    @Test
    void everyProblemOfTheWatchedTablesIsListedWithItsLine() {
        ScenarioException e = problems("""
                duration: 10s
                target: { url: "http://127.0.0.1:8000/event" }
                database:
                  url: "jdbc:postgresql://127.0.0.1/x"
                  tables:
                    - { name: events, count: keyset }
                    - { name: deviations, count: fast }
                    - { name: audit, key: id }
                    - { count: exact }
                    - 42
                    - { name: "bad name", count: keyset, key: "a b" }
                    - deviations
                    - { name: x, cont: exact }
                emitters: [ { name: a, rate: 1 } ]
                """);
        assertThat(e.problems()).containsExactly(
                "s.yaml:6: database.tables[0]: count: keyset needs key: an indexed column whose values only grow (e.g. received_at or id)",
                "s.yaml:7: database.tables[1].count: must be stats, exact or keyset, got \"fast\"",
                "s.yaml:8: database.tables[2].key: is read only with count: keyset (this table is counted by stats)",
                "s.yaml:9: database.tables[3].name: missing: the table's name",
                "s.yaml:10: database.tables[4]: must be a table name or { name: T, count: stats | exact | keyset, key: COLUMN }, got 42",
                "s.yaml:11: database.tables[5].name: not a table name: \"bad name\"",
                "s.yaml:11: database.tables[5].key: not a column name: \"a b\"",
                "s.yaml:12: database.tables[6]: deviations is listed twice",
                "s.yaml:13: database.tables[7].cont: unknown key (did you mean 'count'?); known keys here: name, count, key");
    }

    @Test
    void catchUpIsAPercentageTenByDefault() throws Exception {
        String base = "duration: 1m\nemitters: [ { name: a, rate: 1 } ]\ntarget: { url: \"http://h/e\"";
        assertThat(read(base + " }\n", Overrides.NONE).target().catchUp()).isEqualTo(0.10);
        assertThat(read(base + ", catch_up: 25% }\n", Overrides.NONE).target().catchUp()).isEqualTo(0.25);
        assertThat(read(base + ", catch_up: 0 }\n", Overrides.NONE).target().catchUp()).isZero();
        assertThat(problems(base + ", catch_up: fast }\n").problems())
                .anyMatch(p -> p.startsWith("s.yaml:3: target.catch_up: must be a percentage from 0% to 1000%, such as 10%; got 'fast'"));
        assertThat(problems(base + ", catch_up: -5% }\n").problems()).anyMatch(p -> p.contains("target.catch_up: must be a percentage"));
    }
}
