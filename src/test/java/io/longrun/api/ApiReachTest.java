package io.longrun.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.testing.SeqServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line reaches, reached from code: a shard and a start time ({@code --shard}, {@code --start-at}),
 * value profiles on a template; and a user format's {@code time()}, which is the event's due time by the schedule.
 * Against a real HTTP server.
 */
class ApiReachTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SeqServer server;
    private String base;


    /** Renders the event's seq, its time() and its elapsed(). */
    static final class Stamped implements EventFormat {
        @Override
        public byte[] render(Context c) {
            return ("{\"seq\":" + c.seq() + ",\"time\":\"" + c.time() + "\",\"elapsed\":" + c.elapsed() + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void server() throws Exception {
        server = SeqServer.start();
        base = server.base();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The bodies the server got, by their "seq" field, as JSON. */
    private Map<Long, JsonNode> received() throws Exception {
        Map<Long, JsonNode> out = new java.util.TreeMap<>();
        for (Map.Entry<Long, String> e : server.received.entrySet()) out.put(e.getKey(), JSON.readTree(e.getValue()));
        return out;
    }

    private ScenarioBuilder scenario(String name, Emitter e) {
        return Soak.scenario(name).target(base + "/event").duration(Duration.ofSeconds(2)).emitter(e).healthUrl(base + "/health").seed(11);
    }

    private static Instant timeZero(SoakResult r) throws Exception {
        String line = Files.readAllLines(r.runLog()).stream().filter(l -> l.contains("\"type\":\"schedule.start\"")).findFirst().orElseThrow();
        return Instant.parse(JSON.readTree(line).path("time_zero").asText());
    }

    /** Each body's time() is time zero plus its elapsed() (to the microsecond: elapsed is a double of seconds). */
    private void assertDueTimes(Instant zero) throws Exception {
        assertThat(received()).isNotEmpty();
        for (JsonNode n : received().values()) {
            long sinceZero = ChronoUnit.NANOS.between(zero, Instant.parse(n.path("time").asText()));
            long elapsed = Math.round(n.path("elapsed").asDouble() * 1e9);
            assertThat(Math.abs(sinceZero - elapsed)).as("event %s: time %s, elapsed %s, time zero %s", n.path("seq"), n.path("time"),
                    n.path("elapsed"), zero).isLessThan(1_000);
        }
    }

    @Test
    void aUserFormatsTimeIsTheEventsDueTimeNotItsSendTime() throws Exception {
        SoakResult r = scenario("due", Emitter.named("stamps").rate(50).format(new Stamped())).build().withRunsDir(dir)
                .runFor(Duration.ofSeconds(60));
        assertThat(r.total().accepted()).isPositive().isEqualTo(r.total().sent());
        assertThat(received().values().stream().map(n -> n.path("elapsed").asDouble()).distinct().count()).isGreaterThan(10);
        assertDueTimes(timeZero(r));
    }

    @Test
    void aShardAndAStartTimeFromCodeSendOneShardFromThatInstant() throws Exception {
        Instant at = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        SoakResult r = scenario("shard", Emitter.named("stamps").rate(50).format(new Stamped())).build().withRunsDir(dir)
                .withShard(1, 2).withStartAt(at).runFor(Duration.ofSeconds(60));
        assertThat(r.verdict()).isEqualTo("completed");
        assertThat(timeZero(r)).isEqualTo(at);
        assertThat(received().keySet()).isNotEmpty().allMatch(seq -> seq % 2 == 1);
        assertThat(received().size()).isGreaterThan(20);
        String runStart = Files.readAllLines(r.runLog()).stream().filter(l -> l.contains("\"type\":\"run.start\"")).findFirst().orElseThrow();
        assertThat(JSON.readTree(runStart).path("shard").toString()).contains("\"index\":1").contains("\"count\":2");
        assertThat(JSON.readTree(runStart).path("start_at").asText()).isEqualTo(at.toString());
        assertDueTimes(at);
    }

    @Test
    void aTemplateWithValueProfilesIsBuiltInCode() throws Exception {
        Emitter prices = Emitter.named("prices").rate(40)
                .withTemplate(Map.of("seq", "{{seq}}", "price", "{{profile(price, 0)}}", "users", "{{profile(users, 0)}}"))
                .withProfile("price", "steady(100) spike(1s, 3, 1m)")
                .withProfile("users", "steady(7)");
        SoakResult r = scenario("profiles", prices).build().withRunsDir(dir).runFor(Duration.ofSeconds(60));
        assertThat(r.total().accepted()).isPositive();
        assertThat(received().values()).allMatch(n -> n.path("users").asInt() == 7);
        List<Integer> seen = received().values().stream().map(n -> n.path("price").asInt()).distinct().sorted().toList();
        assertThat(seen).containsExactly(100, 300);
    }

    @Test
    void aCoordinationStoreFromCodeReachesTheRunWhichWantsAShardWithIt() {
        Soak soak = scenario("coord", Emitter.named("stamps").rate(5)).build().withRunsDir(dir).withCoordinate("file:" + dir.resolve("store"));
        org.assertj.core.api.Assertions.assertThatThrownBy(soak::run).isInstanceOf(SoakException.class)
                .hasMessageContaining("only a sharded run is coordinated").matches(e -> ((SoakException) e).badInput());
    }

    @Test
    void aWrongShardFromCodeIsRefusedInTheUsersWords() {
        Soak soak = scenario("bad-shard", Emitter.named("stamps").rate(5)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> soak.withShard(2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 1");
    }
}
