package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.testing.Chromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report opened in headless Chromium: every chart drawn, with data, offline. */
class ReportBrowserTest {
    static final String KOLKATA = "Asia/Kolkata";

    @TempDir
    Path dir;

    /** Every chart the page has was drawn, with values and with its series' colours on the canvas. */
    static List<Map<String, String>> assertEveryChartDrawn(Path html, Path work, List<String> ids) throws Exception {
        return assertEveryChartDrawn(Chromium.dumpDom(html, work), ids);
    }

    static List<Map<String, String>> assertEveryChartDrawn(String dom, List<String> ids) {
        List<Map<String, String>> charts = Chromium.charts(dom);
        assertThat(charts).extracting(c -> c.get("id")).containsExactlyElementsOf(ids);
        for (Map<String, String> c : charts) {
            assertThat(c.get("data-drawn")).as("%s drawn", c.get("id")).isEqualTo("1");
            assertThat(Integer.parseInt(c.get("data-points"))).as("%s values drawn", c.get("id")).isPositive();
            assertThat(Integer.parseInt(c.get("data-ink"))).as("%s pixels in its series' colours", c.get("id")).isGreaterThan(50);
        }
        assertThat(dom).contains("data-charts=\"" + ids.size() + "\"");
        return charts;
    }

    @Test
    void everyChartOfAFixtureRunIsDrawnWithItsMarkersAndPhases() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 10, false);
        Report.Result r = Report.write(log, dir, OptionalLong.of(ByteSize.parse("200MB").orElseThrow()));
        String html = Files.readString(r.html());
        // one file, nothing fetched: no external script, stylesheet or image
        assertThat(html).doesNotContainPattern("<script[^>]+src=").doesNotContainPattern("<link[^>]+href=").doesNotContainPattern("url\\(\\s*['\"]?https?:")
                .doesNotContain("@import").doesNotContainPattern("(src|href)=\"https?:");
        assertThat(html).contains("uPlot").contains("Copyright (c)");
        List<String> ids = new java.util.ArrayList<>(List.of("chart-rate", "chart-outcomes", "chart-latency-intended", "chart-latency-service", "chart-health"));
        for (String t : FixtureLog.TABLES) ids.add("chart-table-" + t);
        ids.add("chart-db-size");
        // the browser runs in Asia/Kolkata (UTC+05:30), where local time would put the run at 15:30, not 10:00
        assertThat(Chromium.offsetMinutes(dir, KOLKATA)).as("the browser's own offset from UTC, in minutes").isEqualTo(330);
        List<Map<String, String>> charts = assertEveryChartDrawn(Chromium.dumpDom(r.html(), dir, KOLKATA), ids);
        // the deviations alert at 60.5 s is a line on every chart; warm-up and drain are shaded
        for (Map<String, String> c : charts) {
            assertThat(c.get("data-markers")).as(c.get("id")).isEqualTo("1");
            assertThat(Integer.parseInt(c.get("data-phases"))).as(c.get("id")).isEqualTo(2);
        }
        assertThat(charts.get(5)).containsEntry("data-table", "events");
        // the time axis is UTC on a 24-hour clock (the fixture runs from 10:00Z), in a browser whose zone is not UTC
        for (Map<String, String> c : charts)
            assertThat(c.get("data-xticks")).as(c.get("id")).matches("10:\\d\\d(:\\d\\d)?( \\d\\d:\\d\\d(:\\d\\d)?)*");

        // pixels: the actual rate and the rows are drawn in blue, accepted in green, the alert line in red
        BufferedImage shot = Chromium.screenshot(r.html(), dir, 1300, 5200);
        assertThat(Chromium.pixelsNear(shot, 0x1f6feb)).as("blue series").isGreaterThan(500);
        assertThat(Chromium.pixelsNear(shot, 0x2b8a3e)).as("green series").isGreaterThan(500);
        assertThat(Chromium.pixelsNear(shot, 0xc92a2a)).as("red: alert lines, p99, unexpected verdicts").isGreaterThan(200);
    }

    @Test
    void aKilledRunsReportDrawsEverythingItHas() throws Exception {
        Path log = dir.resolve("run.jsonl");
        FixtureLog.steady(log, 10, true);
        Report.Result r = Report.write(log, dir, OptionalLong.empty());
        List<String> ids = new java.util.ArrayList<>(List.of("chart-rate", "chart-outcomes", "chart-latency-intended", "chart-latency-service", "chart-health"));
        for (String t : FixtureLog.TABLES) ids.add("chart-table-" + t);
        ids.add("chart-db-size");
        assertEveryChartDrawn(r.html(), dir, ids);
        assertThat(Chromium.dumpDom(r.html(), dir)).contains("run log ends without run.end (killed?)");
    }
}
