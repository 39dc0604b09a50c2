package io.longrun.generate;

import io.longrun.random.SplitMix;
import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A user-written {@link io.longrun.api.EventFormat} as one more format kind. A scenario names it as
 * {@code class:NAME} internally; the class is looked up in {@link #classLoader()}, which {@code --classpath} extends.
 */
public final class UserFormat implements EventFormat {
    /** The internal format name of a user class: this prefix and the class name. */
    public static final String PREFIX = "class:";
    /** The internal format name of an instance given in code ({@code Emitter.format(instance)}): this prefix and its id. */
    public static final String INSTANCE = "instance:";
    private static final Map<String, io.longrun.api.EventFormat> INSTANCES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    private static volatile ClassLoader loader;

    private final io.longrun.api.EventFormat format;
    private final String[] phases;
    private final double[] starts;

    public UserFormat(io.longrun.api.EventFormat format, Map<String, Double> phaseStarts) {
        this.format = format;
        this.phases = phaseStarts.keySet().toArray(String[]::new);
        this.starts = phaseStarts.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Where user classes are looked up: {@code --classpath}'s loader once set, else longrun's own. */
    public static ClassLoader classLoader() {
        ClassLoader l = loader;
        return l != null ? l : UserFormat.class.getClassLoader();
    }

    /** Adds these jars and folders (a {@code :}-separated path) to where user classes are looked up. */
    public static void addClasspath(String path) {
        java.util.List<java.net.URL> urls = new java.util.ArrayList<>();
        for (String p : path.split(java.io.File.pathSeparator)) {
            if (p.isBlank()) continue;
            try {
                urls.add(java.nio.file.Path.of(p).toAbsolutePath().toUri().toURL());
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException("--classpath: not a path: " + p);
            }
        }
        loader = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), classLoader());
    }

    /** Keeps an instance given in code for the runs that name its id (as {@code format: { instance: ID }}). */
    public static String register(io.longrun.api.EventFormat format) {
        String id = format.getClass().getName() + "#" + IDS.incrementAndGet();
        INSTANCES.put(id, format);
        return id;
    }

    /**
     * The user format an internal format name stands for, configured with the scenario's options when it is a class
     * (an instance given in code is not); an IllegalArgumentException says why there is none.
     */
    public static io.longrun.api.EventFormat resolve(String format, Map<String, Object> options) {
        io.longrun.api.EventFormat f = resolve(format);
        if (format.startsWith(PREFIX)) configure(f, options);
        return f;
    }

    /** Gives a class's instance its options; an IllegalArgumentException says, in the user's words, what is wrong. */
    public static void configure(io.longrun.api.EventFormat f, Map<String, Object> options) {
        try {
            f.configure(options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.getClass().getName() + ": " + (e.getMessage() == null ? "refused its options" : e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalArgumentException(f.getClass().getName() + "'s configure failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Whether this internal format name is a user format's. */
    public static boolean isUser(String format) {
        return format.startsWith(PREFIX) || format.startsWith(INSTANCE);
    }

    /** The user format an internal format name stands for; an IllegalArgumentException says why there is none. */
    public static io.longrun.api.EventFormat resolve(String format) {
        if (format.startsWith(PREFIX)) return instantiate(format.substring(PREFIX.length()));
        io.longrun.api.EventFormat f = INSTANCES.get(format.substring(INSTANCE.length()));
        if (f == null) throw new IllegalArgumentException("no format instance " + format.substring(INSTANCE.length()) + " in this JVM");
        return f;
    }

    /** The class of the user format that {@link java.util.ServiceLoader} finds under this {@code name()}, if any. */
    public static java.util.Optional<String> byName(String name) {
        for (io.longrun.api.EventFormat f : java.util.ServiceLoader.load(io.longrun.api.EventFormat.class, classLoader()))
            if (name.equals(f.name())) return java.util.Optional.of(f.getClass().getName());
        return java.util.Optional.empty();
    }

    /** Makes the named class's instance; an IllegalArgumentException says, in the user's words, why it cannot. */
    public static io.longrun.api.EventFormat instantiate(String className) {
        Class<?> c;
        try {
            c = Class.forName(className, true, classLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("no class " + className + " on the classpath (--classpath adds jars and folders)");
        }
        if (!io.longrun.api.EventFormat.class.isAssignableFrom(c))
            throw new IllegalArgumentException(className + " does not implement io.longrun.api.EventFormat");
        try {
            return (io.longrun.api.EventFormat) c.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException(className + " has no public no-arg constructor");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable t = e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e;
            throw new IllegalArgumentException(className + "'s constructor failed: " + t);
        }
    }

    @Override
    public String contentType() {
        return format.contentType();
    }

    /** The user's class name, as reported with its errors. */
    public String className() {
        return format.getClass().getName();
    }

    /** The user's render threw, or returned null: the event fails with reason {@code format}. */
    public static final class Failure extends RuntimeException {
        private final String className;

        Failure(String className, String message) {
            super(message, null, false, false);
            this.className = className;
        }

        public String className() {
            return className;
        }
    }

    @Override
    public byte[] render(EventContext c) {
        byte[] body;
        try {
            body = format.render(new Context(c));
        } catch (RuntimeException | LinkageError e) {
            String m = e.getMessage();
            throw new Failure(className(), e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
        }
        if (body == null) throw new Failure(className(), "render returned null");
        return body;
    }

    private final class Context implements io.longrun.api.EventFormat.Context {
        private final EventContext c;

        Context(EventContext c) {
            this.c = c;
        }

        @Override
        public RandomGenerator random() {
            SplitMix.Stream s = c.random();
            return s::nextLong;
        }

        @Override
        public long seq() {
            return c.seq();
        }

        @Override
        public Instant time() {
            return c.due();
        }

        @Override
        public double elapsed() {
            return c.elapsed();
        }

        @Override
        public String emitter() {
            return c.emitter();
        }

        @Override
        public String phase() {
            String p = "";
            for (int i = 0; i < starts.length; i++) if (c.elapsed() >= starts[i]) p = phases[i];
            return p;
        }
    }
}
