package io.longrun.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The migration policy in one place, used by the reference target at start-up, by the demo and by the tests:
 * Flyway over the migrations packaged from {@code db/migration}, applied in order, never edited once released.
 */
public final class Migrations {
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    /** Applies pending migrations; returns how many ran. */
    public static int migrate(DataSource ds) {
        return Flyway.configure()
                .dataSource(ds)
                .locations(LOCATION)
                .loggers("slf4j")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
