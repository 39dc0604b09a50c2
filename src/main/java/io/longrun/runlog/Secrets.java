package io.longrun.runlog;

import java.util.regex.Pattern;

/**
 * Masks secrets in texts that reach logs, run logs and reports: the password of a URL's user info, and the
 * values of query parameters whose names say they are secret (password, token, secret, key, auth, signature).
 */
public final class Secrets {
    public static final String MASK = "***";
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:?#]*:)[^/@?#]*@");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;](?:[a-z0-9_.-]*(?:password|passwd|pwd|token|secret|apikey|api_key|key|auth|signature|sig)[a-z0-9_.-]*)=)[^&;#]*");

    private Secrets() {}

    private static final Pattern SECRET_HEADER = Pattern.compile("(?i).*(authorization|token|secret|password|api-?key|cookie|signature).*");

    /** A header's value as logs may show it: masked when the header's name says it holds a secret. */
    public static String maskHeader(String name, String value) {
        return SECRET_HEADER.matcher(name).matches() ? MASK : value;
    }

    public static String maskUrl(String url) {
        if (url == null) return null;
        String s = USERINFO.matcher(url).replaceAll("$1" + MASK + "@");
        return SECRET_PARAM.matcher(s).replaceAll("$1" + MASK);
    }
}
