package io.longrun.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.pace.Clock;
import io.longrun.scenario.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogWatcherTest {
    @TempDir
    Path dir;

    static void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    List<String> poll(LogTail t) {
        List<String> out = new ArrayList<>();
        assertThat(t.poll(out::add)).isNull();
        return out;
    }

    @Test
    void startsAtTheEndAndReadsOnlyCompleteNewLines() throws IOException {
        Path f = dir.resolve("app.log");
        append(f, "old line before the run\n");
        LogTail t = new LogTail(f);
        t.start();
        assertThat(poll(t)).isEmpty();
        append(f, "one\ntwo\nthr");
        assertThat(poll(t)).containsExactly("one", "two");
        append(f, "ee\r\n");
        assertThat(poll(t)).containsExactly("three");
    }

    @Test
    void followsRotationAndTruncation() throws IOException {
        Path f = dir.resolve("app.log");
        append(f, "");
        LogTail t = new LogTail(f);
        t.start();
        append(f, "a\nb\n");
        assertThat(poll(t)).containsExactly("a", "b");
        // logrotate: the file is moved away and a new one created at the same path
        Files.move(f, dir.resolve("app.log.1"));
        append(f, "c\n");
        assertThat(poll(t)).containsExactly("c");
        assertThat(t.rotations()).isEqualTo(1);
        // copytruncate: the same file, emptied, then written again
        append(f, "d\ne\nf\n");
        assertThat(poll(t)).containsExactly("d", "e", "f");
        Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        append(f, "g\n");
        assertThat(poll(t)).containsExactly("g");
        assertThat(t.truncations()).isEqualTo(1);
    }

    @Test
    void aMissingFileIsReportedAndReadOnceItAppears() throws IOException {
        Path f = dir.resolve("later.log");
        LogTail t = new LogTail(f);
        t.start();
        assertThat(t.poll(l -> {})).contains("later.log").contains("no such file");
        append(f, "first\n");
        assertThat(poll(t)).containsExactly("first");
    }

    @Test
    void aRunawayLineIsCut() throws IOException {
        Path f = dir.resolve("app.log");
        append(f, "");
        LogTail t = new LogTail(f);
        t.start();
        append(f, "x".repeat(200_000) + "\nnext\n");
        List<String> lines = poll(t);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(LogTail.MAX_LINE);
        assertThat(lines.get(1)).isEqualTo("next");
    }

    @Test
    void countsLevelsExceptionsAndCadenceLines() throws IOException {
        Path f = dir.resolve("app.log");
        append(f, "");
        List<LogSample> samples = new ArrayList<>();
        Signals signals = new Signals() {
            public void onHealth(HealthSample s) {}

            public void onDb(DbSample s) {}

            public void onLog(LogSample s) {
                samples.add(s);
            }
        };
        LogWatcher w = new LogWatcher(List.of(new LogTail(f)), Scenario.Watch.DEFAULT_LEVELS, List.of("scheduler tick"), Clock.SYSTEM, signals);
        w.start();
        append(f, """
                2026-11-23T23:00:00.001Z INFO  [scheduler] scheduler tick: 3 rules
                2026-11-23T23:00:01.001Z ERROR [rules] rule evaluation failed for subject 41
                java.lang.IllegalStateException: no baseline for subject 41
                \tat io.target.Rules.evaluate(Rules.java:42)
                \tat io.target.Scheduler.run(Scheduler.java:10)
                2026-11-23T23:00:02.001Z WARN  [ingest] slow insert 812 ms
                2026-11-23T23:00:03.001Z ERROR [rules] rule evaluation failed for subject 42
                java.lang.IllegalStateException: no baseline for subject 42
                \tat io.target.Rules.evaluate(Rules.java:42)
                Traceback (most recent call last):
                ValueError: bad value 7
                2026-11-23T23:00:04.001Z INFO  [scheduler] scheduler tick: 3 rules
                """);
        w.poll();
        LogSample s = samples.get(0);
        assertThat(s.lines()).isEqualTo(12);
        assertThat(s.level("ERROR")).isEqualTo(2);
        assertThat(s.level("WARN")).isEqualTo(1);
        assertThat(s.exceptions()).containsEntry("java.lang.IllegalStateException: no baseline for subject #", 2L)
                .containsEntry("ValueError: bad value #", 1L).hasSize(2);
        assertThat(s.matches()).containsEntry("scheduler tick", 2L);
    }

    @Test
    void exceptionKeysIgnoreDigitsAndAreBounded() {
        assertThat(LogWatcher.key("java.io.IOException: timeout after 3000 ms on 10.0.0.7"))
                .isEqualTo("java.io.IOException: timeout after # ms on #.#.#.#");
        assertThat(LogWatcher.key("java.lang.Error: " + "y".repeat(1000))).hasSize(LogWatcher.MAX_KEY);
    }
}
