package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.testing.Chromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A report's charts as headless Chromium drew them. */
final class ReportBrowserAssertions {
    private ReportBrowserAssertions() {}

    static void everyChartDrawn(Path html, Path work, List<String> ids) throws Exception {
        List<Map<String, String>> charts = Chromium.charts(Chromium.dumpDom(html, work));
        assertThat(charts).extracting(c -> c.get("id")).containsExactlyElementsOf(ids);
        for (Map<String, String> c : charts) {
            assertThat(c.get("data-drawn")).as("%s drawn", c.get("id")).isEqualTo("1");
            assertThat(Integer.parseInt(c.get("data-points"))).as("%s values drawn", c.get("id")).isPositive();
            assertThat(Integer.parseInt(c.get("data-ink"))).as("%s pixels in its series' colours", c.get("id")).isGreaterThan(50);
        }
    }
}
