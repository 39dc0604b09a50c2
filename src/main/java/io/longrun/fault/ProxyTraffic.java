package io.longrun.fault;

import java.util.OptionalLong;

/**
 * A proxy's byte counters since it started, per direction: bytes received from the sender and sent on.
 * Upstream is client to server. {@code live} says whether open connections are counted as they go; Toxiproxy
 * counts a connection's bytes only when it closes, so behind a connection pool its counters can stay still.
 */
public record ProxyTraffic(long upstreamReceived, long upstreamSent, long downstreamReceived, long downstreamSent,
                           OptionalLong connections, boolean live) {
    /** The bytes that reached the proxy, both ways: zero means no traffic went through it. */
    public long received() {
        return upstreamReceived + downstreamReceived;
    }
}
