package io.longrun.coord;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.testing.TestDb;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both stores, the folder and real PostgreSQL: each shard's latest status, the first abort standing, runs kept apart. */
class StoresTest {
    @TempDir
    Path dir;

    static ShardStatus status(int index, long accepted) {
        return new ShardStatus(index, 3, System.currentTimeMillis(), false,
                List.of(new ShardStatus.Lane("steady", accepted, accepted, accepted, 0, 0, 0, Map.of(), Map.of(), "")));
    }

    void behaves(CoordStore a, CoordStore b, CoordStore otherRun) throws Exception {
        a.publish(status(0, 5));
        b.publish(status(1, 7));
        a.publish(status(0, 9)); // replaces shard 0's
        List<Published> all = b.statuses();
        assertThat(all).extracting(p -> p.status().index()).containsExactly(0, 1);
        assertThat(all.get(0).status().accepted()).isEqualTo(9);
        assertThat(all).allSatisfy(p -> assertThat(p.ageMs()).isBetween(0L, 5_000L));
        assertThat(otherRun.statuses()).isEmpty();

        assertThat(a.abort()).isEmpty();
        Abort first = b.abort(new Abort("1/3", 1000, "error_rate: error rate 33.3%"));
        Abort second = a.abort(new Abort("0/3", 2000, "strict: delivery failed"));
        assertThat(first).isEqualTo(new Abort("1/3", 1000, "error_rate: error rate 33.3%"));
        assertThat(second).isEqualTo(first); // the first stands
        assertThat(a.abort()).contains(first);
        assertThat(otherRun.abort()).isEmpty();
    }

    @Test
    void aFolder() throws Exception {
        Path run = dir.resolve(LockKey.folder("soak-42@2026-11-30T18:30:00Z"));
        try (FileStore a = new FileStore(run, 0); FileStore b = new FileStore(run, 1); FileStore other = new FileStore(dir.resolve(LockKey.folder("soak-43")), 0)) {
            behaves(a, b, other);
        }
        assertThat(run.getFileName().toString()).startsWith("soak-42_2026-11-30T18_30_00Z-");
    }

    @Test
    void postgres() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Map<String, String> env = System.getenv();
        try (PgStore a = new PgStore(db, env, "soak-42"); PgStore b = new PgStore(db, env, "soak-42"); PgStore other = new PgStore(db, env, "soak-43")) {
            behaves(a, b, other);
            assertThat(TestDb.scalar(db, "select count(*) from " + PgStore.SCHEMA + ".shard_status where run_key = 'soak-42'")).isEqualTo(2);
        }
    }

    @Test
    void anAbortFromBeforeThisShardStartedIsAnEarlierRunsUnlessTheRunHasAStartAt() {
        Abort a = new Abort("0/3", 1_000, "x");
        assertThat(a.applies(2_000, false)).isFalse();
        assertThat(a.applies(500, false)).isTrue();
        assertThat(a.applies(2_000, true)).isTrue();
    }
}
