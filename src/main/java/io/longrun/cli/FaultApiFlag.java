package io.longrun.cli;

import io.longrun.run.BadInput;
import io.longrun.reference.TargetServer.FaultApiAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code longrun target --fault-api HOST:PORT|PORT|off}: where the runtime fault API listens. Not given, it is
 * {@link #DEFAULT}, and left off with a warning when that port is taken (so that two targets on one machine both
 * start); given, a port that is taken is an error.
 */
record FaultApiFlag(Optional<FaultApiAddress> address, Optional<String> warning) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8001;
    static final String DEFAULT = DEFAULT_HOST + ":" + DEFAULT_PORT;

    static FaultApiFlag parse(String flag) throws BadInput {
        if (flag == null) {
            if (free(DEFAULT_HOST, DEFAULT_PORT)) return new FaultApiFlag(Optional.of(new FaultApiAddress(DEFAULT_HOST, DEFAULT_PORT)), Optional.empty());
            return new FaultApiFlag(Optional.empty(),
                    Optional.of("the fault API is off: " + DEFAULT + " is in use (give another with --fault-api HOST:PORT, or --fault-api off)"));
        }
        String v = flag.trim();
        if (v.toLowerCase(Locale.ROOT).equals("off")) return new FaultApiFlag(Optional.empty(), Optional.empty());
        int colon = v.lastIndexOf(':');
        String host = colon < 0 ? DEFAULT_HOST : v.substring(0, colon).trim();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        Integer port = null;
        try {
            port = Integer.parseInt(v.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            // said below
        }
        if (host.isEmpty() || port == null || port < 0 || port > 65535)
            throw new BadInput("--fault-api must be HOST:PORT, PORT (on 127.0.0.1) or off, e.g. --fault-api 127.0.0.1:8001; got \"" + flag + "\"");
        return new FaultApiFlag(Optional.of(new FaultApiAddress(host, port)), Optional.empty());
    }

    private static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
