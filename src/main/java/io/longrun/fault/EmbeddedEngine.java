package io.longrun.fault;

import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.ProxySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default engine: longrun's own proxies, in the run's process, on Vert.x. A fault is confirmed when every
 * open connection of its proxy has taken it (new ones take it as they open). A run that dies takes its proxies,
 * and so its faults, with it.
 */
public final class EmbeddedEngine extends BaseEngine {
    static final Duration CONFIRM = Duration.ofSeconds(10);

    private final ProxyHub hub;

    /** @param seed every random draw of every toxic (jitter, slicer sizes, loss, toxicity) comes from it */
    public EmbeddedEngine(long seed, String runId, Clock clock) {
        super(runId, clock);
        this.hub = new ProxyHub(seed);
    }

    @Override
    public List<String> start(List<ProxySpec> proxies) throws FaultException {
        List<String> failed = new ArrayList<>();
        for (ProxySpec p : proxies) {
            try {
                await(hub.create(p.name(), p.listen(), p.upstream(), true), "proxy " + p.name());
            } catch (FaultException e) {
                failed.add(e.getMessage());
            } catch (ApiError e) {
                failed.add("proxy " + p.name() + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            hub.close();
            throw new FaultException(String.join("; ", failed));
        }
        return List.of();
    }

    /** The address a proxy listens on (with the port it took, when it was given port 0). */
    public Optional<String> listen(String proxy) {
        return hub.get(proxy).map(TcpProxy::listen);
    }

    @Override
    public List<String> check(List<FaultSpec> faults) {
        return List.of(); // the embedded proxy has every kind, loss emulated
    }

    @Override
    boolean knows(String proxy) {
        return hub.get(proxy).isPresent();
    }

    @Override
    void addToxic(String proxy, Toxic toxic) throws FaultException {
        try {
            await(hub.require(proxy).add(toxic), "add " + toxic.type() + " to " + proxy);
        } catch (ApiError e) {
            throw new FaultException("add " + toxic.type() + " to " + proxy + ": " + e.getMessage());
        }
    }

    @Override
    void removeToxic(String proxy, String toxic) throws FaultException {
        Optional<CompletableFuture<Void>> gone = hub.require(proxy).remove(toxic);
        if (gone.isPresent()) await(gone.get(), "remove " + toxic + " from " + proxy);
    }

    @Override
    void setEnabled(String proxy, boolean enabled) throws FaultException {
        TcpProxy p = hub.require(proxy);
        await(enabled ? p.enable() : p.disable(), (enabled ? "enable " : "disable ") + proxy);
    }

    @Override
    public Optional<ProxyTraffic> traffic(String proxy) {
        return hub.get(proxy).map(p -> new ProxyTraffic(p.upReceived.get(), p.upSent.get(), p.downReceived.get(), p.downSent.get(),
                OptionalLong.of(p.accepted.get()), true));
    }

    @Override
    public String describe() {
        return "embedded proxy";
    }

    @Override
    void stopStarted() {
        hub.close();
    }

    static void await(CompletableFuture<?> f, String what) throws FaultException {
        try {
            f.get(CONFIRM.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FaultException(what + ": not confirmed within " + CONFIRM.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new FaultException(what + ": " + FaultException.reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultException(what + ": interrupted");
        }
    }
}
