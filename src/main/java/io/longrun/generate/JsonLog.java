package io.longrun.generate;

import io.longrun.random.SplitMix;
import io.longrun.scenario.Scenario.FormatOptions;
import java.nio.charset.StandardCharsets;

/**
 * The log formats of seeds 000 and 002: {@code json} (one structured record per request), {@code json-batch} (a
 * JSON array of {@code batch_size} records), {@code ndjson} (the batch as lines) and {@code minimal} (a JSON array
 * of {@code {"msg": ...}}). {@code partial_ratio} of the records miss fields.
 */
final class JsonLog implements EventFormat {
    enum Shape { ONE, ARRAY, LINES, MINIMAL }

    private final Shape shape;
    private final LogRecords records;
    private final FormatOptions o;

    JsonLog(Shape shape, FormatOptions o) {
        this.shape = shape;
        this.o = o;
        this.records = new LogRecords(o);
    }

    @Override
    public String contentType() {
        return shape == Shape.LINES ? "application/x-ndjson" : "application/json";
    }

    @Override
    public byte[] render(EventContext c) {
        SplitMix.Stream r = c.random();
        switch (shape) {
            case ONE:
                return Json.bytes(320, g -> Json.record(g, records.next(c, r, o.partialRatio()), c));
            case ARRAY:
                return Json.bytes(320 * o.batchSize(), g -> {
                    g.writeStartArray();
                    for (int i = 0; i < o.batchSize(); i++) Json.record(g, records.next(c, r, o.partialRatio()), c);
                    g.writeEndArray();
                });
            case MINIMAL:
                return Json.bytes(80 * o.batchSize(), g -> {
                    g.writeStartArray();
                    for (int i = 0; i < o.batchSize(); i++) {
                        g.writeStartObject();
                        g.writeStringField("msg", records.next(c, r, 0).msg());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                });
            default: {
                StringBuilder b = new StringBuilder(320 * o.batchSize());
                for (int i = 0; i < o.batchSize(); i++) {
                    LogRecords.Record rec = records.next(c, r, o.partialRatio());
                    b.append(new String(Json.bytes(320, g -> Json.record(g, rec, c)), StandardCharsets.UTF_8)).append('\n');
                }
                return b.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
