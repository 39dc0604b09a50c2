package io.longrun.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longrun.generate.AgingosEvent;
import io.longrun.generate.EventContext;
import io.longrun.generate.EventFormat;
import io.longrun.random.SplitMix;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Renders a replayed event: the recorded body as it was, or, for a JSON object, with {@code --rebase now} (its
 * timestamp moved so that the first event is stamped with the moment it is sent, the gaps kept) and
 * {@code --new-ids} (a fresh {@code id}, from the seed and the scenario id, as generated events get).
 */
public final class ReplayFormat implements EventFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ReplaySource source;
    private Instant base; // when the first event was rendered: its new timestamp
    private String lastType = "application/json";

    public ReplayFormat(ReplaySource source) {
        this.source = source;
    }

    @Override
    public String contentType() {
        return lastType;
    }

    @Override
    public byte[] render(EventContext c) {
        if (c.seq() < 0) { // a warm-up render: a copy of the next record, when one has been read, through the same steps
            ReplayRecord next = source.peek();
            if (next == null || next.json() == null) return "{}".getBytes(StandardCharsets.UTF_8);
            return render(next.json().deepCopy(), next, c, true);
        }
        ReplayRecord r = source.take(c.seq());
        if (r == null) return "{}".getBytes(StandardCharsets.UTF_8);
        lastType = r.contentType();
        if (r.json() == null) return r.raw();
        return render(r.json(), r, c, false);
    }

    private byte[] render(ObjectNode o, ReplayRecord r, EventContext c, boolean warm) {
        ReplaySpec spec = source.spec();
        if (spec.rebaseNow() && !r.timestampPath().isEmpty()) {
            Instant base = this.base != null ? this.base : c.now();
            if (!warm) this.base = base;
            Instant t = base.plus(Duration.between(source.first(), r.time()));
            set(o, r.timestampPath(), AgingosEvent.utc(t));
        }
        if (spec.newIds() && o.has("id")) {
            o.put("id", AgingosEvent.uuid(new SplitMix.Stream(c.idSeed(), c.stream(), c.seq())).toString());
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return r.json().toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void set(ObjectNode o, String dotted, String value) {
        String[] parts = dotted.split("\\.");
        ObjectNode n = o;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = n.get(parts[i]);
            if (!(next instanceof ObjectNode on)) return;
            n = on;
        }
        n.put(parts[parts.length - 1], value);
    }
}
