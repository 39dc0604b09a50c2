package io.longrun.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Optional;

/**
 * A throwaway PostgreSQL server for the demo and the tests (zonky's embedded binaries: nothing to install).
 * It listens on a free port of 127.0.0.1 and is deleted when closed.
 */
public final class EmbeddedDb implements AutoCloseable {
    private final EmbeddedPostgres pg;

    private EmbeddedDb(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    public static EmbeddedDb start() throws IOException {
        return new EmbeddedDb(EmbeddedPostgres.builder()
                .setServerConfig("timezone", "UTC")
                .setServerConfig("max_connections", "200")
                .start());
    }

    public String url() {
        return pg.getJdbcUrl("postgres", "postgres");
    }

    public DbSettings settings() {
        return new DbSettings(url(), Optional.of("postgres"), Optional.empty());
    }

    public int port() {
        return pg.getPort();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
