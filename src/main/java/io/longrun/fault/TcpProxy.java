package io.longrun.fault;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.longrun.scenario.ProxySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A TCP proxy: it listens, and for each client opens a connection to the upstream and joins the two with a pair
 * of links, each carrying the stages of the toxics for its direction. Toxics come and go while bytes flow;
 * {@code disable} stops listening and closes what is open (Toxiproxy's {@code enabled: false}).
 *
 * <p>The methods may be called from any thread; they return futures that complete once every open connection
 * has taken the change, which is what "confirmed" means for the embedded engine.
 */
final class TcpProxy {
    final String name;
    private volatile String listen, upstream;
    private final Vertx vertx;
    private final NetClient client;
    private final long seed;
    private final Object lock = new Object();
    private final List<Toxic> toxics = new ArrayList<>(); // guarded by lock
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private NetServer server; // guarded by lock; null while disabled
    private volatile boolean enabled;
    private long nextIndex; // guarded by lock
    final AtomicLong upReceived = new AtomicLong(), upSent = new AtomicLong(), downReceived = new AtomicLong(),
            downSent = new AtomicLong(), accepted = new AtomicLong();

    TcpProxy(String name, String listen, String upstream, Vertx vertx, NetClient client, long seed) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
        this.vertx = vertx;
        this.client = client;
        this.seed = seed;
    }

    String listen() {
        return listen;
    }

    String upstream() {
        return upstream;
    }

    /** Moves the proxy to new addresses, keeping its toxics: it stops, and starts again if it was enabled. */
    CompletableFuture<Void> readdress(String newListen, String newUpstream) {
        boolean was = enabled;
        return disable().thenCompose(v -> {
            listen = newListen;
            upstream = newUpstream;
            return was ? enable() : CompletableFuture.completedFuture(null);
        });
    }

    boolean enabled() {
        return enabled;
    }

    int openConnections() {
        return open.size();
    }

    /** Starts listening (a no-op when it does); port 0 takes a free port, which {@link #listen()} then gives. */
    CompletableFuture<Void> enable() {
        Future<NetServer> started;
        synchronized (lock) {
            if (enabled) return CompletableFuture.completedFuture(null);
            NetServer s = vertx.createNetServer(new NetServerOptions().setReuseAddress(true).setTcpNoDelay(true));
            s.connectHandler(this::accepted);
            server = s;
            enabled = true;
            started = s.listen(ProxySpec.port(listen), ProxySpec.host(listen));
        }
        return started.toCompletionStage().toCompletableFuture().handle((s, e) -> {
            if (e != null) {
                synchronized (lock) {
                    enabled = false;
                    server = null;
                }
                throw new ApiError(500, "cannot listen on " + listen + ": " + FaultException.reason(e));
            }
            if (ProxySpec.port(listen) == 0) listen = listen.substring(0, listen.lastIndexOf(':') + 1) + s.actualPort();
            return null;
        });
    }

    /** Stops listening, so new connections are refused, and closes the open ones. */
    CompletableFuture<Void> disable() {
        NetServer s;
        List<Connection> toClose;
        synchronized (lock) {
            if (!enabled) return CompletableFuture.completedFuture(null);
            enabled = false;
            s = server;
            server = null;
            toClose = List.copyOf(open);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        all.add(s.close().toCompletionStage().toCompletableFuture());
        for (Connection c : toClose) {
            c.run(Connection::close);
            all.add(c.gone());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    List<Toxic> toxics() {
        synchronized (lock) {
            return List.copyOf(toxics);
        }
    }

    Optional<Toxic> toxic(String toxicName) {
        return toxics().stream().filter(t -> t.name().equals(toxicName)).findFirst();
    }

    /** Adds a toxic at the end of its direction's chain on every open connection and on every new one. */
    CompletableFuture<Void> add(Toxic t) {
        synchronized (lock) {
            if (toxic(t.name()).isPresent()) throw ApiError.conflict("toxic already exists");
            toxics.add(t);
            return onEach(c -> c.link(t.stream()).add(t.name(), t.stage(seed, name, c.index)));
        }
    }

    /** Replaces a toxic in place (an update of its attributes or toxicity). */
    CompletableFuture<Void> replace(Toxic t) {
        synchronized (lock) {
            int i = toxics.indexOf(toxic(t.name()).orElseThrow());
            toxics.set(i, t);
            return onEach(c -> c.link(t.stream()).replace(t.name(), t.stage(seed, name, c.index)));
        }
    }

    /** Takes a toxic off; false when there is none of that name. What its stages hold goes on. */
    Optional<CompletableFuture<Void>> remove(String toxicName) {
        synchronized (lock) {
            Optional<Toxic> t = toxic(toxicName);
            if (t.isEmpty()) return Optional.empty();
            toxics.remove(t.get());
            return Optional.of(onEach(c -> c.link(t.get().stream()).remove(toxicName)));
        }
    }

    /** Every toxic off, and listening again: Toxiproxy's {@code /reset} for one proxy. */
    CompletableFuture<Void> reset() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Toxic t : toxics()) remove(t.name()).ifPresent(all::add);
        all.add(enable());
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Stops listening, closes the connections and drops the toxics. */
    CompletableFuture<Void> stop() {
        synchronized (lock) {
            toxics.clear();
        }
        return disable();
    }

    private CompletableFuture<Void> onEach(Consumer<Connection> change) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Connection c : open) all.add(c.run(conn -> {
            if (!conn.closed()) change.accept(conn);
        }));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private void accepted(NetSocket from) {
        from.pause();
        Context context = vertx.getOrCreateContext();
        from.exceptionHandler(e -> from.close());
        client.connect(ProxySpec.port(upstream), ProxySpec.host(upstream)).onComplete(ar -> {
            if (ar.failed()) {
                from.close(); // as Toxiproxy: no upstream, no connection
                return;
            }
            NetSocket to = ar.result();
            to.pause();
            Connection c;
            synchronized (lock) {
                if (!enabled) {
                    from.close();
                    to.close();
                    return;
                }
                c = new Connection(nextIndex++, context, from, to);
                c.up = new Link(Direction.UPSTREAM, c, from, to, vertx, upReceived, upSent);
                c.down = new Link(Direction.DOWNSTREAM, c, to, from, vertx, downReceived, downSent);
                for (Toxic t : toxics) c.link(t.stream()).add(t.name(), t.stage(seed, name, c.index));
                open.add(c);
            }
            accepted.incrementAndGet();
            for (NetSocket s : List.of(from, to)) {
                s.exceptionHandler(e -> c.close());
                s.closeHandler(v -> {
                    c.socketClosed();
                    if (c.gone().isDone()) open.remove(c);
                });
            }
            c.up.start();
            c.down.start();
        });
    }
}
