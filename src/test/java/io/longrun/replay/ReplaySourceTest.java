package io.longrun.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.generate.EventContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplaySourceTest {
    @TempDir
    Path dir;

    Path file(String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    static String ev(String id, String ts) {
        return "{\"id\":\"" + id + "\",\"timestamp\":\"" + ts + "\",\"category\":\"motion\",\"payload\":{}}";
    }

    static ReplaySpec spec(List<Path> files, double speed, Double rate, Duration maxWait, int loop) {
        return new ReplaySpec(files, speed, Optional.ofNullable(rate), Optional.ofNullable(maxWait), loop, false, false, Optional.empty(), false);
    }

    static List<Double> dues(ReplaySource s) {
        List<Double> out = new ArrayList<>();
        for (double d = s.nextDue(); !Double.isInfinite(d); d = s.nextDue()) out.add(d);
        return out;
    }

    @Test
    void gapsAreReplayedDividedBySpeedAndCappedByMaxWait() throws Exception {
        Path f = file("a.ndjson", ev("1", "2025-12-23T12:00:00Z"), ev("2", "2025-12-23T12:00:02Z"), ev("3", "2025-12-23T12:00:03.500Z"),
                ev("4", "2025-12-23T12:10:00Z"));
        assertThat(dues(new ReplaySource(spec(List.of(f), 1, null, null, 1), new Skips()))).containsExactly(0.0, 2.0, 3.5, 600.0);
        assertThat(dues(new ReplaySource(spec(List.of(f), 10, null, null, 1), new Skips()))).usingElementComparator((a, b) -> Math.abs(a - b) < 1e-9 ? 0 : 1)
                .containsExactly(0.0, 0.2, 0.35, 60.0);
        assertThat(dues(new ReplaySource(spec(List.of(f), 1, null, Duration.ofSeconds(5), 1), new Skips()))).containsExactly(0.0, 2.0, 3.5, 8.5);
        assertThat(dues(new ReplaySource(spec(List.of(f), 1, 4.0, null, 2), new Skips()))).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75);
    }

    @Test
    void filesAreMergedByTimestampAndOutOfOrderLinesDoNotStall() throws Exception {
        Path a = file("a.ndjson", ev("a1", "2025-12-23T12:00:00Z"), ev("a2", "2025-12-23T12:00:04Z"));
        Path b = file("b.ndjson", ev("b1", "2025-12-23T12:00:01Z"), ev("b2", "2025-12-23T12:00:00.500Z"), ev("b3", "2025-12-23T12:00:02Z"));
        Skips skips = new Skips();
        ReplaySource s = new ReplaySource(spec(List.of(a, b), 1, null, null, 1), skips);
        ReplayFormat fmt = new ReplayFormat(s);
        List<String> ids = new ArrayList<>();
        List<Double> dues = new ArrayList<>();
        for (double d = s.nextDue(); !Double.isInfinite(d); d = s.nextDue()) {
            dues.add(d);
            String body = new String(fmt.render(new EventContext(1, 1, "r", s.nextIndex() - 1, "sc", Instant.now())), StandardCharsets.UTF_8);
            ids.add(body.substring(7, 9));
        }
        assertThat(ids).containsExactly("a1", "b1", "b2", "b3", "a2");
        // b2 is older than b1: sent at once (no wait), not held back or reordered
        assertThat(dues).usingElementComparator((x, y) -> Math.abs(x - y) < 1e-9 ? 0 : 1).containsExactly(0.0, 1.0, 1.0, 2.0, 4.0);
        assertThat(skips.counts()).containsEntry("out_of_order", 1L);
    }

    @Test
    void badLinesAreCountedWithFileAndLineAndStrictMakesThemFatal() throws Exception {
        Path f = file("bad.ndjson", ev("1", "2025-12-23T12:00:00Z"), "{not json", ev("2", "2025-12-23T13:00:00+01:00"),
                ev("3", "2025-12-23T12:00:01"), "{\"id\":\"4\"}", ev("5", "2025-12-23T12:00:02Z"));
        Skips skips = new Skips();
        assertThat(dues(new ReplaySource(spec(List.of(f), 1, null, null, 1), skips))).containsExactly(0.0, 2.0);
        assertThat(skips.counts()).containsEntry("malformed", 1L).containsEntry("non_utc", 2L).containsEntry("no_timestamp", 1L);
        assertThat(skips.examples()).contains(f + ":2: not JSON", f + ":3: timestamp is not UTC: \"2025-12-23T13:00:00+01:00\" (offset +01:00)",
                f + ":4: timestamp has no UTC offset: \"2025-12-23T12:00:01\"", f + ":5: no timestamp at timestamp");
        ReplaySpec strict = new ReplaySpec(List.of(f), 1, Optional.empty(), Optional.empty(), 1, false, false, Optional.empty(), true);
        assertThatThrownBy(() -> ReplaySource.check(strict)).hasMessage(f + ":2: not JSON");
    }

    @Test
    void csvRecordingsAndLongrunRecordFilesReplayToo() throws Exception {
        Path csv = file("r.csv", "ts,level,msg", "2025-12-23T12:00:00Z,INFO,a", "2025-12-23T12:00:01Z,WARN,\"b, quoted\"");
        ReplaySource s = new ReplaySource(spec(List.of(csv), 1, null, null, 1), new Skips());
        ReplayFormat fmt = new ReplayFormat(s);
        assertThat(s.nextDue()).isZero();
        assertThat(new String(fmt.render(new EventContext(1, 1, "r", 0, "sc", Instant.now())), StandardCharsets.UTF_8))
                .isEqualTo("{\"ts\":\"2025-12-23T12:00:00Z\",\"level\":\"INFO\",\"msg\":\"a\"}");
        assertThat(s.nextDue()).isCloseTo(1.0, Offset.offset(1e-9));

        Path rec = file("rec.ndjson",
                "{\"emitter\":\"e\",\"seq\":0,\"intended_s\":0.0,\"intended\":\"2026-01-01T00:00:00Z\",\"sent\":\"2026-01-01T00:00:00.001Z\",\"outcome\":\"accepted\",\"status\":\"202\",\"latency_ms\":1.0,\"content_type\":\"text/csv\",\"body\":\"ts,level,msg\\n\"}",
                "{\"emitter\":\"e\",\"seq\":1,\"intended_s\":0.5,\"intended\":\"2026-01-01T00:00:00.500Z\",\"sent\":\"2026-01-01T00:00:00.501Z\",\"outcome\":\"accepted\",\"status\":\"202\",\"latency_ms\":1.0,\"content_type\":\"application/json\",\"body\":\"{\\\"a\\\":1}\"}");
        ReplaySource r = new ReplaySource(spec(List.of(rec), 1, null, null, 1), new Skips());
        ReplayFormat rf = new ReplayFormat(r);
        assertThat(r.nextDue()).isZero();
        assertThat(new String(rf.render(new EventContext(1, 1, "r", 0, "sc", Instant.now())), StandardCharsets.UTF_8)).isEqualTo("ts,level,msg\n");
        assertThat(rf.contentType()).isEqualTo("text/csv");
        assertThat(r.nextDue()).isCloseTo(0.5, Offset.offset(1e-9));
        assertThat(new String(rf.render(new EventContext(1, 1, "r", 1, "sc", Instant.now())), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(rf.contentType()).isEqualTo("application/json");
    }

    @Test
    void rebaseNowKeepsTheGapsAndNewIdsReplaceIds() throws Exception {
        Path f = file("a.ndjson", ev("00000000-0000-0000-0000-000000000001", "2025-12-23T12:00:00Z"),
                ev("00000000-0000-0000-0000-000000000002", "2025-12-23T12:00:02.250Z"));
        ReplaySource s = new ReplaySource(new ReplaySpec(List.of(f), 1, Optional.empty(), Optional.empty(), 1, true, true, Optional.empty(), false), new Skips());
        ReplayFormat fmt = new ReplayFormat(s);
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        s.nextDue();
        String first = new String(fmt.render(new EventContext(1, 1, "r", 0, "sc", now)), StandardCharsets.UTF_8);
        s.nextDue();
        String second = new String(fmt.render(new EventContext(1, 1, "r", 1, "sc", now.plusSeconds(2))), StandardCharsets.UTF_8);
        assertThat(first).contains("\"timestamp\":\"2026-11-23T10:00:00.000Z\"").doesNotContain("00000000-0000-0000-0000-000000000001");
        assertThat(second).contains("\"timestamp\":\"2026-11-23T10:00:02.250Z\"").doesNotContain("00000000-0000-0000-0000-000000000002");
    }
}
