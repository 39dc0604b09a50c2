package io.longrun.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.Scenario.Severity;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CriteriaTest {
    static final long S = 1_000_000_000L;
    final List<Alert> alerts = new ArrayList<>();
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    Criteria criteria(Scenario.StopRule... rules) {
        return new Criteria(List.of(rules), 0, alerts::add);
    }

    static Scenario.StopRule rule(Scenario.Condition c) {
        return new Scenario.StopRule(c.kind(), Severity.ABORT, Duration.ZERO, c);
    }

    HealthSample health(long sec, boolean ok) {
        return new HealthSample(sec * S, t0.plusSeconds(sec), ok, Optional.of(ok ? 200 : 503), 2, Optional.empty());
    }

    TickSample tick(long sec, long ok, long errors) {
        Outcomes.Stats s = new Outcomes.Stats("a", ok + errors, ok + errors, ok, 0, errors, 0, Map.of(), Map.of(), Latency.NONE, Latency.NONE);
        return new TickSample(sec * S, 1, List.of(s));
    }

    DbSample db(double sec, long rows) {
        return new DbSample((long) (sec * S), t0, Map.of("deviations", new DbSample.Table(rows, 8192)), 0, Optional.empty());
    }

    @Test
    void healthFailuresFiresOnTheNthConsecutiveFailureOnly() {
        Criteria c = criteria(rule(new Scenario.HealthFailures(3)));
        c.onHealth(health(1, false));
        c.onHealth(health(2, false));
        c.onHealth(health(3, true)); // a blip shorter than the window resets it
        c.onHealth(health(4, false));
        c.onHealth(health(5, false));
        assertThat(alerts).isEmpty();
        c.onHealth(health(6, false));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo("firing");
            assertThat(a.criterion()).isEqualTo("health_failures");
            assertThat(a.observed()).isEqualTo(3);
            assertThat(a.threshold()).isEqualTo(3);
            assertThat(a.text()).contains("503");
        });
        c.onHealth(health(7, false));
        assertThat(alerts).hasSize(1); // firing is reported once
        c.onHealth(health(8, true));
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).state()).isEqualTo("resolved");
    }

    @Test
    void errorRateMustHoldThroughoutItsWindow() {
        Criteria c = criteria(rule(new Scenario.ErrorRate(5, Duration.ofSeconds(3))));
        c.onTick(tick(1, 90, 10), t0);  // 10 % from t=1
        c.onTick(tick(2, 90, 10), t0);
        c.onTick(tick(3, 99, 1), t0);   // 1 %: the window starts again
        c.onTick(tick(4, 90, 10), t0);
        c.onTick(tick(5, 90, 10), t0);
        c.onTick(tick(6, 90, 10), t0);
        assertThat(alerts).isEmpty();   // held for 2 s of 3
        c.onTick(tick(7, 90, 10), t0);  // held 3 s
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.observed()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(a.text()).contains("error rate 10.0%").contains("threshold: above 5% for 3s");
        });
    }

    @Test
    void aTickWithNothingCompletedNeitherFiresNorResetsTheErrorRateWindow() {
        Criteria c = criteria(rule(new Scenario.ErrorRate(5, Duration.ofSeconds(2))));
        c.onTick(tick(1, 0, 10), t0);
        c.onTick(tick(2, 0, 0), t0);    // a hung target: nothing completed
        assertThat(alerts).isEmpty();
        c.onTick(tick(3, 0, 10), t0);
        assertThat(alerts).hasSize(1);
    }

    @Test
    void tableGrowthReadsRowsPerMinuteBetweenSamples() {
        Criteria c = criteria(rule(new Scenario.TableGrowth("deviations", 100, Duration.ofSeconds(10))));
        c.onDb(db(0, 0));
        c.onDb(db(5, 5));      // 60 rows/min: fine
        c.onDb(db(10, 505));   // 6000 rows/min from t=10
        c.onDb(db(15, 1005));
        assertThat(alerts).isEmpty();
        c.onDb(db(20, 1505));  // held 10 s
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.observed()).isCloseTo(6000, org.assertj.core.data.Offset.offset(0.001));
            assertThat(a.text()).contains("table deviations grew 6000.0 rows/min (now 1505 rows)");
        });
        c.onDb(db(20.2, 1505)); // a sample right after the last one says nothing: no flapping
        assertThat(alerts).hasSize(1);
    }

    /** That a warn does not stop the run is the monitor's part: RunMonitorTest.aWarnDoesNotAbortTheRunAndAnAbortDoes. */
    @Test
    void nothingFiresDuringTheGracePeriodAndAWarnFiresWithItsSeverity() {
        Scenario.StopRule warn = new Scenario.StopRule("early-health", Severity.WARN, Duration.ofSeconds(10), new Scenario.HealthFailures(1));
        Criteria c = criteria(warn);
        c.onHealth(health(5, false));
        assertThat(alerts).isEmpty();
        c.onHealth(health(11, false));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.WARN);
            assertThat(a.criterion()).isEqualTo("early-health");
            assertThat(a.line()).startsWith("ALERT [warn] early-health firing:");
        });
    }

    @Test
    void statesReportEachRule() {
        Criteria c = criteria(rule(new Scenario.HealthFailures(2)), rule(new Scenario.ErrorRate(5, Duration.ZERO)));
        c.onHealth(health(1, false));
        assertThat(c.states()).extracting(Criteria.State::name, Criteria.State::firing)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("health_failures", false), org.assertj.core.groups.Tuple.tuple("error_rate", false));
        assertThat(c.states().get(1).text()).isEqualTo("no sample yet");
    }
}
