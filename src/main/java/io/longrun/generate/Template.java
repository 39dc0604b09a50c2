package io.longrun.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.random.SplitMix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.datafaker.Faker;

/**
 * The {@code template} format: a user's JSON document whose texts may hold placeholders, {@code {{name}}} or
 * {@code {{name(args)}}}:
 * <ul>
 * <li>{@code uuid}: a version 4 UUID (from the seed and the scenario id, as event ids are);
 * <li>{@code now}: the send time, ISO-8601 UTC with milliseconds and Z;
 * <li>{@code seq}: the event's number within its emitter;
 * <li>{@code int(a,b)}, {@code float(a,b)}: a number in [a, b];
 * <li>{@code choice(x:3,y:1)}: one of the values, by weight (1 when left out);
 * <li>{@code pick(x,y,z)}: one of the values, evenly;
 * <li>{@code emitter}, {@code scenario_id};
 * <li>{@code faker(Name.fullName)}: realistic fake data from Datafaker, seeded (any of its expressions:
 * {@code Internet.emailAddress}, {@code Address.city}, {@code Company.name}, ...);
 * <li>{@code profile(name)}, {@code profile(name, decimals)}: the emitter's value profile {@code name} (see
 * {@link Profile}) at the event's due time, rounded to 3 decimals unless told (0: a whole number).
 * </ul>
 * A text that is a single placeholder takes its value's type: {@code "{{int(1,5)}}"} is a number. The template is
 * compiled once; a bad placeholder is an error when the scenario is read.
 */
