package io.longrun.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.palindromicity.syslog.SyslogParser;
import com.github.palindromicity.syslog.SyslogParserBuilder;
import io.longrun.scenario.Scenario.FormatOptions;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** Every format's output, read back with a real parser. */
class FormatsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-23T17:30:05.123Z");

    static FormatOptions opts(int batch, double partial, double chaos) {
        FormatOptions d = FormatOptions.DEFAULT;
        return new FormatOptions(batch, partial, chaos, d.levels(), false, 5424, Optional.empty(), d.service());
    }

    static String render(String format, FormatOptions o, long seq, Levels levels) {
        EventFormat f = Formats.create(format, o);
        return new String(f.render(new EventContext(7, 3, "web", seq, "sc-1", NOW, levels)), StandardCharsets.UTF_8);
    }

    static List<JsonNode> records(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) n.forEach(out::add);
        else out.add(n);
        return out;
    }

    @Test
    void jsonIsOneStructuredRecordWithRealisticFields() throws Exception {
        JsonNode r = JSON.readTree(render("json", opts(1, 0, 0), 0, null));
        for (String k : List.of("ts", "level", "msg", "service", "host", "request_id", "duration_ms", "status_code"))
            assertThat(r.has(k)).as(k).isTrue();
        assertThat(OffsetDateTime.parse(r.get("ts").asText()).getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(r.get("duration_ms").isInt()).isTrue();
        assertThat(r.get("emitter").asText()).isEqualTo("web");
        assertThat(Formats.create("json", opts(1, 0, 0)).contentType()).isEqualTo("application/json");
    }

    @Test
    void levelsFollowTheirWeightsAndAreCountedPerEmitter() throws Exception {
        Levels levels = new Levels();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 20_000; i++) seen.merge(JSON.readTree(render("json", opts(1, 0, 0), i, levels)).get("level").asText(), 1, Integer::sum);
        assertThat(seen.get("INFO") / 20_000.0).isBetween(0.68, 0.72);
        assertThat(seen.get("DEBUG") / 20_000.0).isBetween(0.13, 0.17);
        assertThat(seen.get("WARN") / 20_000.0).isBetween(0.085, 0.115);
        assertThat(seen.get("ERROR") / 20_000.0).isBetween(0.03, 0.05);
        assertThat(seen.get("CRITICAL") / 20_000.0).isBetween(0.005, 0.015);
        Map<String, Long> counted = levels.drain();
        seen.forEach((k, v) -> assertThat(counted.get(k)).isEqualTo(v.longValue()));
        assertThat(levels.drain()).as("drained").isEmpty();
    }

    @Test
    void partialRatioIsTheShareOfRecordsMissingFields() throws Exception {
        int partial = 0, n = 4000;
        for (int i = 0; i < n; i++) {
            JsonNode r = JSON.readTree(render("json", opts(1, 0.25, 0), i, null));
            if (!r.has("ts") || !r.has("level") || !r.has("msg")) partial++;
        }
        assertThat(partial / (double) n).isBetween(0.22, 0.28);
    }

    @Test
    void batchFormatsCarryBatchSizeRecords() throws Exception {
        JsonNode batch = JSON.readTree(render("json-batch", opts(25, 0, 0), 1, null));
        assertThat(batch.isArray()).isTrue();
        assertThat(batch).hasSize(25).allMatch(r -> r.has("level") && r.has("msg"));

        String nd = render("ndjson", opts(12, 0, 0), 1, null);
        List<String> lines = nd.lines().toList();
        assertThat(lines).hasSize(12);
        for (String l : lines) assertThat(JSON.readTree(l).has("msg")).isTrue();
        assertThat(Formats.create("ndjson", opts(1, 0, 0)).contentType()).isEqualTo("application/x-ndjson");

        JsonNode minimal = JSON.readTree(render("minimal", opts(5, 0, 0), 1, null));
        assertThat(minimal).hasSize(5).allMatch(r -> r.size() == 1 && r.get("msg").isTextual());
    }

    @Test
    void csvIsTsLevelMsgWithAnOptionalHeaderAndQuotedMessages() throws Exception {
        FormatOptions d = FormatOptions.DEFAULT;
        FormatOptions withHeader = new FormatOptions(30, 0.2, 0, d.levels(), true, 5424, Optional.empty(), d.service());
        String text = render("csv", withHeader, 3, null);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text)).getRecords();
        assertThat(rows).hasSize(30);
        assertThat(text).startsWith("ts,level,msg\n");
        for (CSVRecord r : rows) {
            assertThat(r.size()).isEqualTo(3);
            if (!r.get("ts").isEmpty()) assertThat(OffsetDateTime.parse(r.get("ts")).getOffset()).isEqualTo(ZoneOffset.UTC);
        }
        assertThat(rows).anyMatch(r -> r.get("ts").isEmpty() || r.get("level").isEmpty() || r.get("msg").isEmpty());
        assertThat(rows).anyMatch(r -> r.get("msg").contains(" "));
        assertThat(render("csv", opts(2, 0, 0), 3, null)).doesNotStartWith("ts,level,msg");
    }

    @Test
    void syslogIsRfc5424ByDefaultAndRfc3164OnRequest() {
        SyslogParser parser = new SyslogParserBuilder().build();
        String text = render("syslog", opts(20, 0, 0), 5, null);
        for (String line : text.lines().toList()) {
            Map<String, Object> m = parser.parseLine(line);
            assertThat(m.get("syslog.header.version")).isEqualTo("1");
            assertThat(m.get("syslog.header.facility")).isEqualTo("16");
            assertThat(m.get("syslog.header.timestamp").toString()).endsWith("Z");
            assertThat(m.get("syslog.message").toString()).isNotBlank();
        }
        // partial lines use the RFC's nil value for timestamp and host (or have no message), and still parse
        String partial = render("syslog", opts(50, 1.0, 0), 5, null);
        for (String line : partial.lines().toList()) {
            Map<String, Object> m = parser.parseLine(line);
            assertThat(m).containsEntry("syslog.header.version", "1");
            assertThat(m.containsKey("syslog.header.timestamp") && m.containsKey("syslog.message")).as(line).isFalse();
        }

        FormatOptions d = FormatOptions.DEFAULT;
        FormatOptions bsd = new FormatOptions(10, 0, 0, d.levels(), false, 3164, Optional.empty(), d.service());
        for (String line : render("syslog", bsd, 5, null).lines().toList())
            assertThat(line).matches("<1[2-3][0-9]>Nov 23 17:30:05 [a-z0-9-]+ [a-z]+\\[\\d+]: .+");
        assertThat(Formats.create("syslog", bsd).contentType()).isEqualTo("text/plain");
    }

    @Test
    void noiseAtChaosZeroIsCleanAndAtChaosOneIsWild() throws Exception {
        for (JsonNode r : records(JSON.readTree(render("noise", opts(50, 0, 0), 1, null)))) {
            assertThat(r.get("ts").isTextual()).isTrue();
            assertThat(r.get("level").isTextual()).isTrue();
            assertThat(r.get("msg").isTextual()).isTrue();
        }
        Levels levels = new Levels();
        List<JsonNode> wild = records(JSON.readTree(render("noise", opts(200, 1, 1.0), 1, levels)));
        assertThat(wild).allMatch(r -> r.get("level").isNumber());
        assertThat(wild).anyMatch(r -> r.has("message") || r.has("text"));
        assertThat(wild).anyMatch(r -> !r.has("ts") || r.get("ts").isNumber() || !r.get("ts").asText().endsWith("Z"));
        assertThat(wild).anyMatch(r -> r.fieldNames().next() != null && iterate(r).stream().anyMatch(k -> k.startsWith("x_")));
        assertThat(levels.drain()).containsEntry("chaos", 200L);
    }

    static List<String> iterate(JsonNode r) {
        List<String> keys = new ArrayList<>();
        r.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void templateFillsEveryPlaceholderWithTypedSeededValues() throws Exception {
        JsonNode tpl = JSON.readTree("""
                {"id": "{{uuid}}", "at": "{{now}}", "n": "{{seq}}", "count": "{{int(1,5)}}", "ratio": "{{float(0,1)}}",
                 "kind": "{{choice(a:3,b:1)}}", "room": "{{pick(hall,kitchen)}}", "who": "{{emitter}}/{{scenario_id}}",
                 "name": "{{faker(Name.fullName)}}", "tags": ["fixed", "{{pick(x,y)}}"], "flag": true}
                """);
        FormatOptions d = FormatOptions.DEFAULT;
        FormatOptions o = new FormatOptions(1, 0, 0, d.levels(), false, 5424, Optional.of(tpl), d.service());
        Map<String, Integer> kinds = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            JsonNode r = JSON.readTree(render("template", o, i, null));
            UUID.fromString(r.get("id").asText());
            assertThat(r.get("at").asText()).isEqualTo("2026-11-23T17:30:05.123Z");
            assertThat(r.get("n").asLong()).isEqualTo(i);
            assertThat(r.get("count").isIntegralNumber()).isTrue();
            assertThat(r.get("count").asInt()).isBetween(1, 5);
            assertThat(r.get("ratio").asDouble()).isBetween(0.0, 1.0);
            assertThat(r.get("room").asText()).isIn("hall", "kitchen");
            assertThat(r.get("who").asText()).isEqualTo("web/sc-1");
            assertThat(r.get("name").asText()).contains(" ");
            assertThat(r.get("tags").get(0).asText()).isEqualTo("fixed");
            assertThat(r.get("flag").asBoolean()).isTrue();
            kinds.merge(r.get("kind").asText(), 1, Integer::sum);
        }
        assertThat(kinds.get("a") / 400.0).as("weight 3 of 4").isBetween(0.68, 0.82);
        // the same seed and sequence number give the same document, faker included
        assertThat(render("template", o, 9, null)).isEqualTo(render("template", o, 9, null));
    }

    @Test
    void aBadPlaceholderIsRefusedWithItsPath() throws Exception {
        assertThatThrownBy(() -> Formats.checkTemplate(JSON.readTree("{\"a\": {\"b\": \"{{nope}}\"}}")))
                .hasMessageStartingWith("template.a.b: {{nope}}: unknown placeholder");
        assertThatThrownBy(() -> Formats.checkTemplate(JSON.readTree("{\"a\": \"{{int(5,1)}}\"}")))
                .hasMessageContaining("needs two whole numbers a <= b");
        assertThatThrownBy(() -> Formats.checkTemplate(JSON.readTree("{\"a\": \"{{faker(No.suchThing)}}\"}")))
                .hasMessageContaining("Datafaker does not know No.suchThing");
    }
}
