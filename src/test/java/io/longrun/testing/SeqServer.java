package io.longrun.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real HTTP server on a free port that answers 200 to every request and keeps each body by its {@code "seq"} field. */
public final class SeqServer implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private final HttpServer server;
    /** The bodies it got, by their "seq" field. */
    public final Map<Long, String> received = new ConcurrentSkipListMap<>();

    private SeqServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = SEQ.matcher(body);
            if (m.find()) received.put(Long.parseLong(m.group(1)), body);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    public static SeqServer start() throws IOException {
        return new SeqServer();
    }

    /** {@code http://127.0.0.1:PORT} */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
