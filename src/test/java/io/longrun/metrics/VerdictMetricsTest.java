package io.longrun.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.deliver.Outcomes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict's metrics, after seed 001's names, as a scrape sees them. */
class VerdictMetricsTest {
    @Test
    void eachVerdictIsCountedAndTheRecoveryTimeHeld() {
        RunMetrics m = new RunMetrics("exp", "exp-1", new Outcomes(List.of("motion")));
        m.verdict("exp", "recovered", 4.9);
        String text = m.registry().scrape();
        assertThat(text).contains("longrun_experiments_total{scenario=\"exp\",verdict=\"recovered\"} 1.0")
                .contains("longrun_recovery_seconds{scenario=\"exp\"} 4.9");
        m.verdict("exp", "not_recovered", null);
        text = m.registry().scrape();
        assertThat(text).contains("longrun_experiments_total{scenario=\"exp\",verdict=\"not_recovered\"} 1.0")
                .contains("longrun_recovery_seconds{scenario=\"exp\"} NaN");
    }
}
