package io.longrun.coord;

import io.longrun.runlog.Secrets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the shards of one run meet ({@code --coordinate URL}): a folder every shard can reach ({@code file:/shared/dir},
 * one host or a shared volume), or a PostgreSQL database ({@code jdbc:postgresql://host:5432/db}, the user and password
 * from {@code PGUSER} / {@code PGPASSWORD} or the URL). The leader's lock, each shard's outcome counters and the
 * run-wide abort are kept there.
 */
public record Coordinate(Kind kind, String location) {
    public enum Kind {
        FILE("file"), POSTGRES("postgresql");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** As run logs name it. */
        public String key() {
            return key;
        }
    }

    /**
     * Reads {@code --coordinate}'s value.
     *
     * @throws IllegalArgumentException with the user's words: what is wrong and what to write instead
     */
    public static Coordinate parse(String url) {
        String u = url == null ? "" : url.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            String dir = u.substring("file:".length());
            if (dir.startsWith("//")) dir = dir.substring(2); // file:///shared/dir
            if (dir.isBlank())
                throw new IllegalArgumentException("'" + url + "': a file: coordinate names a folder every shard can reach, e.g. file:/shared/longrun");
            return new Coordinate(Kind.FILE, dir);
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            if (u.length() <= "jdbc:postgresql:".length() + 1)
                throw new IllegalArgumentException("'" + Secrets.maskUrl(url) + "': name the database, e.g. jdbc:postgresql://db:5432/longrun");
            return new Coordinate(Kind.POSTGRES, u);
        }
        throw new IllegalArgumentException("'" + Secrets.maskUrl(url) + "': not a coordination store; write file:/shared/dir (one host or a "
                + "shared volume) or jdbc:postgresql://host:5432/db (the user and password from PGUSER and PGPASSWORD)");
    }

    /** The folder of a file: coordinate, resolved against {@code workDir} when relative. */
    public Path folder(Path workDir) {
        return workDir.resolve(location).toAbsolutePath().normalize();
    }

    /** As logs and the console may show it: a password in the URL masked. */
    @Override
    public String toString() {
        return kind == Kind.FILE ? "file:" + location : Secrets.maskUrl(location);
    }
}
