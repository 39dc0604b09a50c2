package io.longrun.coord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A stable 64-bit key for a name: the first 8 bytes of its SHA-256 (advisory lock keys, folder names). */
final class LockKey {
    private LockKey() {}

    static long of(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** A file name for {@code name}: its safe characters, and a hash that keeps two names apart. */
    static String folder(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 80) safe = safe.substring(0, 80);
        return safe + "-" + Long.toHexString(of(name) >>> 32);
    }
}
