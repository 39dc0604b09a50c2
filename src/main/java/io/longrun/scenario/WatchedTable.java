package io.longrun.scenario;

import java.util.Locale;
import java.util.Optional;

/**
 * A table the database watcher follows: its name, how its rows are counted while the run goes (at the start and at
 * the end they are always counted exactly), and for {@code keyset} the indexed column whose values only grow.
 *
 * <p>YAML: {@code tables: [events, { name: deviations, count: exact }, { name: events, count: keyset, key: received_at }]}.
 */
public record WatchedTable(String name, Counting count, Optional<String> key) {
    /**
     * How rows are counted: from PostgreSQL's statistics (the default: costs the same at any size), by
     * {@code count(*)} at every poll (costs a scan of the table), or past a high-water mark on an indexed column
     * (costs an index range scan over the rows added since).
     */
    public enum Counting {
        STATS, EXACT, KEYSET;

        /** The YAML and run-log word: stats, exact, keyset. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Counting> of(String word) {
            for (Counting c : values()) if (c.key().equals(word)) return Optional.of(c);
            return Optional.empty();
        }
    }

    /** A table counted from the statistics, as a plain name in the YAML is. */
    public static WatchedTable stats(String name) {
        return new WatchedTable(name, Counting.STATS, Optional.empty());
    }

    /** "events (keyset on received_at)", for plans. */
    public String describe() {
        return name + " (" + method() + ")";
    }

    /** "stats", "exact" or "keyset on received_at". */
    public String method() {
        return count.key() + key.map(k -> " on " + k).orElse("");
    }
}
