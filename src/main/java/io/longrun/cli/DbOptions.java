package io.longrun.cli;

import io.longrun.db.DbSettings;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The database flags shared by run, validate, target and reset. A password is never a flag. */
final class DbOptions {
    @Option(names = "--db-url", paramLabel = "JDBC", description = "PostgreSQL JDBC URL (default: $LONGRUN_DB_URL)")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", description = "database user (default: $PGUSER)")
    String user;

    @Option(names = "--db-password-env", paramLabel = "VAR", description = "environment variable holding the password (default: PGPASSWORD)")
    String passwordEnv;

    /** The settings, with LONGRUN_DB_URL when no flag gives a URL; empty when neither does. */
    Optional<DbSettings> settings(CliContext ctx) {
        String u = url != null ? url : ctx.env("LONGRUN_DB_URL");
        return u == null ? Optional.empty() : Optional.of(new DbSettings(u, Optional.ofNullable(user), Optional.ofNullable(passwordEnv)));
    }
}
