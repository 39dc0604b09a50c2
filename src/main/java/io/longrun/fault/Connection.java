package io.longrun.fault;

import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A proxied connection: the client's socket, the one to the upstream, and the two links between them. All of
 * its state is touched on its event loop ({@link #context}); other threads go through {@link #run}.
 */
final class Connection {
    final long index;
    final Context context;
    final NetSocket client, upstream;
    Link up, down;
    private boolean closed;
    private int socketsClosed;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    Connection(long index, Context context, NetSocket client, NetSocket upstream) {
        this.index = index;
        this.context = context;
        this.client = client;
        this.upstream = upstream;
    }

    Link link(Direction d) {
        return d == Direction.UPSTREAM ? up : down;
    }

    /** Runs an action on the connection's event loop; the future completes after it. */
    CompletableFuture<Void> run(Consumer<Connection> action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.accept(this);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    boolean closed() {
        return closed;
    }

    /** Completes when both sockets are closed. */
    CompletableFuture<Void> gone() {
        return gone;
    }

    /** A link's source ended: its destination is closed once the bytes before the end are written, then the rest. */
    void endFrom(Direction d) {
        NetSocket dest = d == Direction.UPSTREAM ? upstream : client;
        dest.end().onComplete(ar -> close());
    }

    /** Closes both sockets (FIN). */
    void close() {
        if (closed) return;
        closed = true;
        client.close();
        upstream.close();
    }

    /** Resets both sockets: SO_LINGER 0 makes close() send a TCP RST, so both peers see "connection reset". */
    void reset() {
        if (closed) return;
        linger0(client);
        linger0(upstream);
        close();
    }

    /** Called by the proxy when a socket's close is seen. */
    void socketClosed() {
        close();
        if (++socketsClosed == 2) gone.complete(null);
    }

    private static void linger0(NetSocket s) {
        if (s instanceof NetSocketInternal internal) internal.channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
    }
}
