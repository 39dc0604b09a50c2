package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;

/** {@code db_load: { connections_above: N, long_queries_above: M, long_query: 30s, for: W }}, from pg_stat_activity. */
final class DbLoadRule extends BaseRule {
    private final Conditions.DbLoad c;

    DbLoadRule(Scenario.StopRule spec, Conditions.DbLoad c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onDb(DbSample s, long accepted) {
        if (s.error().isPresent()) return null;
        boolean conns = s.connections() > c.connectionsAbove();
        boolean longQ = s.longQueries() > c.longQueriesAbove();
        return new Reading(conns || longQ, longQ && !conns ? s.longQueries() : s.connections(),
                longQ && !conns ? c.longQueriesAbove() : c.connectionsAbove(),
                s.connections() + " connection(s) to the database, " + s.longQueries() + " quer(ies) running over "
                        + Durations.format(c.longQuery()) + "; threshold: above " + (c.connectionsAbove() == Integer.MAX_VALUE ? "-" : c.connectionsAbove())
                        + " connections or " + (c.longQueriesAbove() == Integer.MAX_VALUE ? "-" : c.longQueriesAbove()) + " long queries");
    }
}
