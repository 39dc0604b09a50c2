package io.longrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.deliver.Outcomes;
import io.longrun.fault.EmbeddedEngine;
import io.longrun.metrics.RunMetrics;
import io.longrun.pace.FakeClock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.Experiment.Phase;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.FaultSpec.Kind;
import io.longrun.scenario.ProxySpec;
import io.longrun.testing.RunLogs;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phase runner with longrun's embedded proxy in front of a real echo server, its time driven by a fake clock:
 * each phase's fault is on during that phase only, as a client through the proxy measures it, and the records
 * come in order.
 */
class PhaseRunnerTest {
    static final long S = 1_000_000_000L;
    static final FaultSpec LATENCY = new FaultSpec(Kind.LATENCY, "db", FaultSpec.Stream.DOWNSTREAM, Map.of("ms", 300.0, "jitter_ms", 0.0));

    @TempDir
    Path dir;
    ServerSocket echo;
    FakeClock clock = new FakeClock();
    EmbeddedEngine engine;
    String listen;
    List<String> warnings = new ArrayList<>();

    @BeforeEach
    void proxyInFrontOfAnEchoServer() throws Exception {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread c = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (Exception e) {
                            // the client went away
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        engine = new EmbeddedEngine(1, "test", clock);
        engine.start(List.of(new ProxySpec("db", "127.0.0.1:0", "127.0.0.1:" + echo.getLocalPort())));
        listen = engine.listen("db").orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
        echo.close();
    }

    static Experiment threePhases(FaultSpec... faults) {
        return new Experiment(List.of(new Phase("stabilize", Duration.ofSeconds(1), List.of(), Optional.empty(), List.of(), true),
                new Phase("fault", Duration.ofSeconds(2), List.of(faults), Optional.empty(), List.of(), false),
                new Phase("recover", Duration.ofSeconds(1), List.of(), Optional.empty(), List.of(), false)), Experiment.Recovery.DEFAULT);
    }

    /** A round trip through the proxy, measured from outside, in ms. */
    double roundTrip() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)))) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            long t0 = System.nanoTime();
            s.getOutputStream().write("ping".getBytes());
            byte[] back = s.getInputStream().readNBytes(4);
            assertThat(new String(back)).isEqualTo("ping");
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** promtool check metrics passes on the exposition text. */
    void promtool(String text) throws Exception {
        Path scrape = dir.resolve("scrape.txt");
        java.nio.file.Files.writeString(scrape, text);
        io.longrun.testing.Tools.PROMTOOL.require();
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scrape.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    void at(double seconds, PhaseRunner r) {
        clock.advance(Math.round(seconds * S) - clock.nanoTime());
        r.poll();
    }

    @Test
    void theFaultIsOnDuringItsPhaseOnlyAndTheRecordsComeInOrder() throws Exception {
        Path file = dir.resolve("run.jsonl");
        RunMetrics metrics = new RunMetrics("s", "r", new Outcomes(List.of("a")));
        try (RunLog log = new RunLog(file)) {
            PhaseRunner r = new PhaseRunner(threePhases(LATENCY), engine, log, clock, warnings::add);
            r.metrics(metrics);
            assertThat(metrics.scrape()).contains("longrun_phase_index{scenario=\"s\"} 0.0", "longrun_experiment_active 0.0",
                    "longrun_phase_duration_seconds{phase=\"fault\",scenario=\"s\"} 2.0");
            r.begin(0, 0);
            at(0, r);
            assertThat(r.current()).isZero();
            assertThat(roundTrip()).isLessThan(250);
            at(0.5, r);
            at(1.0, r);
            assertThat(r.current()).isEqualTo(1);
            assertThat(roundTrip()).isGreaterThanOrEqualTo(300);
            assertThat(metrics.scrape()).contains("longrun_phase{phase=\"fault\",scenario=\"s\"} 1.0", "longrun_phase_index{scenario=\"s\"} 2.0",
                    "longrun_fault_active{proxy=\"db\",type=\"latency\"} 1.0", "longrun_fault_value{param=\"ms\",proxy=\"db\",type=\"latency\"} 300.0");
            promtool(metrics.scrape());
            at(3.2, r);
            assertThat(r.current()).isEqualTo(2);
            assertThat(roundTrip()).isLessThan(250);
            assertThat(engine.active()).isEmpty();
            assertThat(metrics.scrape()).doesNotContain("longrun_fault_active{");
            at(4.0, r);
            assertThat(r.current()).isEqualTo(-1);
            r.finish(PhaseRunner.Reason.PHASE_END);
        }
        List<JsonNode> rec = RunLogs.read(file);
        assertThat(rec).extracting(n -> n.get("type").asText() + " " + n.path("phase").asText()).containsExactly(
                "phase.start stabilize", "phase.end stabilize", "phase.start fault", "fault.on fault", "fault.off fault", "phase.end fault",
                "phase.start recover", "phase.end recover");
        assertThat(rec).extracting(n -> n.get("elapsed_s").asDouble()).containsExactly(0.0, 1.0, 1.0, 1.0, 3.2, 3.2, 3.2, 4.0);
        JsonNode on = RunLogs.last(rec, "fault.on"), off = RunLogs.last(rec, "fault.off");
        assertThat(on.get("kind").asText()).isEqualTo("latency");
        assertThat(on.get("proxy").asText()).isEqualTo("db");
        assertThat(on.get("stream").asText()).isEqualTo("downstream");
        assertThat(on.at("/params/ms").asDouble()).isEqualTo(300);
        assertThat(on.get("desc").asText()).isEqualTo("latency 300 ms on db (downstream)");
        assertThat(on.has("took_ms")).isTrue();
        assertThat(off.get("reason").asText()).isEqualTo("phase_end");
        // one ping each way went through while the fault was on; the one before it in the phase before
        assertThat(off.at("/bytes/up").asLong()).isEqualTo(4);
        assertThat(off.at("/bytes/down").asLong()).isEqualTo(4);
        assertThat(off.at("/bytes_before/up").asLong()).isEqualTo(4);
        assertThat(RunLogs.ofType(rec, "phase.end")).extracting(n -> n.get("cut").asBoolean()).containsExactly(false, false, false);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aStopMidPhaseTakesTheFaultOffWithItsReasonAndCutsThePhase() throws Exception {
        Path file = dir.resolve("run.jsonl");
        try (RunLog log = new RunLog(file)) {
            PhaseRunner r = new PhaseRunner(threePhases(LATENCY, new FaultSpec(Kind.DOWN, "db", FaultSpec.Stream.DOWNSTREAM, Map.of())), engine, log,
                    clock, warnings::add);
            r.begin(0, 0);
            at(0, r);
            at(1.5, r);
            assertThat(engine.active()).hasSize(2);
            clock.advance(S / 10);
            r.finish(PhaseRunner.Reason.SIGNAL);
            at(3.5, r); // polls after the end do nothing
            assertThat(roundTrip()).isLessThan(250);
        }
        List<JsonNode> rec = RunLogs.read(file);
        assertThat(RunLogs.ofType(rec, "fault.off")).extracting(n -> n.get("kind").asText() + " " + n.get("reason").asText() + " " + n.get("elapsed_s"))
                .containsExactly("down signal 1.6", "latency signal 1.6"); // the last on comes off first
        JsonNode end = RunLogs.last(rec, "phase.end");
        assertThat(end.get("phase").asText()).isEqualTo("fault");
        assertThat(end.get("cut").asBoolean()).isTrue();
        assertThat(RunLogs.ofType(rec, "phase.start")).hasSize(2);
    }

    @Test
    void aLatePollIsCaughtUpAtThePlannedEndButAStopPutsOnNoNewFault() throws Exception {
        Path planned = dir.resolve("planned.jsonl"), stopped = dir.resolve("stopped.jsonl");
        try (RunLog log = new RunLog(planned)) {
            PhaseRunner r = new PhaseRunner(threePhases(LATENCY), engine, log, clock, warnings::add);
            r.begin(0, 0);
            r.poll();
            clock.advance(4 * S - 1); // no poll since the start: the run's last event came due just before its end
            r.finish(PhaseRunner.Reason.PHASE_END);
        }
        assertThat(RunLogs.read(planned)).extracting(n -> n.get("type").asText() + " " + n.path("phase").asText()).containsExactly(
                "phase.start stabilize", "phase.end stabilize", "phase.start fault", "fault.on fault", "fault.off fault", "phase.end fault",
                "phase.start recover", "phase.end recover");
        try (RunLog log = new RunLog(stopped)) {
            PhaseRunner r = new PhaseRunner(threePhases(LATENCY), engine, log, clock, warnings::add);
            r.begin(clock.nanoTime(), 0);
            r.poll();
            clock.advance(S + S / 2); // the fault phase is due, but the stop came first
            r.finish(PhaseRunner.Reason.STOP);
        }
        assertThat(RunLogs.read(stopped)).extracting(n -> n.get("type").asText() + " " + n.path("phase").asText() + " " + n.path("cut").asText())
                .containsExactly("phase.start stabilize ", "phase.end stabilize true");
        assertThat(engine.active()).isEmpty();
    }

    @Test
    void aResumedRunEntersThePhaseItIsInAndAppliesItsFaults() throws Exception {
        Path file = dir.resolve("run.jsonl");
        try (RunLog log = new RunLog(file)) {
            PhaseRunner r = new PhaseRunner(threePhases(LATENCY), engine, log, clock, warnings::add);
            clock.advance(10 * S);
            r.begin(10 * S - Math.round(2.5 * S), 2.5); // time zero was 2.5 s ago
            r.poll();
            assertThat(r.current()).isEqualTo(1);
            assertThat(roundTrip()).isGreaterThanOrEqualTo(300);
            r.finish(PhaseRunner.Reason.STOP);
        }
        List<JsonNode> rec = RunLogs.read(file);
        assertThat(rec).extracting(n -> n.get("type").asText() + " " + n.get("elapsed_s")).containsExactly(
                "phase.start 2.5", "fault.on 2.5", "fault.off 2.5", "phase.end 2.5");
        assertThat(RunLogs.last(rec, "fault.off").get("reason").asText()).isEqualTo("stop");
    }

    @Test
    void timeZeroSetAheadOfNowNeverPutsARecordBeforeTheRunOrItsResumedSegmentBegan() throws Exception {
        Path fresh = dir.resolve("fresh.jsonl"), resumed = dir.resolve("resumed.jsonl");
        long lead = 10_000_000L; // time zero is set 10 ms ahead: the first phase is entered just before its first event
        try (RunLog log = new RunLog(fresh)) {
            PhaseRunner r = new PhaseRunner(threePhases(LATENCY), engine, log, clock, warnings::add);
            r.begin(clock.nanoTime() + lead, 0);
            r.poll();
            r.finish(PhaseRunner.Reason.STOP);
        }
        assertThat(RunLogs.read(fresh)).extracting(n -> n.get("type").asText() + " " + n.get("elapsed_s"))
                .containsExactly("phase.start 0.0", "phase.end 0.0");
        try (RunLog log = new RunLog(resumed)) {
            PhaseRunner r = new PhaseRunner(threePhases(LATENCY), engine, log, clock, warnings::add);
            clock.advance(10 * S);
            r.begin(clock.nanoTime() + lead - Math.round(2.5 * S), 2.5); // resumed 2.5 s in, 10 ms from now
            r.poll();
            assertThat(r.current()).isEqualTo(1);
            clock.advance(lead + S / 10);
            r.finish(PhaseRunner.Reason.STOP);
        }
        assertThat(RunLogs.read(resumed)).extracting(n -> n.get("type").asText() + " " + n.get("elapsed_s"))
                .containsExactly("phase.start 2.5", "fault.on 2.5", "fault.off 2.6", "phase.end 2.6");
    }

    @Test
    void aFaultThatCannotBeAppliedIsAFaultErrorInWordsAndThePhasesGoOn() throws Exception {
        Path file = dir.resolve("run.jsonl");
        try (RunLog log = new RunLog(file)) {
            FaultSpec elsewhere = new FaultSpec(Kind.DOWN, "api", FaultSpec.Stream.DOWNSTREAM, Map.of());
            PhaseRunner r = new PhaseRunner(threePhases(elsewhere), engine, log, clock, warnings::add);
            r.begin(0, 0);
            at(0, r);
            at(1, r);
            at(3, r);
            assertThat(r.current()).isEqualTo(2);
            r.finish(PhaseRunner.Reason.PHASE_END);
        }
        JsonNode err = RunLogs.last(RunLogs.read(file), "fault.error");
        assertThat(err.get("phase").asText()).isEqualTo("fault");
        assertThat(err.get("desc").asText()).isEqualTo("down on api");
        assertThat(err.get("error").asText()).isEqualTo("down on api: no proxy named api was started");
        assertThat(warnings).containsExactly("phase fault: down on api: no proxy named api was started");
    }
}
