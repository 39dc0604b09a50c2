package io.longrun.watch;

import io.longrun.db.Tables;
import io.longrun.pace.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The database route's beans: {@link #query} puts the SQL for one poll in the body (exact {@code count(*)} and
 * {@code pg_total_relation_size} of each watched table, and {@code pg_database_size}), camel-jdbc runs it, and
 * {@link #record} turns the rows into a {@link DbSample}. Table names were checked against the database at start
 * and are quoted as identifiers.
 */
public final class DbWatcher {
    private final Clock clock;
    private final Signals signals;
    private final String sql;

    public DbWatcher(List<String> tables, Clock clock, Signals signals) {
        this(tables, java.time.Duration.ofSeconds(30), clock, signals);
    }

    /** @param longQuery how long a running query must have run to count as long (pg_stat_activity) */
    public DbWatcher(List<String> tables, java.time.Duration longQuery, Clock clock, Signals signals) {
        this.clock = clock;
        this.signals = signals;
        this.sql = sql(tables, longQuery);
    }

    static String sql(List<String> tables) {
        return sql(tables, java.time.Duration.ofSeconds(30));
    }

    static String sql(List<String> tables, java.time.Duration longQuery) {
        // the database's own figures, once per poll: its size, connections, and active queries older than longQuery
        String db = "pg_database_size(current_database()) as db_bytes, "
                + "(select count(*) from pg_stat_activity where datname = current_database()) as connections, "
                + "(select count(*) from pg_stat_activity where datname = current_database() and state = 'active' "
                + "and pid <> pg_backend_pid() and now() - query_start > interval '" + Math.max(1, longQuery.toMillis()) + " milliseconds') as long_queries";
        StringBuilder b = new StringBuilder();
        if (tables.isEmpty()) return "select null as name, 0 as rows, 0 as bytes, " + db;
        for (String t : tables) {
            boolean first = b.length() == 0;
            if (!first) b.append(" union all ");
            String id = Tables.quote(t);
            b.append("select ").append(Tables.literal(t)).append(" as name, (select count(*) from ").append(id)
                    .append(") as rows, pg_total_relation_size(").append(Tables.literal(id))
                    .append("::regclass) as bytes, ").append(first ? db : "null as db_bytes, null as connections, null as long_queries");
        }
        return b.toString();
    }

    public void query(Exchange exchange) {
        exchange.getIn().setBody(sql);
    }

    @SuppressWarnings("unchecked")
    public void record(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error != null) {
            String msg = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage().split("\n")[0];
            signals.onDb(new DbSample(clock.nanoTime(), clock.now(), Map.of(), 0, Optional.of(msg)));
            exchange.setException(null);
            return;
        }
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        Map<String, DbSample.Table> tables = new LinkedHashMap<>();
        long dbBytes = 0, connections = 0, longQueries = 0;
        for (Map<String, Object> r : rows) {
            if (r.get("db_bytes") != null) {
                dbBytes = number(r.get("db_bytes"));
                connections = number(r.get("connections"));
                longQueries = number(r.get("long_queries"));
            }
            Object name = r.get("name");
            if (name != null) tables.put(name.toString(), new DbSample.Table(number(r.get("rows")), number(r.get("bytes"))));
        }
        signals.onDb(new DbSample(clock.nanoTime(), clock.now(), tables, dbBytes, connections, longQueries, Optional.empty()));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
