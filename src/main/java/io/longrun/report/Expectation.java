package io.longrun.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scenario's criteria expect of a table's growth, as run.start records them in {@code config.stop_when}:
 * {@code unexpected_growth} (rows per accepted event within a tolerance, or static) and {@code table_growth}
 * (rows per minute at most). The severity does not matter here: a warn criterion states an expectation too.
 */
record Expectation(String criterion, String table, Kind kind, double value, double tolerancePct) {
    enum Kind {
        /** per_accepted_event K, tolerance P%: the fitted rows per accepted event within K ± K·P/100. */
        PER_ACCEPTED,
        /** static: true (per_accepted_event 0): any change of the row count is unexpected. */
        STATIC,
        /** above_per_min N: fitted rows per minute above N is unexpected. */
        MAX_PER_MIN
    }

    /** The default tolerance of unexpected_growth, as the criterion has it. */
    static final double DEFAULT_TOLERANCE_PCT = 2;

    /** The expectations in a run.start record (none when the log predates criteria or has none). */
    static List<Expectation> of(JsonNode start) {
        List<Expectation> out = new ArrayList<>();
        for (JsonNode r : start.path("config").path("stop_when")) {
            String kind = r.path("kind").asText(), name = r.path("name").asText(kind);
            JsonNode p = r.path("params");
            String table = p.path("table").asText(null);
            if (table == null) continue;
            if (kind.equals("unexpected_growth")) {
                double k = p.path("per_accepted_event").asDouble(0);
                if (p.path("static").asBoolean(false) || k == 0) out.add(new Expectation(name, table, Kind.STATIC, 0, 0));
                else out.add(new Expectation(name, table, Kind.PER_ACCEPTED, k, p.path("tolerance_pct").asDouble(DEFAULT_TOLERANCE_PCT)));
            } else if (kind.equals("table_growth") && p.has("above_per_min")) {
                out.add(new Expectation(name, table, Kind.MAX_PER_MIN, p.path("above_per_min").asDouble(), 0));
            }
        }
        return out;
    }
}
