package io.longrun.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger check's "stored with the modified value": for each accepted event a {@code modify} touched, the row's
 * value at the fault's {@code path} (its first name the column, the rest a path into a JSON column) is the value
 * the event was sent with. The row is read as JSON ({@code to_jsonb(row) #> path}); values are equal as JSON, as
 * numbers, as the same instant (a timestamp column stores {@code Z} as {@code +00:00}), or as the same text.
 */
final class ModifiedCheck {
    private ModifiedCheck() {}

    static void check(Connection c, String table, String idColumn, String idType, List<LedgerFile.Modified> modified, LedgerCheck.Diff notStored)
            throws SQLException {
        Map<String, List<LedgerFile.Modified>> byPath = new LinkedHashMap<>();
        for (LedgerFile.Modified m : modified) byPath.computeIfAbsent(m.path(), k -> new ArrayList<>()).add(m);
        String sql = "select t." + idColumn + "::text, (to_jsonb(t) #> cast(? as text[]))::text from " + table + " t where t." + idColumn
                + " = any(cast(? as " + idType + "[]))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<String, List<LedgerFile.Modified>> e : byPath.entrySet()) {
                List<LedgerFile.Modified> all = e.getValue();
                for (int from = 0; from < all.size(); from += LedgerCheck.BATCH) {
                    List<LedgerFile.Modified> batch = all.subList(from, Math.min(all.size(), from + LedgerCheck.BATCH));
                    Array path = c.createArrayOf("text", e.getKey().split("\\."));
                    Array ids = c.createArrayOf("text", batch.stream().map(LedgerFile.Modified::id).toArray());
                    ps.setArray(1, path);
                    ps.setArray(2, ids);
                    Map<String, List<String>> stored = new HashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) stored.computeIfAbsent(rs.getString(1).toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                    for (LedgerFile.Modified m : batch) {
                        List<String> values = stored.get(m.id().toLowerCase(java.util.Locale.ROOT));
                        // a missing row is the other check's "expected but missing"; here, each row held must have it
                        if (values != null && !values.stream().allMatch(v -> same(v, m.value()))) notStored.add(m.id());
                    }
                }
            }
        }
    }

    /** Whether the stored value (JSON text, null for none) is the value sent. */
    static boolean same(String stored, JsonNode sent) {
        if (stored == null) return sent == null || sent.isNull();
        JsonNode s;
        try {
            s = ChaosBody.json().readTree(stored);
        } catch (IOException e) {
            return false;
        }
        if (s.equals(sent)) return true;
        if (s.isNumber() && sent.isNumber()) return s.decimalValue().compareTo(sent.decimalValue()) == 0;
        if (s.isTextual() && sent.isTextual()) {
            try {
                return OffsetDateTime.parse(s.asText()).toInstant().equals(OffsetDateTime.parse(sent.asText()).toInstant());
            } catch (DateTimeParseException e) {
                return s.asText().equals(sent.asText());
            }
        }
        return s.isValueNode() && sent.isValueNode() && s.asText().equals(sent.asText());
    }
}
