package io.longrun.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longrun.scenario.StreamFault;
import java.io.IOException;
import java.util.List;

/** What a stream fault reads and writes in a rendered event: its {@code id}, a field set by {@code modify}. */
public final class ChaosBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChaosBody() {}

    /** The event as a JSON object, or null when it is not one (CSV, syslog, a JSON array). */
    static ObjectNode object(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The event's {@code id} field as text; null when it has none. */
    public static String idOf(byte[] body) {
        ObjectNode o = object(body);
        return o == null ? null : idOf(o);
    }

    static String idOf(ObjectNode o) {
        JsonNode id = o.get("id");
        return id == null || id.isNull() || id.isContainerNode() ? null : id.asText();
    }

    /**
     * The event with each fault's {@code path} set to its {@code value} (missing objects on the way are made);
     * null when the event is not a JSON object, and so cannot be modified.
     */
    public static byte[] modify(ObjectNode event, List<StreamFault> faults) {
        if (event == null) return null;
        for (StreamFault f : faults) {
            String[] parts = f.path().split("\\.");
            ObjectNode at = event;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = at.get(parts[i]);
                at = next instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            at.set(parts[parts.length - 1], f.value());
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            return null;
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
