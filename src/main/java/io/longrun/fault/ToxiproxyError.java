package io.longrun.fault;

/** Toxiproxy answered a call with an error status: the status and its {@code error} text. */
public final class ToxiproxyError extends FaultException {
    public final int status;
    public final String error;

    ToxiproxyError(String where, int status, String error) {
        super(where + ": " + status + " " + error);
        this.status = status;
        this.error = error;
    }
}
