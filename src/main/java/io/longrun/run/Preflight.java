package io.longrun.run;

import io.longrun.runlog.Secrets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import io.longrun.deliver.HttpSink;
import java.time.Duration;

/** Checks made before a run starts, so that a typo in a URL is exit 2 at once and not an hour of failures. */
public final class Preflight {
    private Preflight() {}

    /** Opens and closes a TCP connection to the URL's host and port. */
    public static void reachable(String what, String url, Duration timeout) throws BadInput {
        io.longrun.deliver.TargetAddress e = io.longrun.deliver.TargetAddress.of(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(e.host(), e.port()), (int) Math.min(timeout.toMillis(), 5000));
        } catch (IOException x) {
            String why = x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage();
            throw new BadInput(what + " " + Secrets.maskUrl(url) + " is unreachable: " + why);
        }
    }
}
