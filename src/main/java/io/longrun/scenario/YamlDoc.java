package io.longrun.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML document read into a Jackson tree, with the line of every key and list item, so that
 * validation can say where a problem is. Duplicate keys are problems too (Jackson would keep the last).
 * Nesting deeper than {@link InputText#MAX_DEPTH} is a problem at the line where it passes the limit.
 */
public final class YamlDoc {
    // one level above our own limit, so that ours fires first and can name the line (Jackson's says "line 0")
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(InputText.MAX_DEPTH + 1).build()).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String source;
    private final JsonNode root;
    private final Map<String, Integer> lines;
    private final List<String> problems;

    private YamlDoc(String source, JsonNode root, Map<String, Integer> lines, List<String> problems) {
        this.source = source;
        this.root = root;
        this.lines = lines;
        this.problems = problems;
    }

    /** Reads a document; a syntax error becomes a ScenarioException naming the source and line. */
    public static YamlDoc read(String source, Reader reader) throws ScenarioException {
        Map<String, Integer> lines = new HashMap<>();
        List<String> problems = new ArrayList<>();
        try (JsonParser p = YAML.createParser(reader)) {
            JsonToken first = p.nextToken();
            JsonNode root = first == null ? NODES.nullNode() : value(source, p, "", 1, lines, problems);
            lines.putIfAbsent("", 1);
            return new YamlDoc(source, root, lines, problems);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(syntaxError(source, e));
        } catch (IOException e) {
            throw new ScenarioException(source + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Only whether a YAML text nests deeper than {@link InputText#MAX_DEPTH}, as {@code SOURCE:LINE: nested deeper than
     * 1000 levels}; empty otherwise, also when it is not valid YAML (for files another reader judges: Camel's routes).
     */
    public static Optional<String> nestingProblem(String source, String text) {
        try (JsonParser p = YAML.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken())
                if (t.isStructStart() && p.getParsingContext().getNestingDepth() > InputText.MAX_DEPTH)
                    return Optional.of(source + ":" + p.currentLocation().getLineNr() + ": " + InputText.tooDeep());
        } catch (IOException e) {
            // not YAML that Jackson reads: the routes' own reader says what is wrong
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern MARK = java.util.regex.Pattern.compile("^\\s*in '[^']*', line (\\d+), column \\d+:?");

    /**
     * SnakeYAML says where a construct began and where it broke, each as "what / in 'reader', line N". The
     * problem is the last pair; the first, when there are two, is its context.
     */
    static String syntaxError(String source, JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            // a limit (a name or a text too long): not a syntax error, and Jackson's message names its setting
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return source + (line > 0 ? ":" + line : "") + ": " + InputText.parseProblem(e);
        }
        List<String> what = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (String line : e.getOriginalMessage().split("\n")) {
            java.util.regex.Matcher m = MARK.matcher(line);
            if (m.find()) where.add(Integer.parseInt(m.group(1)));
            else if (!line.isBlank() && !line.startsWith(" ") && !line.trim().equals("^")) what.add(line.trim());
        }
        int line = !where.isEmpty() ? where.get(where.size() - 1) : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String problem = what.isEmpty() ? "syntax error" : what.get(what.size() - 1);
        String context = what.size() > 1 && where.size() > 1 ? " (" + what.get(0) + " that starts at line " + where.get(0) + ")" : "";
        return source + ":" + line + ": not valid YAML: " + problem + context;
    }

    private static JsonNode value(String source, JsonParser p, String path, int depth, Map<String, Integer> lines, List<String> problems)
            throws IOException, ScenarioException {
        JsonToken t = p.currentToken();
        lines.putIfAbsent(path, p.currentLocation().getLineNr());
        if (t.isStructStart() && depth > InputText.MAX_DEPTH)
            throw new ScenarioException(source + ":" + p.currentLocation().getLineNr() + ": " + InputText.tooDeep());
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    int line = p.currentLocation().getLineNr();
                    p.nextToken();
                    if (o.has(key)) {
                        problems.add(source + ":" + line + ": " + child + ": duplicate key");
                    }
                    lines.put(child, line);
                    o.set(key, value(source, p, child, depth + 1, lines, problems));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(source, p, path + "[" + i++ + "]", depth + 1, lines, problems));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                // beyond a long it is still a number: the field's range check says what is wrong with it
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(p.getBigIntegerValue())
                        : NODES.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return NODES.booleanNode(p.getBooleanValue());
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                return NODES.textNode(p.getText());
        }
    }

    public String source() {
        return source;
    }

    public JsonNode root() {
        return root;
    }

    /** Problems found while reading (duplicate keys). */
    public List<String> problems() {
        return problems;
    }

    /** The line of a key path such as {@code emitters[0].schedule.ramp_up}, or of its nearest parent. */
    public int line(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return 1;
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }
}
