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

    /**
     * The event broken as {@code f} says: {@code truncate}, its first half (bytes); {@code bad_json}, its last
     * {@code }} made {@code ,}} (a trailing comma), or a {@code }} added when it has none; {@code wrong_type}, the
     * field at {@code path} given a value of another type (a text becomes a number, its length; anything else a
     * text; a missing field the number 0). A body that is not a JSON object cannot take a wrong type: it is truncated.
     */
    public static byte[] corrupt(byte[] body, StreamFault f) {
        StreamFault.Corruption how = f.how();
        ObjectNode o = how == StreamFault.Corruption.WRONG_TYPE ? object(body) : null;
        if (how == StreamFault.Corruption.WRONG_TYPE && o != null) {
            String[] parts = f.path().split("\\.");
            ObjectNode at = o;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = at.get(parts[i]);
                at = next instanceof ObjectNode n ? n : at.putObject(parts[i]);
            }
            String last = parts[parts.length - 1];
            JsonNode v = at.get(last);
            if (v == null || v.isNull()) at.put(last, 0);
            else if (v.isTextual()) at.put(last, v.asText().length());
            else at.put(last, v.toString());
            try {
                return JSON.writeValueAsBytes(o);
            } catch (IOException e) {
                return truncate(body);
            }
        }
        if (how == StreamFault.Corruption.BAD_JSON) {
            String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            int brace = s.lastIndexOf('}');
            s = brace < 0 ? s + "}" : s.substring(0, brace) + ",}" + s.substring(brace + 1);
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return truncate(body);
    }

    private static byte[] truncate(byte[] body) {
        return java.util.Arrays.copyOf(body, body.length / 2);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
