package io.longrun.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.db.Reset;
import io.longrun.db.Tables;
import io.longrun.run.BadInput;
import io.longrun.run.ExitCodes;
import io.longrun.runlog.Secrets;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code longrun reset --db-url JDBC --tables a,b [--yes]}: what {@code make scenario-reset} calls. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Empty the named tables (TRUNCATE ... RESTART IDENTITY) for a clean baseline before a run.")
final class ResetCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @Mixin
    DbOptions db = new DbOptions();

    @Option(names = "--tables", paramLabel = "a,b", split = ",", required = true, description = "existing tables to empty")
    List<String> tables = new ArrayList<>();

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        DbSettings settings = db.settings(ctx).orElseThrow(() -> new BadInput("reset needs --db-url (or LONGRUN_DB_URL)"));
        List<String> names = tables.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) throw new BadInput("--tables: name at least one table");
        String where = Secrets.maskUrl(settings.url());
        HikariDataSource ds;
        try {
            ds = DataSources.open(settings, ctx.env(), "longrun-reset", 1);
        } catch (SQLException e) {
            throw new BadInput(e.getMessage());
        }
        try (ds; Connection c = ds.getConnection()) {
            List<String> bad = Tables.missing(c, names);
            if (!bad.isEmpty())
                throw new BadInput("--tables: not existing tables in " + where + ": " + String.join(", ", bad) + " (nothing was changed)");
            if (!yes && !confirm(ctx, names, where)) return ExitCodes.BAD_INPUT;
            Map<String, Long> counts;
            try {
                counts = Reset.truncate(c, names);
            } catch (SQLException e) {
                throw new BadInput("cannot empty " + String.join(", ", names) + " in " + where + ": "
                        + String.valueOf(e.getMessage()).split("\n")[0] + " (nothing was changed)");
            }
            List<String> parts = new ArrayList<>();
            counts.forEach((t, n) -> parts.add(t + " (" + n + " rows)"));
            ctx.out().println("emptied " + String.join(", ", parts) + " in " + where);
            return ExitCodes.OK;
        }
    }

    private static boolean confirm(CliContext ctx, List<String> names, String where) throws IOException {
        if (!ctx.terminal()) {
            ctx.err().println("longrun: refusing to empty " + String.join(", ", names) + " without --yes: there is no terminal to confirm on (nothing was changed)");
            return false;
        }
        ctx.out().print("Empty " + String.join(", ", names) + " in " + where + "? This cannot be undone. Type 'yes': ");
        ctx.out().flush();
        String answer = ctx.stdin().readLine();
        if (answer != null && answer.trim().toLowerCase(Locale.ROOT).equals("yes")) return true;
        ctx.err().println("longrun: not confirmed; nothing was changed");
        return false;
    }
}
