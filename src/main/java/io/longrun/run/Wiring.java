package io.longrun.run;

import io.longrun.deliver.Delivery;
import io.longrun.scenario.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** The Camel wiring's settings: which of longrun's routes a scenario needs, and their properties. */
final class Wiring {
    private Wiring() {}

    static List<String> routes(Scenario sc, Optional<Path> routesDir, boolean probes) {
        List<String> r = new ArrayList<>(List.of("classpath:routes/run/generate.yaml", "classpath:routes/run/tick.yaml"));
        if (sc.target().healthUrl().isPresent()) r.add("classpath:routes/run/watch-health.yaml");
        if (sc.database().isPresent()) r.add("classpath:routes/run/watch-db.yaml");
        if (!sc.watch().logs().isEmpty()) r.add("classpath:routes/run/watch-logs.yaml");
        if (probes) r.add("classpath:routes/run/watch-probes.yaml");
        if (sc.runbook().evaluate().isPresent()) r.add("classpath:routes/run/evaluate.yaml");
        if (sc.runbook().alerts().webhook().isPresent()) r.add("classpath:routes/run/alerts.yaml");
        if (sc.experiment().isPresent()) r.add("classpath:routes/run/phases.yaml");
        routesDir.ifPresent(d -> r.add("file:" + d.toAbsolutePath() + "/*.yaml"));
        return r;
    }

    static Properties properties(Scenario sc) {
        Properties p = new Properties();
        long timeout = sc.target().timeout().toMillis();
        p.setProperty("longrun.tick.ms", Long.toString(Math.max(1, sc.tick().toMillis())));
        p.setProperty(Leadership.WATCH_TIMER, "timer"); // a coordinated shard's watchers start from master: (Leadership.wire)
        p.setProperty(Leadership.WATCH_DELAY, "1000");  // the first health, database and log samples 1 s after the routes start
        p.setProperty("longrun.health.every.ms", Long.toString(Math.max(1, sc.watch().healthEvery().toMillis())));
        p.setProperty("longrun.db.every.ms", Long.toString(Math.max(1, sc.watch().dbEvery().toMillis())));
        // The health checks go through camel-http (a timer thread, one request at a time); events go through
        // longrun-http (HttpSink), which has its own pool of max_in_flight connections.
        sc.target().healthUrl().ifPresent(h -> p.setProperty("longrun.health.endpoint", Delivery.endpointUri(h, "GET")));
        p.setProperty("longrun.logs.every.ms", Long.toString(Math.max(1, sc.watch().logsEvery().toMillis())));
        sc.runbook().evaluate().ifPresent(e -> {
            p.setProperty("longrun.evaluate.endpoint", Delivery.endpointUri(e.url(), "POST"));
            p.setProperty("longrun.evaluate.every.ms", Long.toString(Math.max(1, e.every().toMillis())));
        });
        // a webhook that answers other than 2xx is an error, retried by the alerts route
        sc.runbook().alerts().webhook().ifPresent(w -> p.setProperty("longrun.alerts.endpoint",
                w + (w.contains("?") ? "&" : "?") + "throwExceptionOnFailure=true&httpMethod=POST"));
        p.setProperty("camel.component.http.maxTotalConnections", "8");
        p.setProperty("camel.component.http.connectionsPerRoute", "2");
        p.setProperty("camel.component.http.connectTimeout", Long.toString(timeout));
        p.setProperty("camel.component.http.connectionRequestTimeout", Long.toString(timeout));
        p.setProperty("camel.component.http.responseTimeout", Long.toString(timeout));
        p.setProperty("camel.component.http.soTimeout", Long.toString(timeout));
        // Every request is counted once: no silent retries, redirects, cookies or compression.
        p.setProperty("camel.component.http.automaticRetriesDisabled", "true");
        p.setProperty("camel.component.http.followRedirects", "false");
        p.setProperty("camel.component.http.cookieManagementDisabled", "true");
        p.setProperty("camel.component.http.contentCompressionDisabled", "true");
        return p;
    }

}
