package io.longrun.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.generate.EventContext;
import io.longrun.generate.EventFormat;
import io.longrun.generate.Formats;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Value profiles as a user writes them: declared on a template emitter, read at each event's due time. */
class ProfilesInScenarioTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String SCENARIO = """
            name: prices
            duration: 10m
            seed: 3
            target: { url: "http://127.0.0.1:8000/event" }
            emitters:
              - name: ticks
                format: template
                rate: 5
                profiles:
                  price: "growth(100, 2) crash(5m, 60, 1m)"
                  users: "phases(steady(10) for 1m, growth(50))"
                  load: "random_walk(50, 5, 0, 100)"
                template:
                  price: "{{profile(price)}}"
                  users: "{{profile(users, 0)}}"
                  load: "{{profile(load, 1)}}"
                  text: "price {{profile(price, 2)}} at {{seq}}"
            """;

    static JsonNode render(Scenario sc, long seq, double elapsed) throws Exception {
        Scenario.Emitter e = sc.emitters().get(0);
        EventFormat f = Formats.create(e.format(), e.options().withPhaseStarts(sc.phaseStarts()));
        return JSON.readTree(f.render(new EventContext(3, 1, "ticks", seq, "sc", Instant.EPOCH, null, elapsed)));
    }

    @Test
    void placeholdersTakeTheProfilesValueAtTheEventsDueTime() throws Exception {
        Scenario sc = ScenarioReaderTest.read(SCENARIO, Overrides.NONE);
        JsonNode at0 = render(sc, 0, 0);
        assertThat(at0.get("price").isNumber()).isTrue();
        assertThat(at0.get("price").asDouble()).isEqualTo(100.0);
        assertThat(at0.get("users").isIntegralNumber()).isTrue();
        assertThat(at0.get("users").asLong()).isEqualTo(10);
        assertThat(at0.get("load").asDouble()).isEqualTo(50.0);
        JsonNode at2m = render(sc, 600, 120);
        assertThat(at2m.get("price").asDouble()).isEqualTo(104.04);
        assertThat(at2m.get("users").asLong()).isEqualTo(15); // 10 · 1.5 after a minute of +50 %/min
        assertThat(at2m.get("text").asText()).isEqualTo("price 104.04 at 600");
        assertThat(render(sc, 1500, 300).get("price").asDouble()).isEqualTo(Math.round(100 * Math.pow(1.02, 5) * 0.4 * 1000) / 1000.0);
        // the same seed and time give the same values, whatever the event
        assertThat(render(sc, 7, 42.5).get("load")).isEqualTo(render(sc, 9999, 42.5).get("load"));
        double load = render(sc, 7, 42.5).get("load").asDouble();
        assertThat(load).isBetween(0.0, 100.0);
    }

    @Test
    void aCrashCanStartWithAPhase() throws Exception {
        Scenario sc = ScenarioReaderTest.read(SCENARIO, Overrides.NONE);
        Scenario.FormatOptions o = sc.emitters().get(0).options();
        java.util.Map<String, io.longrun.generate.Profile> profiles = new java.util.LinkedHashMap<>(o.profiles());
        profiles.put("price", io.longrun.generate.ProfileParser.parse("growth(100, 2) crash(fault, 60, 1m)", "price"));
        Scenario.FormatOptions withPhase = new Scenario.FormatOptions(o.batchSize(), o.partialRatio(), o.chaos(), o.levels(), o.header(),
                o.syslog(), o.template(), o.service(), profiles);
        // the fault phase starts 30 s into the run
        EventFormat f = Formats.create("template", withPhase.withPhaseStarts(java.util.Map.of("stabilize", 0.0, "fault", 30.0)));
        java.util.function.DoubleFunction<Double> price = t -> {
            try {
                return JSON.readTree(f.render(new EventContext(3, 1, "ticks", 0, "sc", Instant.EPOCH, null, t))).get("price").asDouble();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertThat(price.apply(29.9)).isEqualTo(Math.round(100 * Math.pow(1.02, 29.9 / 60) * 1000) / 1000.0);
        assertThat(price.apply(30)).isEqualTo(Math.round(100 * Math.pow(1.02, 0.5) * 0.4 * 1000) / 1000.0);
    }

    @Test
    void aCrashAtAPhaseOfTheScenarioStartsWithIt() throws Exception {
        Scenario sc = ScenarioReaderTest.read(SCENARIO.replace("duration: 10m\n", "").replace("crash(5m, 60, 1m)", "crash(fault, 60, 1m)")
                + "phases:\n  - { name: stabilize, duration: 30s }\n  - { name: fault, duration: 1m }\n", Overrides.NONE);
        assertThat(sc.phaseStarts()).containsEntry("fault", 30.0);
        assertThat(render(sc, 0, 29.9).get("price").asDouble()).isEqualTo(Math.round(100 * Math.pow(1.02, 29.9 / 60) * 1000) / 1000.0);
        assertThat(render(sc, 0, 30).get("price").asDouble()).isEqualTo(Math.round(100 * Math.pow(1.02, 0.5) * 0.4 * 1000) / 1000.0);
    }

    @Test
    void aPhaseThatIsNotThereAndBadProfilesAreNamedWithTheirLine() {
        assertThat(ScenarioReaderTest.problems(SCENARIO.replace("crash(5m, 60, 1m)", "crash(fault, 60, 1m)")).problems()).containsExactly(
                "s.yaml:10: emitters[0].profiles.price: \"fault\" is neither a duration (90s, 5m) nor one of the scenario's phases (it has none)");
        assertThat(ScenarioReaderTest.problems(SCENARIO.replace("growth(50)", "growth(50) for")).problems()).containsExactly(
                "s.yaml:11: emitters[0].profiles.users: a duration is missing after for (in \"phases(steady(10) for 1m, growth(50) for)\")");
    }

    @Test
    void aTemplateNamingAnUndeclaredProfileAndProfilesOnAnotherFormatAreErrors() {
        assertThat(ScenarioReaderTest.problems(SCENARIO.replace("{{profile(load, 1)}}", "{{profile(lod, 1)}}")).problems())
                .anyMatch(p -> p.contains("emitters[0].template: template.load: {{profile(lod, 1)}}: no profile named lod; the emitter's profiles: load, price, users"));
        assertThat(ScenarioReaderTest.problems(SCENARIO.replace("format: template", "format: json")).problems())
                .anyMatch(p -> p.contains("emitters[0].profiles: does not apply to format json"));
    }
}
