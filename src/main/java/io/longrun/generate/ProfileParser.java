package io.longrun.generate;

import io.longrun.generate.Profile.At;
import io.longrun.generate.Profile.Modifier;
import io.longrun.random.SplitMix;
import io.longrun.scenario.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a value profile from its text, e.g. {@code steady(100) crash(fault, 60, 1m)} or
 * {@code phases(growth(100, 2) for 5m, steady() for 1m, growth(-3))}. See {@link Profile} for the forms. A problem is
 * an IllegalArgumentException whose message says what is wrong in the user's words.
 */
public final class ProfileParser {
    private static final Pattern TOKEN = Pattern.compile("\\s*(?:([(),])|([A-Za-z0-9_.\\-+]+))");
    private static final String FORMS = "steady(v), growth(start, pct_per_min), random_walk(start, step, min, max), phases(P for D, ...), "
            + "each optionally followed by crash(at, drop_pct, recover_over) and spike(at, factor, for)";

    private final List<String> tokens = new ArrayList<>();
    private final String text;
    private final long stream;
    private int pos;

    private ProfileParser(String text, String name) {
        this.text = text;
        this.stream = SplitMix.hash("profile:" + name);
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                if (text.substring(at).isBlank()) break;
                throw new IllegalArgumentException("unexpected \"" + text.substring(at).trim() + "\" in \"" + text + "\"");
            }
            tokens.add(m.group(1) != null ? m.group(1) : m.group(2));
            at = m.end();
        }
    }

    /**
     * Reads a profile.
     *
     * @param name the profile's name: it seeds a random walk's draws
     */
    public static Profile parse(String text, String name) {
        ProfileParser p = new ProfileParser(text, name);
        if (p.tokens.isEmpty()) throw new IllegalArgumentException("empty: write one of " + FORMS);
        Profile out = p.profile(false);
        if (p.pos < p.tokens.size()) throw new IllegalArgumentException("unexpected \"" + p.tokens.get(p.pos) + "\" after the profile in \"" + text + "\"");
        return out;
    }

    private Profile profile(boolean inChain) {
        String name = next("a profile: " + FORMS);
        Profile base;
        switch (name) {
            case "steady" -> {
                List<String> a = args(name);
                if (a.isEmpty() && !inChain) throw bad("steady() without a value only goes on from the previous segment, inside phases(...)");
                if (a.size() > 1) throw bad("steady takes one value, got " + a.size());
                base = new Profile.Steady(a.isEmpty() ? Double.NaN : number(a.get(0), "steady's value"));
            }
            case "growth" -> {
                List<String> a = args(name);
                if (a.size() == 1 && inChain) base = new Profile.Growth(Double.NaN, number(a.get(0), "growth's pct_per_min"));
                else if (a.size() == 2) base = new Profile.Growth(number(a.get(0), "growth's start"), number(a.get(1), "growth's pct_per_min"));
                else throw bad("growth takes (start, pct_per_min)" + (inChain ? " or, to go on from the previous segment, (pct_per_min)" : ""));
                if (((Profile.Growth) base).pctPerMin() <= -100) throw bad("growth's pct_per_min must be above -100");
            }
            case "random_walk" -> {
                List<String> a = args(name);
                if (a.size() != 4) throw bad("random_walk takes (start, step, min, max), got " + a.size() + " value(s)");
                double start = number(a.get(0), "random_walk's start"), step = number(a.get(1), "random_walk's step");
                double min = number(a.get(2), "random_walk's min"), max = number(a.get(3), "random_walk's max");
                if (step < 0) throw bad("random_walk's step cannot be negative");
                if (max < min) throw bad("random_walk's max (" + a.get(3) + ") is below its min (" + a.get(2) + ")");
                base = new Profile.RandomWalk(start, step, min, max, stream);
            }
            case "phases" -> base = chain();
            case "crash", "spike" -> throw bad(name + " changes a profile: put a base before it, e.g. steady(100) " + name + "(...)");
            default -> throw bad("unknown profile \"" + name + "\"; write one of " + FORMS);
        }
        List<Modifier> mods = new ArrayList<>();
        while (pos < tokens.size() && (tokens.get(pos).equals("crash") || tokens.get(pos).equals("spike"))) mods.add(modifier(next("")));
        return mods.isEmpty() ? base : new Profile.Modified(base, mods);
    }

    private Profile chain() {
        expect("(", "phases");
        List<Profile.Segment> segs = new ArrayList<>();
        while (true) {
            Profile p = profile(true);
            double len = Double.POSITIVE_INFINITY;
            if (pos < tokens.size() && tokens.get(pos).equals("for")) {
                pos++;
                String d = next("a duration after for");
                if (d.equals(")") || d.equals(",") || d.equals("(")) throw bad("a duration is missing after for");
                len = seconds(d, "a segment's length");
                if (len <= 0) throw bad("a segment's length must be positive");
            }
            segs.add(new Profile.Segment(p, len));
            String t = next("',' or ')' in phases(...)");
            if (t.equals(")")) break;
            if (!t.equals(",")) throw bad("expected ',' or ')' in phases(...), got \"" + t + "\"");
            if (Double.isInfinite(len)) throw bad("every segment of phases(...) but the last needs 'for DURATION'");
        }
        if (segs.get(0).profile() instanceof Profile.Steady s && Double.isNaN(s.value())
                || segs.get(0).profile() instanceof Profile.Growth g && Double.isNaN(g.start()))
            throw bad("the first segment of phases(...) has nothing to go on from: give its start value");
        return new Profile.Chain(segs);
    }

    private Modifier modifier(String name) {
        List<String> a = args(name);
        if (name.equals("crash")) {
            if (a.size() != 3) throw bad("crash takes (at, drop_pct, recover_over), got " + a.size() + " value(s)");
            double drop = number(a.get(1), "crash's drop_pct");
            if (drop < 0 || drop > 100) throw bad("crash's drop_pct must be within 0..100, got " + a.get(1));
            double over = a.get(2).equals("never") ? Double.POSITIVE_INFINITY : seconds(a.get(2), "crash's recover_over (or never)");
            return new Profile.Crash(at(a.get(0), "crash"), drop, over);
        }
        if (a.size() != 3) throw bad("spike takes (at, factor, for), got " + a.size() + " value(s)");
        double factor = number(a.get(1), "spike's factor");
        if (factor < 0) throw bad("spike's factor cannot be negative");
        return new Profile.Spike(at(a.get(0), "spike"), factor, seconds(a.get(2), "spike's for"));
    }

    /** A duration since the run's start, or a phase's name. */
    private At at(String token, String what) {
        Optional<Duration> d = token.matches("[0-9].*") ? Durations.parse(token) : Optional.empty();
        if (d.isPresent()) return At.of(Durations.seconds(d.get()));
        if (token.matches("[0-9].*")) throw bad(what + "'s at: \"" + token + "\" is neither a duration (90s, 5m) nor a phase's name");
        return new At(Double.NaN, token);
    }

    private List<String> args(String name) {
        expect("(", name);
        List<String> out = new ArrayList<>();
        if (peek(")")) {
            pos++;
            return out;
        }
        while (true) {
            String v = next("a value in " + name + "(...)");
            if (v.equals("(") || v.equals(",") || v.equals(")")) throw bad("a value is missing in " + name + "(...)");
            out.add(v);
            String t = next("')' to close " + name + "(...)");
            if (t.equals(")")) return out;
            if (!t.equals(",")) throw bad("expected ',' or ')' in " + name + "(...), got \"" + t + "\"");
        }
    }

    private double number(String token, String what) {
        try {
            double v = Double.parseDouble(token);
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw bad(what + " is not a number: \"" + token + "\"");
        }
    }

    private double seconds(String token, String what) {
        return Durations.parse(token).map(Durations::seconds)
                .orElseThrow(() -> bad(what + " is not a duration (90s, 5m, 1h): \"" + token + "\""));
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }

    private void expect(String t, String after) {
        String got = next("'" + t + "' after " + after);
        if (!got.equals(t)) throw bad("expected '" + t + "' after " + after + ", got \"" + got + "\"");
    }

    private String next(String expected) {
        if (pos >= tokens.size()) throw bad("the text ends where " + expected + " was expected");
        return tokens.get(pos++);
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException(what + " (in \"" + text + "\")");
    }
}
