package io.longrun.fault;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The embedded proxies of one process, by name, on one Vert.x event loop: what {@link EmbeddedEngine} drives
 * in-process and {@code longrun proxy} serves through Toxiproxy's API. Every random draw of every toxic comes
 * from {@code seed}.
 */
final class ProxyHub implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 5000;

    private final Vertx vertx;
    private final NetClient client;
    private final long seed;
    private final Map<String, TcpProxy> proxies = new TreeMap<>(); // guarded by this

    ProxyHub(long seed) {
        // One event loop: the proxy's work per byte is small, and on 2 cores a second loop only adds hand-offs.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(true));
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpNoDelay(true));
        this.seed = seed;
    }

    Vertx vertx() {
        return vertx;
    }

    long seed() {
        return seed;
    }

    synchronized Optional<TcpProxy> get(String name) {
        return Optional.ofNullable(proxies.get(name));
    }

    TcpProxy require(String name) {
        return get(name).orElseThrow(() -> ApiError.notFound("proxy not found"));
    }

    synchronized List<TcpProxy> all() {
        return new ArrayList<>(proxies.values());
    }

    /** Creates a proxy, listening when {@code enabled}; 409 when the name is taken. */
    CompletableFuture<TcpProxy> create(String name, String listen, String upstream, boolean enabled) {
        TcpProxy p;
        synchronized (this) {
            if (proxies.containsKey(name)) throw ApiError.conflict("proxy already exists");
            p = new TcpProxy(name, listen, upstream, vertx, client, seed);
            proxies.put(name, p);
        }
        if (!enabled) return CompletableFuture.completedFuture(p);
        return p.enable().handle((v, e) -> {
            if (e != null) {
                synchronized (this) {
                    proxies.remove(name, p);
                }
                throw e instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(e);
            }
            return p;
        });
    }

    /** Stops a proxy and forgets it; 404 when there is none of that name. */
    CompletableFuture<Void> delete(String name) {
        TcpProxy p;
        synchronized (this) {
            p = proxies.remove(name);
        }
        if (p == null) throw ApiError.notFound("proxy not found");
        return p.stop();
    }

    /** Stops every proxy and the event loop. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (TcpProxy p : all()) stops.add(p.stop());
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the event loop goes next, and takes any straggler with it
        }
        synchronized (this) {
            proxies.clear();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // nothing more to stop
        }
    }
}
