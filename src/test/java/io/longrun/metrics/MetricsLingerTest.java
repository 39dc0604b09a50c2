package io.longrun.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.deliver.Outcomes;
import io.longrun.pace.Clock;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint after Camel stopped, over real HTTP: it serves the run's registry (the verdict included) on the
 * run's port, waits for one scrape after the verdict and no longer, and does not wait when nobody scraped the run.
 */
class MetricsLingerTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> scrape(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheVerdictAndEndsAtTheFirstScrapeAfterIt() throws Exception {
        RunMetrics m = new RunMetrics("exp", "exp-1", new Outcomes(List.of("a")));
        m.registry().scrape(); // the run's endpoint was scraped: someone is waiting for the verdict
        int port = freePort();
        try (MetricsLinger l = MetricsLinger.serve(m, port, Clock.SYSTEM, w -> { throw new AssertionError(w); })) {
            m.verdict("exp", "recovered", 2.5);
            List<String> said = new ArrayList<>();
            CompletableFuture<Void> held = CompletableFuture.runAsync(() -> {
                try {
                    l.hold(Duration.ofMinutes(1), () -> false, Clock.SYSTEM, said::add);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(held).as("no scrape yet: still held").isNotDone();
            HttpResponse<String> r = scrape(port);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).contains("longrun_experiments_total{scenario=\"exp\",verdict=\"recovered\"} 1.0")
                    .contains("longrun_recovery_seconds{scenario=\"exp\"} 2.5");
            held.get(10, TimeUnit.SECONDS); // that scrape ended the hold
            assertThat(said).containsExactly("metrics: keeping http://127.0.0.1:" + port
                    + "/observe/metrics up until the next scrape reads the verdict (at most 1m; --metrics-linger)");
        }
        assertThatThrownBy(() -> scrape(port)).isInstanceOf(ConnectException.class); // closed: the port is free again
    }

    @Test
    void noScrapeDuringTheRunMeansNoWaitAndTheBoundIsKept() throws Exception {
        RunMetrics m = new RunMetrics("exp", "exp-1", new Outcomes(List.of("a")));
        int port = freePort();
        try (MetricsLinger l = MetricsLinger.serve(m, port, Clock.SYSTEM, w -> { throw new AssertionError(w); })) {
            List<String> said = new ArrayList<>();
            long t0 = System.nanoTime();
            l.hold(Duration.ofMinutes(1), () -> false, Clock.SYSTEM, said::add);
            assertThat(said).as("nobody scraped the run: nobody waits for the verdict").isEmpty();
            m.registry().scrape();
            l.hold(Duration.ZERO, () -> false, Clock.SYSTEM, said::add);
            assertThat(said).as("--metrics-linger 0").isEmpty();
            l.hold(Duration.ofMinutes(1), () -> true, Clock.SYSTEM, said::add);
            assertThat(said).as("interrupted: no wait").isEmpty();
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
            l.hold(Duration.ofMillis(300), () -> false, Clock.SYSTEM, said::add);
            assertThat(said).last().isEqualTo("metrics: no scrape came within 300ms; the verdict was not scraped");
        }
    }

    @Test
    void aPortThatCannotBeHadAgainIsAWarningAndNoWait() throws Exception {
        RunMetrics m = new RunMetrics("exp", "exp-1", new Outcomes(List.of("a")));
        m.registry().scrape();
        try (ServerSocket taken = new ServerSocket(0)) {
            List<String> warned = new ArrayList<>();
            try (MetricsLinger l = MetricsLinger.serve(m, taken.getLocalPort(), Clock.SYSTEM, warned::add)) {
                assertThat(l).isSameAs(MetricsLinger.NONE);
                l.hold(Duration.ofMinutes(1), () -> false, Clock.SYSTEM, warned::add);
            }
            assertThat(warned).singleElement().asString()
                    .startsWith("the verdict's metrics are not served after the run: port " + taken.getLocalPort() + " could not be had again");
        }
    }
}
