package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.testing.Await;
import io.longrun.testing.LongrunProcess;
import io.longrun.testing.TestDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference target's log stamps are UTC even where local time is not: `longrun target` in a zone of its own. */
class TargetLogZoneTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void logStampsAreUtcNotLocalTimeWhenTheTargetRunsInAnotherZone() throws Exception {
        // the target in a JVM of its own in Asia/Kolkata (UTC+05:30): a stamp in local time would be 5.5 h off
        DbSettings db = TestDb.freshSchema();
        Path log = dir.resolve("kolkata.log");
        List<String> args = new ArrayList<>(List.of("target", "--port", "0", "--metrics-port", "0", "--db-url", db.url(),
                "--log-file", log.toString(), "--fault", "error_rate=1"));
        db.user().ifPresent(u -> args.addAll(List.of("--db-user", u)));
        try (LongrunProcess p = LongrunProcess.start(dir, "Asia/Kolkata", args)) {
            String port = p.awaitLine(Pattern.compile("listening on http://0\\.0\\.0\\.0:(\\d+)"), Duration.ofSeconds(60)).group(1);
            Instant before = Instant.now();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/event"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Instant after = Instant.now();
            assertThat(r.statusCode()).isEqualTo(500);
            String last = Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> Files.readAllLines(log),
                    l -> !l.isEmpty() && l.get(l.size() - 1).contains("[event] request failed")).stream().reduce((a, b) -> b).orElse("");
            assertThat(last).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ERROR \\[event] request failed: .*");
            // written while the request was in flight: its stamp read as UTC falls between the two readings of the clock
            Instant stamped = Instant.parse(last.substring(0, 24));
            assertThat(stamped).as("the stamp of: %s", last).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        }
    }
}
