package io.longrun.run;

import io.longrun.runlog.Secrets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/** Checks made before a run starts, so that a typo in a URL is exit 2 at once and not an hour of failures. */
public final class Preflight {
    private Preflight() {}

    /** Opens and closes a TCP connection to the URL's host and port. */
    public static void reachable(String what, String url, Duration timeout) throws BadInput {
        URI u = URI.create(url);
        int port = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), (int) Math.min(timeout.toMillis(), 5000));
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new BadInput(what + " " + Secrets.maskUrl(url) + " is unreachable: " + why);
        }
    }
}
