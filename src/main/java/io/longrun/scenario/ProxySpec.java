package io.longrun.scenario;

/**
 * A TCP proxy in the path of the traffic: it listens on {@code listen} and forwards each connection to
 * {@code upstream}. Faults name it. Both addresses are {@code host:port} (an IPv6 host in brackets).
 */
public record ProxySpec(String name, String listen, String upstream) {
    public String listenHost() {
        return host(listen);
    }

    public int listenPort() {
        return port(listen);
    }

    public String upstreamHost() {
        return host(upstream);
    }

    public int upstreamPort() {
        return port(upstream);
    }

    /** The host of {@code host:port}, without IPv6 brackets. */
    public static String host(String address) {
        String h = address.substring(0, address.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    public static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Why a text is not {@code host:port} with a port in [minPort, 65535], or null when it is one. */
    public static String addressProblem(String address, int minPort) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) return "must be host:port, e.g. 127.0.0.1:15432, got \"" + address + "\"";
        String host = address.substring(0, colon), port = address.substring(colon + 1);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]")))
            return "an IPv6 host goes in brackets, e.g. [::1]:15432, got \"" + address + "\"";
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < minPort || Integer.parseInt(port) > 65535)
            return "the port must be a number from " + minPort + " to 65535, got \"" + port + "\"";
        return null;
    }
}
