package io.longrun.fault;

import io.longrun.scenario.ProxySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code longrun proxy}: the embedded proxies, standalone, with Toxiproxy's API to drive them, so that a target
 * can be pointed at a proxy before a run and any Toxiproxy client (longrun's {@link ToxiproxyEngine} among them)
 * can add and remove faults.
 */
public final class ProxyServer implements AutoCloseable {
    private final ProxyHub hub;
    private final ToxiproxyApi api;

    private ProxyServer(ProxyHub hub, ToxiproxyApi api) {
        this.hub = hub;
        this.api = api;
    }

    /**
     * Starts the proxies given and the API on {@code apiHost:apiPort} (0: a free port).
     *
     * @param seed every random draw of every toxic comes from it
     */
    public static ProxyServer start(String apiHost, int apiPort, List<ProxySpec> proxies, long seed, String version) throws FaultException {
        ProxyHub hub = new ProxyHub(seed);
        try {
            for (ProxySpec p : proxies) EmbeddedEngine.await(hub.create(p.name(), p.listen(), p.upstream(), true), "proxy " + p.name());
            return new ProxyServer(hub, ToxiproxyApi.start(hub, apiHost, apiPort, version));
        } catch (FaultException | RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    public int apiPort() {
        return api.port();
    }

    /** Each proxy as {@code name listen -> upstream}. */
    public List<String> describeProxies() {
        List<String> out = new ArrayList<>();
        for (TcpProxy p : hub.all()) out.add(p.name + " " + p.listen() + " -> " + p.upstream());
        return out;
    }

    @Override
    public void close() {
        api.close();
        hub.close();
    }
}
