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
        this.clock = clock;
        this.signals = signals;
        this.sql = sql(tables);
    }

    static String sql(List<String> tables) {
        StringBuilder b = new StringBuilder();
        if (tables.isEmpty()) return "select null as name, 0 as rows, 0 as bytes, pg_database_size(current_database()) as db_bytes";
        for (String t : tables) {
            if (b.length() > 0) b.append(" union all ");
            String id = Tables.quote(t);
            b.append("select ").append(Tables.literal(t)).append(" as name, (select count(*) from ").append(id)
                    .append(") as rows, pg_total_relation_size(").append(Tables.literal(id))
                    .append("::regclass) as bytes, pg_database_size(current_database()) as db_bytes");
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
        long dbBytes = 0;
        for (Map<String, Object> r : rows) {
            dbBytes = number(r.get("db_bytes"));
            Object name = r.get("name");
            if (name != null) tables.put(name.toString(), new DbSample.Table(number(r.get("rows")), number(r.get("bytes"))));
        }
        signals.onDb(new DbSample(clock.nanoTime(), clock.now(), tables, dbBytes, Optional.empty()));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
