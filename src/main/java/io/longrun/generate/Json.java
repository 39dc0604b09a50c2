package io.longrun.generate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writing small JSON documents into bytes with Jackson's streaming generator. */
final class Json {
    static final JsonFactory FACTORY = new com.fasterxml.jackson.databind.ObjectMapper().getFactory(); // with a codec, for writeTree

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() {}

    static byte[] bytes(int size, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A log record as an object; fields a partial record misses are left out. */
    static void record(JsonGenerator g, LogRecords.Record r, EventContext c) throws IOException {
        g.writeStartObject();
        if (r.ts() != null) g.writeStringField("ts", r.ts());
        if (r.level() != null) g.writeStringField("level", r.level());
        if (r.msg() != null) g.writeStringField("msg", r.msg());
        g.writeStringField("service", r.service());
        g.writeStringField("host", r.host());
        g.writeStringField("request_id", r.requestId());
        g.writeNumberField("duration_ms", r.durationMs());
        g.writeNumberField("status_code", r.statusCode());
        g.writeStringField("method", r.method());
        g.writeStringField("path", r.path());
        g.writeStringField("emitter", c.emitter());
        g.writeStringField("scenario_id", c.scenarioId());
        g.writeEndObject();
    }
}
