package io.longrun.deliver;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/**
 * Where an event ended. Every event due ends in exactly one: accepted (2xx), rejected (any other status below
 * 500, by status), failed (5xx, a time-out or a connection error, by reason) or dropped (never sent).
 */
public enum Outcome {
    ACCEPTED, REJECTED, FAILED, DROPPED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of an HTTP status. */
    public static Outcome ofStatus(int status) {
        if (status >= 200 && status < 300) return ACCEPTED;
        if (status >= 500 || status <= 0) return FAILED;
        return REJECTED;
    }

    /** A short reason for a failure without a status: timeout, connect or the exception's simple name. */
    public static String reasonOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) return "timeout";
            if (t instanceof ConnectException || t.getClass().getSimpleName().contains("Connect")) return "connect";
            if (t.getCause() == null) return t.getClass().getSimpleName();
        }
        return "error";
    }
}
