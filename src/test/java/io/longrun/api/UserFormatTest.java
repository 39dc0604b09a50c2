package io.longrun.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.longrun.testing.Cli;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User-written formats, from the Java API and from YAML with --classpath, against a real HTTP server. */
class UserFormatTest {
    @TempDir
    Path dir;

    private io.longrun.testing.SeqServer server;
    private String base;
    /** The bodies the server got, by their "seq" field. */
    private Map<Long, String> received;

    /** Renders seq and a seeded draw; records what it rendered. */
    static final class Trades implements EventFormat {
        final Map<Long, String> rendered = new ConcurrentHashMap<>();
        final int failEvery;

        Trades(int failEvery) {
            this.failEvery = failEvery;
        }

        @Override
        public byte[] render(Context c) {
            if (failEvery > 0 && c.seq() % failEvery == failEvery - 1) throw new IllegalStateException("no price for " + c.seq());
            String body = "{\"seq\":" + c.seq() + ",\"price\":" + c.random().nextInt(1000) + ",\"emitter\":\"" + c.emitter() + "\"}";
            if (c.seq() >= 0) rendered.put(c.seq(), body);
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void server() throws Exception {
        server = io.longrun.testing.SeqServer.start();
        base = server.base();
        received = server.received;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SoakResult run(EventFormat f, String name) throws Exception {
        return Soak.scenario(name).target(base + "/event").duration(Duration.ofSeconds(2))
                .emitter(Emitter.named("trades").rate(50).format(f))
                .healthUrl(base + "/health").seed(7).build().withRunsDir(dir).withScenarioId("fmt").runFor(Duration.ofSeconds(60));
    }

    @Test
    void theServerGetsWhatTheFormatRenderedAndTheSameSeedGivesTheSameBodies() throws Exception {
        Trades first = new Trades(0);
        SoakResult r = run(first, "fmt-a");
        assertThat(r.total().accepted()).isPositive().isEqualTo(r.total().sent());
        assertThat(received).isEqualTo(new TreeMap<>(first.rendered));
        Map<Long, String> firstBodies = new TreeMap<>(received);
        received.clear();
        Trades second = new Trades(0);
        run(second, "fmt-b");
        assertThat(received.keySet()).isNotEmpty();
        for (Long seq : received.keySet())
            if (firstBodies.containsKey(seq)) assertThat(received.get(seq)).isEqualTo(firstBodies.get(seq));
        assertThat(received.keySet()).containsAnyElementsOf(firstBodies.keySet());
    }

    @Test
    void aFormatThatThrowsFailsItsEventsWithReasonFormatAndTheRunGoesOn() throws Exception {
        SoakResult r = run(new Trades(10), "fmt-throws");
        assertThat(r.verdict()).isEqualTo("completed");
        assertThat(r.total().sent()).isGreaterThanOrEqualTo(50);
        assertThat(r.total().failed()).isEqualTo(r.total().sent() / 10);
        assertThat(r.total().accepted()).isEqualTo(r.total().sent() - r.total().failed());
        String end = Files.readAllLines(r.runLog()).stream().filter(l -> l.contains("\"type\":\"run.end\"")).findFirst().orElseThrow();
        assertThat(end).contains("\"format_errors\"").contains(Trades.class.getName()).contains("no price for")
                .contains("\"count\":" + r.total().failed()).contains("\"format\":" + r.total().failed());
    }

    private Path compile(String cls, String source) throws Exception {
        Path src = dir.resolve("src/" + cls.replace('.', '/') + ".java"), out = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(out);
        Files.writeString(src, source);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-cp", System.getProperty("java.class.path"), "-d", out.toString(), src.toString());
        assertThat(rc).isZero();
        return out;
    }

    private Path scenario(String format) throws Exception {
        Path s = dir.resolve("s.yaml");
        Files.writeString(s, "name: user-format\nduration: 2s\nseed: 5\ntarget: { url: \"" + base + "/event\", health_url: \"" + base + "/health\" }\n"
                + "emitters:\n  - name: trades\n    rate: 40\n    format: " + format + "\n");
        return s;
    }

    @Test
    void aClassCompiledAtTestTimeRunsFromTheCommandLineWithClasspath() throws Exception {
        Path classes = compile("com.acme.TradeEvents", """
                package com.acme;
                public class TradeEvents implements io.longrun.api.EventFormat {
                    public String contentType() { return "application/x-trade"; }
                    public byte[] render(Context c) {
                        return ("{\\"seq\\":" + c.seq() + ",\\"qty\\":" + c.random().nextInt(100) + "}").getBytes();
                    }
                }
                """);
        Path s = scenario("{ class: com.acme.TradeEvents }");
        Cli.Result r = new Cli(dir).run("run", s.toString(), "--classpath", classes.toString(), "--log-file", dir.resolve("a.jsonl").toString(),
                "--metrics-port", "0", "--quiet");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(received).isNotEmpty();
        assertThat(received.values()).allMatch(b -> b.matches("\\{\"seq\":\\d+,\"qty\":\\d+\\}"));
        Map<Long, String> first = new TreeMap<>(received);
        received.clear();
        r = new Cli(dir).run("run", s.toString(), "--classpath", classes.toString(), "--log-file", dir.resolve("b.jsonl").toString(),
                "--metrics-port", "0", "--quiet");
        assertThat(r.code()).as(r.all()).isZero();
        for (Long seq : received.keySet()) if (first.containsKey(seq)) assertThat(received.get(seq)).isEqualTo(first.get(seq));
    }

    @Test
    void badClassesAreNamedWithTheirLineAndExit2() throws Exception {
        Path classes = compile("com.acme.NotAFormat", "package com.acme; public class NotAFormat {}");
        compile("com.acme.NeedsArgs", """
                package com.acme;
                public class NeedsArgs implements io.longrun.api.EventFormat {
                    public NeedsArgs(int x) {}
                    public byte[] render(Context c) { return new byte[0]; }
                }
                """);
        for (List<String> c : List.of(
                List.of("com.acme.Missing", "emitters[0].format.class: no class com.acme.Missing on the classpath (--classpath"),
                List.of("com.acme.NotAFormat", "emitters[0].format.class: com.acme.NotAFormat does not implement io.longrun.api.EventFormat"),
                List.of("com.acme.NeedsArgs", "emitters[0].format.class: com.acme.NeedsArgs has no public no-arg constructor"))) {
            Path s = scenario("{ class: " + c.get(0) + " }");
            Cli.Result r = new Cli(dir).run("validate", s.toString(), "--classpath", classes.toString());
            assertThat(r.code()).as(r.all()).isEqualTo(2);
            assertThat(r.all()).contains("s.yaml:8: " + c.get(1)).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    private static final String PRICED = """
            package com.acme;
            public class Priced implements io.longrun.api.EventFormat {
                private volatile String currency = "USD";
                public java.util.Set<String> options() { return java.util.Set.of("currency", "spread"); }
                public void configure(java.util.Map<String, Object> o) {
                    Object c = o.getOrDefault("currency", "USD");
                    if (!(c instanceof String s) || s.length() != 3) throw new IllegalArgumentException("currency: a 3-letter code, got " + c);
                    currency = s;
                }
                public byte[] render(Context c) {
                    return ("{\\"seq\\":" + c.seq() + ",\\"currency\\":\\"" + currency + "\\"}").getBytes();
                }
            }
            """;

    @Test
    void aFormatsDeclaredOptionsReachItAndAnyOtherKeyIsBadInputNamingTheFormat() throws Exception {
        Path classes = compile("com.acme.Priced", PRICED);
        compile("com.acme.Plain", """
                package com.acme;
                public class Plain implements io.longrun.api.EventFormat {
                    public byte[] render(Context c) { return ("{\\"seq\\":" + c.seq() + "}").getBytes(); }
                }
                """);
        Path s = scenario("{ class: com.acme.Priced, currency: EUR }");
        Cli.Result r = new Cli(dir).run("run", s.toString(), "--classpath", classes.toString(), "--log-file", dir.resolve("o.jsonl").toString(),
                "--metrics-port", "0", "--quiet");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(received.values()).isNotEmpty().allMatch(b -> b.contains("\"currency\":\"EUR\""));

        for (List<String> c : List.of(
                List.of("{ class: com.acme.Priced, curency: EUR }",
                        "s.yaml:8: emitters[0].format.curency: unknown key; com.acme.Priced takes currency, spread"),
                List.of("{ class: com.acme.Plain, currency: EUR }",
                        "s.yaml:8: emitters[0].format.currency: unknown key; com.acme.Plain takes no options (its options() declares none)"),
                List.of("{ class: com.acme.Priced, currency: 12 }",
                        "s.yaml:8: emitters[0].format: com.acme.Priced: currency: a 3-letter code, got 12"))) {
            Cli.Result v = new Cli(dir).run("validate", scenario(c.get(0)).toString(), "--classpath", classes.toString());
            assertThat(v.code()).as(v.all()).isEqualTo(2);
            assertThat(v.all()).contains(c.get(1)).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aResumedRunLooksItsFormatUpOnTheClasspathItIsGiven() throws Exception {
        // a class no other test compiles: the resume runs in a JVM of its own, where only --classpath can find it
        Path classes = compile("com.acme.ResumedTrades", """
                package com.acme;
                public class ResumedTrades implements io.longrun.api.EventFormat {
                    public byte[] render(Context c) { return ("{\\"seq\\":" + c.seq() + "}").getBytes(); }
                }
                """);
        Path s = scenario("{ class: com.acme.ResumedTrades }");
        Path log = dir.resolve("run-1/run.jsonl");
        Cli.Result r = new Cli(dir).run("run", s.toString(), "--classpath", classes.toString(), "--log-file", log.toString(), "--metrics-port", "0",
                "--quiet");
        assertThat(r.code()).as(r.all()).isZero();
        // as if its runner had been killed before it wrote run.end
        Files.write(log, Files.readAllLines(log).stream().filter(l -> !l.contains("\"type\":\"run.end\"")).toList());

        try (io.longrun.testing.LongrunProcess without = io.longrun.testing.LongrunProcess.start(dir, "UTC",
                List.of("resume", log.getParent().toString(), "--metrics-port", "0", "--quiet"))) {
            assertThat(without.waitFor(Duration.ofSeconds(60))).as(without.stderr()).isEqualTo(2);
            assertThat(without.stderr()).contains("no class com.acme.ResumedTrades on the classpath (--classpath");
        }
        try (io.longrun.testing.LongrunProcess with = io.longrun.testing.LongrunProcess.start(dir, "UTC",
                List.of("resume", log.getParent().toString(), "--classpath", classes.toString(), "--metrics-port", "0", "--quiet"))) {
            assertThat(with.waitFor(Duration.ofSeconds(60))).as(with.stdout() + with.stderr()).isZero();
        }
        assertThat(Files.readAllLines(log).stream().filter(l -> l.contains("\"type\":\"run.end\""))).hasSize(1);
    }
}
