package io.longrun.fault;

import java.util.Locale;

/** A link's direction, in Toxiproxy's words: upstream is client to server, downstream is server to client. */
public enum Direction {
    UPSTREAM, DOWNSTREAM;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction named, or null. */
    public static Direction of(String s) {
        for (Direction d : values()) if (d.json().equals(s)) return d;
        return null;
    }
}
