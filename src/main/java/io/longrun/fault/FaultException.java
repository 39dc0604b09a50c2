package io.longrun.fault;

/** A fault could not be applied, confirmed or removed, or a proxy could not start: said in the user's words. */
public class FaultException extends Exception {
    public FaultException(String message) {
        super(message);
    }

    public FaultException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Our own message if there is one in the chain, else the root cause's, without Java class names. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (!(root instanceof ApiError || root instanceof FaultException) && root.getCause() != null && root.getCause() != root)
            root = root.getCause();
        String m = root.getMessage();
        if (m == null || m.isBlank()) return "failed";
        m = m.replaceAll("^[a-z]+(\\.[a-z]+)+\\.[A-Z][A-Za-z]*: ", "");
        if (m.contains("Address already in use")) return "address already in use";
        if (m.contains("Connection refused")) return "connection refused";
        return m.split("\n")[0];
    }
}
