package io.longrun.db;

import java.util.Map;
import java.util.Optional;

/**
 * How to reach a PostgreSQL database: a JDBC URL, a user, and the name of the environment variable that holds
 * the password ({@code PGPASSWORD} when none is named). The password itself is read from the environment when a
 * connection is made and is never stored in a field that is printed or logged.
 */
public record DbSettings(String url, Optional<String> user, Optional<String> passwordEnv) {
    public Optional<String> password(Map<String, String> env) {
        return Optional.ofNullable(env.get(passwordEnv.orElse("PGPASSWORD")));
    }

    /** The user, else {@code PGUSER}. */
    public Optional<String> user(Map<String, String> env) {
        return user.or(() -> Optional.ofNullable(env.get("PGUSER")).filter(s -> !s.isBlank()));
    }
}
