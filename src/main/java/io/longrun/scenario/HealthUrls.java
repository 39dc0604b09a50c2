package io.longrun.scenario;

import io.longrun.runlog.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the health checks go when {@code --target-url} replaces the file's {@code target.url}. A file's health_url on the
 * same origin as its target.url (scheme, host, port: the same service) moves to the new target's origin, keeping its
 * path; one on another origin (a separate health service) stays, with a warning. An explicit {@code --health-url} wins.
 */
public final class HealthUrls {
    /** How the health URL relates to a {@code --target-url} that replaced the file's target.url. */
    public enum Follow {
        /** As the file or {@code --health-url} gave it. */
        AS_GIVEN,
        /** Moved to the new target's origin. */
        MOVED,
        /** Kept on another host than the new target. */
        OTHER_HOST
    }

    /** The health URL to use, and how it was chosen. */
    public record Choice(Optional<String> url, Follow follow) {}

    private HealthUrls() {}

    /**
     * @param fileTarget the file's target.url (empty when the file has none)
     * @param fileHealth the file's target.health_url
     * @param flagTarget {@code --target-url}
     * @param flagHealth {@code --health-url}
     */
    public static Choice choose(Optional<String> fileTarget, Optional<String> fileHealth, Optional<String> flagTarget, Optional<String> flagHealth) {
        if (flagHealth.isPresent()) return new Choice(flagHealth, Follow.AS_GIVEN);
        if (flagTarget.isEmpty() || fileTarget.isEmpty() || fileHealth.isEmpty()) return new Choice(fileHealth, Follow.AS_GIVEN);
        Optional<URI> target = uri(fileTarget.get()), health = uri(fileHealth.get()), next = uri(flagTarget.get());
        if (target.isEmpty() || health.isEmpty() || next.isEmpty()) return new Choice(fileHealth, Follow.AS_GIVEN); // the URL's own problem is reported
        if (origin(health.get()).equals(origin(next.get()))) return new Choice(fileHealth, Follow.AS_GIVEN); // already where the target is
        if (!origin(health.get()).equals(origin(target.get()))) return new Choice(fileHealth, Follow.OTHER_HOST);
        URI h = health.get(), n = next.get();
        String moved = n.getScheme() + "://" + n.getRawAuthority() + (h.getRawPath() == null ? "" : h.getRawPath())
                + (h.getRawQuery() == null ? "" : "?" + h.getRawQuery());
        return new Choice(Optional.of(moved), Follow.MOVED);
    }

    /** What the start line says about a health check that moved: {@code health: URL (moved with --target-url)}. */
    public static Optional<String> moved(Scenario.Target t) {
        return t.healthFollow() != Follow.MOVED ? Optional.empty()
                : Optional.of("health: " + t.healthUrl().map(Secrets::maskUrl).orElse("") + " (moved with --target-url)");
    }

    /** The warning for a health check left on another host than {@code --target-url}. */
    public static Optional<String> warning(Scenario.Target t) {
        if (t.healthFollow() != Follow.OTHER_HOST) return Optional.empty();
        String health = t.healthUrl().map(Secrets::maskUrl).orElse("");
        return Optional.of("warning: target.health_url " + health + " and --target-url " + Secrets.maskUrl(t.url())
                + " point at different hosts: the health checks stay on " + health + " (--health-url moves them)");
    }

    /** Scheme, host and port, the default port written out: http://Host/ and http://host:80/ are one origin. */
    static String origin(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static Optional<URI> uri(String text) {
        try {
            URI u = new URI(text);
            return u.getScheme() == null || u.getHost() == null ? Optional.empty() : Optional.of(u);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
