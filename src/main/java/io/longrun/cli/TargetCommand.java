package io.longrun.cli;

import io.longrun.db.DbSettings;
import io.longrun.run.BadInput;
import io.longrun.run.SignalTrap;
import io.longrun.runlog.Secrets;
import io.longrun.target.Faults;
import io.longrun.target.TargetServer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code longrun target}: the reference target service, until Ctrl+C. */
@Command(name = "target", mixinStandardHelpOptions = true,
        description = "Serve the reference target (POST /event, POST /ingest, GET /health) over PostgreSQL, with fault switches.")
final class TargetCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8000", description = "port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Mixin
    DbOptions db = new DbOptions();

    @Option(names = "--fault", paramLabel = "SPEC", description = "latency=200ms, error_rate=0.2, down_after=20s, hot_loop=50/s, rate_limit=100/s (repeatable)")
    List<String> faults = new ArrayList<>();

    @Option(names = "--ingest-max-bytes", paramLabel = "N", defaultValue = "1048576", description = "POST /ingest answers 413 too_large beyond this body size (default: ${DEFAULT-VALUE})")
    int maxBytes;

    @Option(names = "--ingest-max-items", paramLabel = "N", defaultValue = "1000", description = "POST /ingest answers 413 too_many_items beyond this many records (default: ${DEFAULT-VALUE})")
    int maxItems;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        if (port < 0 || port > 65535) throw new BadInput("--port must be between 0 and 65535, got " + port);
        DbSettings settings = db.settings(ctx).orElseThrow(() -> new BadInput("target needs --db-url (or LONGRUN_DB_URL)"));
        Faults f;
        try {
            f = Faults.parse(faults);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        TargetServer server;
        try {
            if (maxBytes < 1 || maxItems < 1) throw new BadInput("--ingest-max-bytes and --ingest-max-items must be at least 1");
            server = TargetServer.start(port, settings, f, new io.longrun.target.TargetService.IngestLimits(maxBytes, maxItems), ctx.env());
        } catch (SQLException | TargetServer.PortInUse e) {
            throw new BadInput(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (server; SignalTrap trap = ctx.handleSignals() ? SignalTrap.onInterrupt(sig -> stop.countDown()) : SignalTrap.NONE) {
            ctx.out().println("longrun target listening on http://0.0.0.0:" + server.port() + " (POST /event, POST /ingest, GET /health), database "
                    + Secrets.maskUrl(settings.url()) + ", faults: " + f.describe());
            ctx.out().println("Ctrl+C to stop");
            stop.await();
            ctx.out().println("stopping");
        }
        return 0;
    }
}
