package io.longrun.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import io.longrun.random.SplitMix;
import io.longrun.scenario.Scenario.FormatOptions;
import java.io.IOException;
import java.util.List;

/**
 * Seed 000's {@code noise}: a JSON array of {@code batch_size} chaotic records, to exercise an ingest's parsing.
 * At {@code chaos} c (0..1) each of these happens to a record with probability c: the message under another name
 * ({@code msg}/{@code message}/{@code text}), the level as a number, the timestamp as epoch seconds or a local
 * time without an offset, a missing field, an unexpected field, a nested object where a text belongs. The records
 * are counted under the level {@code chaos} when any of it happened.
 */
final class Noise implements EventFormat {
    static final List<String> MESSAGE_ALIASES = List.of("msg", "message", "text");
    private final LogRecords records;
    private final FormatOptions o;

    Noise(FormatOptions o) {
        this.o = o;
        this.records = new LogRecords(o);
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public byte[] render(EventContext c) {
        SplitMix.Stream r = c.random();
        double chaos = o.chaos();
        return Json.bytes(256 * o.batchSize(), g -> {
            g.writeStartArray();
            for (int i = 0; i < o.batchSize(); i++) record(g, c, r, chaos);
            g.writeEndArray();
        });
    }

    private void record(JsonGenerator g, EventContext c, SplitMix.Stream r, double chaos) throws IOException {
        LogRecords.Record rec = records.next(new EventContext(c.seed(), c.stream(), c.emitter(), c.seq(), c.scenarioId(), c.now()), r, 0);
        boolean wild = false;
        g.writeStartObject();
        // the timestamp
        double u = r.nextDouble();
        if (u < chaos / 3) {
            g.writeNumberField("ts", c.now().getEpochSecond());
            wild = true;
        } else if (u < chaos * 2 / 3) {
            g.writeStringField("ts", rec.ts().replace("Z", "").replace('T', ' '));
            wild = true;
        } else if (u < chaos) {
            wild = true; // missing
        } else {
            g.writeStringField("ts", rec.ts());
        }
        // the level
        if (r.nextDouble() < chaos) {
            g.writeNumberField("level", 1 + r.nextInt(7));
            wild = true;
        } else {
            g.writeStringField("level", rec.level());
        }
        // the message, under one of its names, or as an object
        String name = "msg";
        if (r.nextDouble() < chaos) {
            name = MESSAGE_ALIASES.get(r.nextInt(MESSAGE_ALIASES.size()));
            wild = true;
        }
        if (r.nextDouble() < chaos / 2) {
            g.writeObjectFieldStart(name);
            g.writeStringField("text", rec.msg());
            g.writeEndObject();
            wild = true;
        } else {
            g.writeStringField(name, rec.msg());
        }
        if (r.nextDouble() < chaos) {
            g.writeStringField("x_" + Long.toString(r.nextLong() >>> 40, 36), "unexpected");
            wild = true;
        }
        g.writeStringField("service", rec.service());
        g.writeEndObject();
        c.count(wild ? "chaos" : rec.level());
    }
}
