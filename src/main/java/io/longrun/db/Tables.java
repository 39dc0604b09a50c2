package io.longrun.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Table names from users: checked against the database and quoted as identifiers, never pasted into SQL raw.
 * A name is {@code table} (found on the search path) or {@code schema.table}.
 */
public final class Tables {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

    private Tables() {}

    /** Whether a text has the shape of a table name. */
    public static boolean wellFormed(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The name quoted as an identifier: {@code "schema"."table"}. Only for well-formed names. */
    public static String quote(String name) {
        if (!wellFormed(name)) throw new IllegalArgumentException("not a table name: " + name);
        StringBuilder b = new StringBuilder();
        for (String part : name.split("\\.")) {
            if (b.length() > 0) b.append('.');
            b.append('"').append(part.replace("\"", "\"\"")).append('"');
        }
        return b.toString();
    }

    /** The text as an SQL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The names among {@code names} that are not existing user tables (system catalogs excluded) visible to this connection. */
    public static List<String> missing(Connection c, List<String> names) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                        + "where c.oid = to_regclass(?) and c.relkind in ('r', 'p') "
                        + "and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'")) {
            for (String n : names) {
                if (!wellFormed(n)) {
                    missing.add(n);
                    continue;
                }
                ps.setString(1, quote(n));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) missing.add(n);
                }
            }
        }
        return missing;
    }
}