final class Template implements EventFormat {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*(?:\\(([^)]*)\\))?\\s*}}");

    /** A compiled piece of the document. */
    private interface Part {
        void write(JsonGenerator g, Ctx ctx) throws IOException;
    }

    /** What a placeholder draws from: the event's context, its seeded stream, and the seeded faker. */
    private record Ctx(EventContext c, SplitMix.Stream r, Faker faker) {}

    /** A placeholder: a value (a text, a number) for one event. */
    private interface Value {
        Object get(Ctx ctx);
    }

    private final Part root;
    private final Random fakerRandom = new Random(0);
    private final Faker faker = new Faker(fakerRandom);

    Template(JsonNode template) {
        this(template, Map.of());
    }

    /** @param profiles the value profiles {@code {{profile(name)}}} may name, their phase names resolved */
    Template(JsonNode template, Map<String, Profile> profiles) {
        this.root = new Compiler(profiles).compile(template, "template");
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public synchronized byte[] render(EventContext c) {
        SplitMix.Stream r = c.random();
        fakerRandom.setSeed(r.nextLong()); // the faker's draws for this event are seeded by it
        Ctx ctx = new Ctx(c, r, faker);
        return Json.bytes(256, g -> root.write(g, ctx));
    }

    /** Checks a template; the message names the path of the first bad placeholder. */
    static void check(JsonNode template, java.util.Set<String> profiles) {
        Map<String, Profile> names = new java.util.HashMap<>();
        for (String p : profiles) names.put(p, new Profile.Steady(0));
        new Template(template, names);
    }

    /** Compiles a document, knowing the emitter's profiles. */
    private record Compiler(Map<String, Profile> profiles) {
        private Part compile(JsonNode n, String path) {
            if (n.isObject()) {
                List<Map.Entry<String, Part>> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    fields.add(Map.entry(e.getKey(), compile(e.getValue(), path + "." + e.getKey())));
                }
                return (g, ctx) -> {
                    g.writeStartObject();
                    for (Map.Entry<String, Part> f : fields) {
                        g.writeFieldName(f.getKey());
                        f.getValue().write(g, ctx);
                    }
                    g.writeEndObject();
                };
            }
            if (n.isArray()) {
                List<Part> items = new ArrayList<>();
                for (int i = 0; i < n.size(); i++) items.add(compile(n.get(i), path + "[" + i + "]"));
                return (g, ctx) -> {
                    g.writeStartArray();
                    for (Part p : items) p.write(g, ctx);
                    g.writeEndArray();
                };
            }
            if (!n.isTextual()) return (g, ctx) -> g.writeTree(n);
            String text = n.asText();
            Matcher m = PLACEHOLDER.matcher(text);
            List<Object> pieces = new ArrayList<>(); // String or Value
            int last = 0;
            while (m.find()) {
                if (m.start() > last) pieces.add(text.substring(last, m.start()));
                pieces.add(value(m.group(1), m.group(2), path));
                last = m.end();
            }
            if (pieces.isEmpty()) {
                if (text.contains("{{")) throw new IllegalArgumentException(path + ": not a placeholder: \"" + text + "\" (write {{name}} or {{name(args)}})");
                return (g, ctx) -> g.writeString(text);
            }
            if (last < text.length()) pieces.add(text.substring(last));
            if (pieces.size() == 1 && pieces.get(0) instanceof Value v) {
                return (g, ctx) -> {
                    Object o = v.get(ctx);
                    if (o instanceof Long l) g.writeNumber(l);
                    else if (o instanceof Double d) g.writeNumber(d);
                    else g.writeString(o.toString());
                };
            }
            return (g, ctx) -> {
                StringBuilder b = new StringBuilder();
                for (Object p : pieces) b.append(p instanceof Value v ? v.get(ctx) : p);
                g.writeString(b.toString());
            };
        }

        private Value value(String name, String args, String path) {
            List<String> a = args == null || args.isBlank() ? List.of() : List.of(args.split("\\s*,\\s*"));
            String at = path + ": {{" + name + (args == null ? "" : "(" + args + ")") + "}}: ";
            switch (name) {
                case "uuid":
                    return ctx -> AgingosEvent.uuid(new SplitMix.Stream(ctx.c.idSeed(), ctx.c.stream(), ctx.c.seq())).toString();
                case "now":
                    return ctx -> AgingosEvent.utc(ctx.c.now());
                case "seq":
                    return ctx -> ctx.c.seq();
                case "emitter":
                    return ctx -> ctx.c.emitter();
                case "scenario_id":
                    return ctx -> ctx.c.scenarioId();
                case "int": {
                    long[] b = bounds(a, at);
                    long lo = b[0], hi = b[1];
                    return ctx -> lo + (long) Math.floor(ctx.r.nextDouble() * (hi - lo + 1));
                }
                case "float": {
                    double lo = number(a, 0, at), hi = number(a, 1, at);
                    if (a.size() != 2 || hi < lo) throw new IllegalArgumentException(at + "needs two numbers a <= b");
                    return ctx -> Math.round((lo + ctx.r.nextDouble() * (hi - lo)) * 1000) / 1000.0;
                }
                case "pick": {
                    if (a.isEmpty()) throw new IllegalArgumentException(at + "needs at least one value");
                    return ctx -> a.get(ctx.r.nextInt(a.size()));
                }
                case "choice": {
                    if (a.isEmpty()) throw new IllegalArgumentException(at + "needs at least one value");
                    List<String> values = new ArrayList<>();
                    double[] cum = new double[a.size()];
                    double total = 0;
                    for (int i = 0; i < a.size(); i++) {
                        String s = a.get(i);
                        int colon = s.lastIndexOf(':');
                        double w = 1;
                        if (colon > 0) {
                            try {
                                w = Double.parseDouble(s.substring(colon + 1));
                                s = s.substring(0, colon);
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException(at + "weight of \"" + s + "\" is not a number");
                            }
                        }
                        if (w < 0) throw new IllegalArgumentException(at + "a weight cannot be negative");
                        values.add(s);
                        total += w;
                        cum[i] = total;
                    }
                    if (total <= 0) throw new IllegalArgumentException(at + "the weights add up to 0");
                    double sum = total;
                    return ctx -> {
                        double u = ctx.r.nextDouble() * sum;
                        for (int i = 0; i < cum.length; i++) if (u < cum[i]) return values.get(i);
                        return values.get(values.size() - 1);
                    };
                }
                case "faker": {
                    if (a.size() != 1) throw new IllegalArgumentException(at + "needs one Datafaker expression, e.g. faker(Name.fullName)");
                    String expr = "#{" + a.get(0) + "}";
                    try {
                        new Faker(new Random(0)).expression(expr);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(at + "Datafaker does not know " + a.get(0) + " (try Name.fullName, Internet.emailAddress, Address.city)");
                    }
                    return ctx -> ctx.faker.expression(expr);
                }
                case "profile": {
                    if (a.isEmpty() || a.size() > 2) throw new IllegalArgumentException(at + "needs a profile's name and, optionally, the decimals: profile(price) or profile(price, 0)");
                    Profile p = profiles.get(a.get(0));
                    if (p == null) throw new IllegalArgumentException(at + "no profile named " + a.get(0)
                            + (profiles.isEmpty() ? "; declare it under the emitter's profiles:" : "; the emitter's profiles: " + String.join(", ", new java.util.TreeSet<>(profiles.keySet()))));
                    int decimals = 3;
                    if (a.size() == 2) {
                        try {
                            decimals = Integer.parseInt(a.get(1));
                        } catch (NumberFormatException e) {
                            decimals = -1;
                        }
                        if (decimals < 0 || decimals > 9) throw new IllegalArgumentException(at + "the decimals must be a whole number within 0..9, got " + a.get(1));
                    }
                    if (decimals == 0) return ctx -> Math.round(p.at(ctx.c.elapsed(), ctx.c.seed()));
                    double scale = Math.pow(10, decimals);
                    return ctx -> Math.round(p.at(ctx.c.elapsed(), ctx.c.seed()) * scale) / scale;
                }
                default:
                    throw new IllegalArgumentException(at + "unknown placeholder; known: uuid, now, seq, int(a,b), float(a,b), choice(x:w,...), pick(x,...), emitter, scenario_id, faker(Expr), profile(name)");
            }
        }
    }

    private static long[] bounds(List<String> a, String at) {
        try {
            long lo = Long.parseLong(a.get(0)), hi = Long.parseLong(a.get(1));
            if (a.size() != 2 || hi < lo) throw new IllegalArgumentException(at + "needs two whole numbers a <= b");
            return new long[] {lo, hi};
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException(at + "needs two whole numbers a <= b");
        }
    }

    private static double number(List<String> a, int i, String at) {
        try {
            return Double.parseDouble(a.get(i));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException(at + "needs two numbers a <= b");
        }
    }
}
