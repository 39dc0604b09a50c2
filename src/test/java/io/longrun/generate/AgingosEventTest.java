package io.longrun.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.reference.TargetService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgingosEventTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final AgingosEvent format = new AgingosEvent();
    final Instant now = Instant.parse("2026-11-23T17:30:05.123456Z");

    JsonNode render(long seed, long seq) throws Exception {
        return render(seed, seq, "sc");
    }

    JsonNode render(long seed, long seq, String scenarioId) throws Exception {
        return JSON.readTree(format.render(new EventContext(seed, 99, "motion", seq, scenarioId, now)));
    }

    @Test
    void isTheRunbooksEventWithAUtcTimestampInMillisecondsAndZ() throws Exception {
        JsonNode e = render(42, 0);
        assertThat(e.fieldNames()).toIterable().containsExactly("id", "timestamp", "category", "payload");
        assertThat(UUID.fromString(e.get("id").asText()).version()).isEqualTo(4);
        assertThat(e.get("timestamp").asText()).isEqualTo("2026-11-23T17:30:05.123Z");
        assertThat(OffsetDateTime.parse(e.get("timestamp").asText()).getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(AgingosEvent.CATEGORIES).contains(e.get("category").asText());
        assertThat(e.get("payload").isObject()).isTrue();
        assertThat(format.contentType()).isEqualTo("application/json");
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() throws Exception {
        for (long seq = 0; seq < 100; seq++) {
            JsonNode a = render(42, seq), b = render(42, seq), c = render(43, seq);
            assertThat(a).isEqualTo(b);
            assertThat(a.get("id")).isNotEqualTo(c.get("id"));
        }
    }

    @Test
    void anotherScenarioIdGivesTheSameTrafficWithOtherIds() throws Exception {
        for (long seq = 0; seq < 100; seq++) {
            JsonNode a = render(42, seq, "run-1"), b = render(42, seq, "run-2");
            assertThat(a.get("id")).isNotEqualTo(b.get("id"));
            assertThat(a.get("category")).isEqualTo(b.get("category"));
            assertThat(a.get("payload")).isEqualTo(b.get("payload"));
        }
    }

    @Test
    void idsAreUniqueAndCategoriesVaried() throws Exception {
        Set<String> ids = new HashSet<>(), categories = new HashSet<>();
        for (long seq = 0; seq < 10_000; seq++) {
            JsonNode e = render(7, seq);
            ids.add(e.get("id").asText());
            categories.add(e.get("category").asText());
        }
        assertThat(ids).hasSize(10_000);
        assertThat(categories).containsExactlyInAnyOrderElementsOf(AgingosEvent.CATEGORIES);
    }

    @Test
    void theReferenceTargetAcceptsWhatItGenerates() throws Exception {
        for (long seq = 0; seq < 200; seq++) assertThat(TargetService.problem(render(1, seq))).isNull();
    }
}
