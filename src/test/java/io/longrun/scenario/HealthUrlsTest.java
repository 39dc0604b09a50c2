package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.HealthUrls.Follow;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where the health checks go when --target-url replaces the file's target.url: the origin rule. */
class HealthUrlsTest {
    static Optional<String> opt(String s) {
        return Optional.ofNullable(s);
    }

    @ParameterizedTest(name = "[{index}] {0} + {1}, --target-url {2}, --health-url {3} -> {4} {5}")
    @CsvSource(nullValues = "-", value = {
        // file target.url,            file health_url,                   --target-url,               --health-url,         health used,                     how
        // the README's example: the same service, so its health check moves with it, path and query kept
        "http://127.0.0.1:8000/event,  http://127.0.0.1:8000/health?deep=1, http://staging:8000/event, -,                    http://staging:8000/health?deep=1, MOVED",
        // an origin is scheme, host and port: a default port written out or not, a host in capitals, are the same origin
        "http://svc/event,             http://svc:80/health,              https://new/event,          -,                    https://new/health,              MOVED",
        "http://SVC:8000/e,            http://svc:8000/ready,             http://other:9/e,           -,                    http://other:9/ready,            MOVED",
        "http://[::1]:8000/event,      http://[::1]:8000/health,          http://[::2]:9000/event,    -,                    http://[::2]:9000/health,        MOVED",
        // a health service of its own (another host, port or scheme) stays, with a warning
        "http://app:8000/event,        http://mon:9000/health,            http://staging:8000/event,  -,                    http://mon:9000/health,          OTHER_HOST",
        "http://h:8000/event,          http://h:8001/health,              http://staging:8000/event,  -,                    http://h:8001/health,            OTHER_HOST",
        "https://h/event,              http://h/health,                   https://staging/event,      -,                    http://h/health,                 OTHER_HOST",
        // ... unless the new target is on the health check's origin: then they agree
        "http://app:8000/event,        http://mon:9000/health,            http://mon:9000/event,      -,                    http://mon:9000/health,          AS_GIVEN",
        // the same origin as before, another path: nothing to move
        "http://h:8000/event,          http://h:8000/health,              http://h:8000/v2/event,     -,                    http://h:8000/health,            AS_GIVEN",
        // an explicit --health-url always wins
        "http://127.0.0.1:8000/event,  http://127.0.0.1:8000/health,      http://staging:8000/event,  http://mon:1/ok,      http://mon:1/ok,                 AS_GIVEN",
        // no --target-url, no health_url, or no target.url in the file (the environment gives it): as the file says
        "http://127.0.0.1:8000/event,  http://127.0.0.1:8000/health,      -,                          -,                    http://127.0.0.1:8000/health,    AS_GIVEN",
        "http://127.0.0.1:8000/event,  -,                                 http://staging:8000/event,  -,                    -,                               AS_GIVEN",
        "-,                            http://127.0.0.1:8000/health,      http://staging:8000/event,  -,                    http://127.0.0.1:8000/health,    AS_GIVEN",
    })
    void theHealthCheckFollowsTheTargetWhenTheyShareAnOrigin(String fileTarget, String fileHealth, String flagTarget, String flagHealth,
                                                             String expected, Follow follow) {
        HealthUrls.Choice c = HealthUrls.choose(opt(fileTarget), opt(fileHealth), opt(flagTarget), opt(flagHealth));
        assertThat(c.url()).isEqualTo(opt(expected));
        assertThat(c.follow()).isEqualTo(follow);
    }
}
