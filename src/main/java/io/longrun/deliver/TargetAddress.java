package io.longrun.deliver;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * Where a URL sends: host, port (80/443 by default), TLS, and the path with its query. Parsed once per URL.
 * {@code server}, when set, is the socket the requests go to instead of host and port, which stay in their
 * Host header.
 */
public record TargetAddress(String host, int port, boolean ssl, String pathAndQuery, io.vertx.core.net.SocketAddress server) {
    public static TargetAddress of(String url) {
        URI u = URI.create(url);
        boolean ssl = "https".equalsIgnoreCase(u.getScheme());
        String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        return new TargetAddress(u.getHost(), u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80, ssl, path, null);
    }

    /**
     * This address's Host header and path, sent in plain HTTP to {@code sink}'s socket: the warm-up's requests
     * are then the run's, byte for byte up to the body (with a Host and path of their own, the client's encoder
     * sized its buffers for them, and the run's first request took a way of writing the warm-up had never
     * taken: about 2 ms of loading and interpreting, measured at a replay's first event).
     */
    TargetAddress via(TargetAddress sink) {
        return new TargetAddress(host, port, false, pathAndQuery, io.vertx.core.net.SocketAddress.inetSocketAddress(sink.port, sink.host));
    }

    RequestOptions options(HttpMethod method, long timeoutMillis) {
        return new RequestOptions().setMethod(method).setHost(host).setPort(port).setSsl(ssl).setURI(pathAndQuery)
                .setServer(server).setTimeout(timeoutMillis).setConnectTimeout(timeoutMillis);
    }
}
