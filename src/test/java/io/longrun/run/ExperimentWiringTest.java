package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.experiment.PhaseRunner;
import io.longrun.pace.FakeClock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import io.longrun.testing.RunLogs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whatever ends the run, the phase on ends with the matching reason and the proxies stop. */
class ExperimentWiringTest {
    static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "completed, , false, phase_end, false",
            "criterion, CRITERION, false, stop, true",
            "signal, INTERRUPTED, false, signal, true",
            "internal error, , true, error, true"})
    void theRunsEndTakesTheFaultsOffForItsReason(String what, String stop, boolean error, String reason, boolean cut) throws Exception {
        int port = freePort();
        Scenario sc = ScenarioReader.read("s.yaml", "s", new StringReader("""
                target: { url: "http://127.0.0.1:1/event" }
                emitters: [ { name: a, rate: 1 } ]
                proxies: [ { name: api, listen: "127.0.0.1:%d", upstream: "127.0.0.1:1" } ]
                experiment: { stabilize: 1s, fault: { latency: { proxy: api, ms: 10 } }, fault_for: 5s, recover: 1s }
                """.formatted(port)), Overrides.NONE);
        FakeClock clock = new FakeClock();
        Console console = new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, true);
        Path file = dir.resolve("run.jsonl");
        RunControl control = new RunControl();
        if (stop != null) control.requestStop(RunControl.Reason.valueOf(stop), what);
        try (RunLog log = new RunLog(file); ExperimentWiring fx = ExperimentWiring.open(sc, 1, "r", clock, console)) {
            new Socket(InetAddress.getLoopbackAddress(), port).close(); // the proxy listens before the first event
            PhaseRunner r = fx.runner(log, clock, w -> { }, null);
            fx.writeExperiment(log, clock);
            fx.begin(clock.nanoTime(), 0);
            clock.advance(2 * S);
            r.poll();
            assertThat(r.current()).isEqualTo(1);
            if (!cut) clock.advance(5 * S); // the last event came due just before the planned end
            fx.finish(control, error);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class); // stopped with the run
        List<JsonNode> rec = RunLogs.read(file);
        assertThat(rec.get(0).get("type").asText()).isEqualTo("experiment");
        JsonNode off = RunLogs.last(rec, "fault.off");
        assertThat(off.get("reason").asText()).isEqualTo(reason);
        assertThat(RunLogs.last(rec, "phase.end").get("cut").asBoolean()).isEqualTo(cut);
    }
}
