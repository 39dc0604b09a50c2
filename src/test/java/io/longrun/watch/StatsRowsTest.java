package io.longrun.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.StatsQuery.Leaf;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The delta rules of {@link StatsRows}, one row per case, on counters as PostgreSQL 15 and 18 leave them (the real
 * server's side is checked in DbWatcherTest). Columns: inserted, deleted, live, maintenance (vacuum + analyze counts).
 */
class StatsRowsTest {
    private static Leaf leaf(long oid, long ins, long del, long live, long maint) {
        return new Leaf(1, oid, 1000 + oid, ins, del, 0, live, maint, 0, false, 0L);
    }

    /** From 100 rows (counters ins 100, live 100) to the counters of {@code now}: the rows and whether it read a reset. */
    private static StatsRows.Step step(Leaf now) {
        StatsRows r = new StatsRows();
        r.rebase(List.of(leaf(7, 100, 0, 100, 0)), 100);
        return r.update(List.of(now));
    }

    @Test
    void eachCaseCountsWhatCommitted() {
        record Case(String what, Leaf now, long rows, boolean reset) {}
        List<Case> cases = List.of(
                new Case("10 inserts committed", leaf(7, 110, 0, 110, 0), 110, false),
                new Case("10 inserted, 4 deleted", leaf(7, 110, 4, 106, 0), 106, false),
                // n_tup_ins counts an aborted insert, n_live_tup does not
                new Case("5 inserts rolled back", leaf(7, 105, 0, 100, 0), 100, false),
                // a late ON CONFLICT inserts, then deletes its speculative row: ins +1, del +1, live unchanged
                new Case("a late conflict", leaf(7, 101, 1, 100, 0), 100, false),
                // analyze overwrote n_live_tup with its estimate (90): the counters' difference is used instead
                new Case("20 inserts and an analyze", leaf(7, 120, 0, 90, 1), 120, false),
                // known limit: with a vacuum or analyze in between, rolled-back inserts count (n_tup_ins has them)
                new Case("5 rolled back and a vacuum", leaf(7, 105, 0, 100, 1), 105, false),
                // pg_stat_reset: every counter from 0 again; what they show since is counted, never a drop
                new Case("a reset, then 4 inserts", leaf(7, 4, 0, 4, 0), 104, true),
                new Case("a reset, 6 inserts and an analyze", leaf(7, 6, 0, 2, 1), 106, true),
                new Case("a reset, then 2 deletes", leaf(7, 0, 2, -2, 0), 100, true));
        for (Case c : cases) {
            StatsRows.Step s = step(c.now());
            assertThat(s.rows()).as(c.what()).isEqualTo(c.rows());
            assertThat(s.reset()).as(c.what()).isEqualTo(c.reset());
        }
    }

    @Test
    void aPartitionAttachedOrDetachedIsNeitherGrowthNorAReset() {
        StatsRows r = new StatsRows();
        r.rebase(List.of(leaf(1, 50, 0, 50, 0), leaf(2, 30, 0, 30, 0)), 80);
        // leaf 3 is attached holding 1,000 rows, and leaf 1 grows by 5
        StatsRows.Step attached = r.update(List.of(leaf(1, 55, 0, 55, 0), leaf(2, 30, 0, 30, 0), leaf(3, 1000, 0, 1000, 0)));
        assertThat(attached.rows()).isEqualTo(85);
        assertThat(attached.reset()).isFalse();
        // from there on it counts: 7 more in leaf 3
        assertThat(r.update(List.of(leaf(1, 55, 0, 55, 0), leaf(2, 30, 0, 30, 0), leaf(3, 1007, 0, 1007, 0))).rows()).isEqualTo(92);
        // leaf 2 is detached: its 30 rows do not read as a drop
        StatsRows.Step detached = r.update(List.of(leaf(1, 56, 0, 56, 0), leaf(3, 1007, 0, 1007, 0)));
        assertThat(detached.rows()).isEqualTo(93);
        assertThat(detached.reset()).isFalse();
    }

    @Test
    void aLeafWithAnotherFileWasRewritten() {
        StatsRows r = new StatsRows();
        r.rebase(List.of(leaf(1, 50, 0, 50, 0)), 50);
        assertThat(r.rewritten(List.of(leaf(1, 60, 0, 60, 0)))).isFalse();
        // TRUNCATE, VACUUM FULL, CLUSTER: the same oid, a new file node
        assertThat(r.rewritten(List.of(new Leaf(1, 1, 5555, 60, 0, 0, 3, 0, 0, false, 0L)))).isTrue();
        // a leaf seen for the first time is not a rewrite
        assertThat(r.rewritten(List.of(leaf(1, 50, 0, 50, 0), leaf(2, 9, 0, 9, 0)))).isFalse();
    }

    @Test
    void aResetIsToldByAnyCounterThatWentDown() {
        Leaf before = new Leaf(1, 7, 1007, 100, 10, 5, 90, 2, 5000, false, 0L);
        assertThat(StatsRows.wentDown(before, new Leaf(1, 7, 1007, 101, 10, 5, 91, 2, 5100, false, 0L))).isFalse();
        // the inserts have regrown past their old value since the reset, but the reads have not
        assertThat(StatsRows.wentDown(before, new Leaf(1, 7, 1007, 150, 10, 5, 150, 2, 40, false, 0L))).isTrue();
        assertThat(StatsRows.wentDown(before, new Leaf(1, 7, 1007, 100, 10, 5, 90, 0, 5000, false, 0L))).isTrue();
        assertThat(StatsRows.wentDown(before, new Leaf(1, 7, 1007, 100, 10, 4, 90, 2, 5000, false, 0L))).isTrue();
    }

    @Test
    void keysetCountsFromTwoPollsBackAndAtTheEndFromTheOldestMarkKept() {
        long s = 1_000_000_000L;
        KeysetRows k = new KeysetRows(5 * s);
        k.rebase(0, 100, "100");
        // each poll: the anchor, then the rows past it as the database would count them
        assertThat(k.anchor(false).key()).isEqualTo("100");
        assertThat(k.add(s, k.anchor(false), 10, "110")).isEqualTo(110);
        assertThat(k.anchor(false).key()).isEqualTo("100"); // only two marks: the oldest
        assertThat(k.add(2 * s, k.anchor(false), 20, "120")).isEqualTo(120);
        // three marks: two polls back is the base again; a row with key 105 committed late is among the 21 past it
        assertThat(k.anchor(false).key()).isEqualTo("100");
        assertThat(k.add(3 * s, k.anchor(false), 21, "120")).isEqualTo(121);
        assertThat(k.anchor(false).key()).isEqualTo("110");
        // a poll with no new rows keeps its anchor's key as its mark
        assertThat(k.add(4 * s, k.anchor(false), 11, null)).isEqualTo(121);
        for (int i = 5; i <= 20; i++) k.add(i * s, k.anchor(false), 0, null);
        // at 20 s, the oldest mark kept is the newest one at least 5 s old
        assertThat(k.anchor(true).at()).isEqualTo(15 * s);
    }
}
