package io.longrun.generate;

import io.longrun.random.SplitMix;
import io.longrun.scenario.Scenario.FormatOptions;
import java.nio.charset.StandardCharsets;

/**
 * Seed 000's {@code csv}: {@code ts,level,msg} lines, {@code batch_size} per request, with an optional header
 * line. A partial record leaves a field empty. Messages are quoted as RFC 4180 says when they need it.
 */
final class Csv implements EventFormat {
    private final LogRecords records;
    private final FormatOptions o;

    Csv(FormatOptions o) {
        this.o = o;
        this.records = new LogRecords(o);
    }

    @Override
    public String contentType() {
        return "text/csv";
    }

    static String field(String s) {
        if (s == null) return "";
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public byte[] render(EventContext c) {
        SplitMix.Stream r = c.random();
        StringBuilder b = new StringBuilder(96 * (o.batchSize() + 1));
        if (o.header()) b.append("ts,level,msg\n");
        for (int i = 0; i < o.batchSize(); i++) {
            LogRecords.Record rec = records.next(c, r, o.partialRatio());
            b.append(field(rec.ts())).append(',').append(field(rec.level())).append(',').append(field(rec.msg())).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
