package io.longrun.api.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a soak for a test, against a service the test started: the scenario file, with what flags would override.
 * The test asks for a {@link io.longrun.api.SoakHandle} (the soak starts and the test runs beside it; its end is
 * awaited after the test) or a {@link io.longrun.api.SoakResult} (the soak runs to its end first); with neither, the
 * soak runs after the test's body. A stop criterion that fired or an assertion that failed fails the test with its
 * reason. The run log and the report go to {@code target/longrun/<class>.<method>/}.
 *
 * <p>Text attributes may name a system property or an environment variable as {@code ${name}}, for values the test
 * learns at run time (the port its service bound).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(LongrunExtension.class)
public @interface LongrunSoak {
    /** The scenario file, from the working folder (a Maven project's base folder). */
    String scenario();

    /** Posts to this URL instead of the scenario's {@code target.url} (as {@code --target-url}); empty: the scenario's. */
    String targetUrl() default "";

    /** Runs this long instead of the scenario's duration (as {@code --duration}: {@code 10s}, {@code 5m}); empty: the scenario's. */
    String duration() default "";

    /** The seed (as {@code --seed}); {@link Long#MIN_VALUE}: the scenario's. */
    long seed() default Long.MIN_VALUE;

    /** The scenario id sent as {@code X-Scenario-Id} (as {@code --scenario-id}); empty: the run id. */
    String scenarioId() default "";

    /** Sends only this shard of the schedule (as {@code --shard I/N}: {@code "1/3"}); empty: the whole schedule. */
    String shard() default "";

    /** Starts the schedule at this UTC time (as {@code --start-at}: {@code "2026-11-30T18:30:00Z"}); empty: when ready. */
    String startAt() default "";

    /** Whether a soak that did not pass (exit code other than 0) fails the test; default true. */
    boolean failOnVerdict() default true;
}
