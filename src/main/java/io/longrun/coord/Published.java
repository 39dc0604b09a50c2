package io.longrun.coord;

/** A shard's latest status as read from the store, and how old it is (by the store's clock where it has one). */
public record Published(ShardStatus status, long ageMs) {}
