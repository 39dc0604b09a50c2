package io.longrun.api.junit;

import io.longrun.api.Soak;
import io.longrun.api.SoakHandle;
import io.longrun.api.SoakResult;
import io.longrun.scenario.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link LongrunSoak}: it runs the annotated soak for a test method, injects its
 * {@link SoakHandle} or {@link SoakResult}, and fails the test with the reasons of a soak that did not pass (the
 * stop criteria that fired, the assertions that failed). Register it with {@code @LongrunSoak(...)} on a method or a
 * class, or with {@code @ExtendWith(LongrunExtension.class)} beside it.
 */
public final class LongrunExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LongrunExtension.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    /** Made by JUnit. */
    public LongrunExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> t = p.getParameter().getType();
        return t == SoakHandle.class || t == SoakResult.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        Running r = running(ctx, true);
        if (p.getParameter().getType() == SoakHandle.class) return r.handle;
        return r.result();
    }

    @Override
    public void afterEach(ExtensionContext ctx) throws Exception {
        Running r = running(ctx, false);
        if (r == null) r = running(ctx, true); // nothing asked for it: the soak runs after the test's body
        SoakResult result = r.result();
        if (r.spec.failOnVerdict() && !result.passed()) {
            StringBuilder why = new StringBuilder("soak " + r.handle.name() + ": " + result.verdict() + " (exit " + result.exitCode() + ")");
            for (String f : result.failures()) why.append("\n  - ").append(f);
            result.report().ifPresent(p -> why.append("\n  report: ").append(p));
            throw new AssertionError(why.toString());
        }
    }

    /** The soak of this test method, started now when {@code start} and not yet started. */
    private static Running running(ExtensionContext ctx, boolean start) {
        ExtensionContext.Store store = ctx.getStore(NS);
        Running r = store.get(ctx.getUniqueId(), Running.class);
        if (r != null || !start) return r;
        LongrunSoak spec = find(ctx).orElseThrow(() -> new ExtensionConfigurationException(
                "LongrunExtension: " + ctx.getDisplayName() + " has no @LongrunSoak on its method or class"));
        r = new Running(spec, soak(spec, ctx).start());
        store.put(ctx.getUniqueId(), r);
        return r;
    }

    private static Optional<LongrunSoak> find(ExtensionContext ctx) {
        for (Optional<? extends AnnotatedElement> e : java.util.List.of(ctx.getTestMethod(), ctx.getTestClass())) {
            if (e.isPresent() && e.get().isAnnotationPresent(LongrunSoak.class)) return Optional.of(e.get().getAnnotation(LongrunSoak.class));
        }
        return Optional.empty();
    }

    /** The soak as the annotation says, its run log and report in {@code target/longrun/<class>.<method>/}. */
    static Soak soak(LongrunSoak spec, ExtensionContext ctx) {
        Soak soak = Soak.fromFile(Path.of(resolve(spec.scenario(), "scenario")));
        if (!spec.targetUrl().isEmpty()) soak = soak.withTargetUrl(resolve(spec.targetUrl(), "targetUrl"));
        if (!spec.duration().isEmpty()) soak = soak.withDuration(duration(resolve(spec.duration(), "duration")));
        if (spec.seed() != Long.MIN_VALUE) soak = soak.withSeed(spec.seed());
        if (!spec.scenarioId().isEmpty()) soak = soak.withScenarioId(resolve(spec.scenarioId(), "scenarioId"));
        if (!spec.shard().isEmpty()) {
            io.longrun.shard.Shard shard = parsed(() -> io.longrun.shard.Shard.parse(resolve(spec.shard(), "shard")), "shard");
            soak = soak.withShard(shard.index(), shard.count());
        }
        if (!spec.startAt().isEmpty())
            soak = soak.withStartAt(parsed(() -> io.longrun.run.ShardedRun.startAt(resolve(spec.startAt(), "startAt")), "startAt"));
        String test = ctx.getRequiredTestClass().getSimpleName() + ctx.getTestMethod().map(m -> "." + m.getName()).orElse("");
        Path dir = Path.of("target", "longrun", test);
        clear(dir);
        return soak.withLogFile(dir.resolve("run.jsonl"));
    }

    /** A value read as the command line reads its flag; its error in the same words, naming the attribute. */
    private static <T> T parsed(java.util.function.Supplier<T> read, String attribute) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@LongrunSoak " + attribute + ": " + e.getMessage());
        }
    }

    private static java.time.Duration duration(String text) {
        return Durations.parse(text).orElseThrow(() ->
                new ExtensionConfigurationException("@LongrunSoak duration: not a duration: \"" + text + "\" (write 10s, 5m, 1h)"));
    }

    /** {@code ${name}} replaced by the system property, else the environment variable, of that name. */
    static String resolve(String text, String attribute) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = Optional.ofNullable(System.getProperty(name)).orElseGet(() -> System.getenv(name));
            if (v == null)
                throw new ExtensionConfigurationException("@LongrunSoak " + attribute + ": ${" + name + "} is neither a system property nor an environment variable");
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** An earlier run's files of the same test go: the run log is this run's alone. */
    private static void clear(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A soak started for one test method; JUnit closes it (stopping the run if it still runs) when the test ends. */
    private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final LongrunSoak spec;
        final SoakHandle handle;

        Running(LongrunSoak spec, SoakHandle handle) {
            this.spec = spec;
            this.handle = handle;
        }

        SoakResult result() {
            try {
                return handle.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ParameterResolutionException("interrupted while the soak ran", e);
            }
        }

        @Override
        public void close() throws Exception {
            handle.close();
        }
    }
}
