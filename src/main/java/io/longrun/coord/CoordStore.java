package io.longrun.coord;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The shards' shared state for one run: each shard's latest status and the run-wide abort. */
public interface CoordStore extends AutoCloseable {
    /** Replaces this shard's status. */
    void publish(ShardStatus status) throws IOException;

    /** Every shard's latest status, by shard index. */
    List<Published> statuses() throws IOException;

    /** Writes the abort unless one is there already; returns the one that stands. */
    Abort abort(Abort abort) throws IOException;

    /** The abort, if a shard wrote one. */
    Optional<Abort> abort() throws IOException;

    @Override
    void close();
}
