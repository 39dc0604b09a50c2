package io.longrun.experiment;

import io.longrun.random.SplitMix;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which experiments a suite runs and in which order: {@code --only} picks by name (a {@code *} matches any
 * characters), {@code --loop} repeats the list, and {@code --shuffle} draws each round's order from the seed, so that
 * the same seed gives the same orders. Pure: no clock, no files.
 */
public final class SuitePlan {
    /** {@code --loop forever}. */
    public static final int FOREVER = 0;

    private SuitePlan() {}

    /** One experiment to run: its round (1-based), its place in the round (1-based) and its index in the selection. */
    public record Step(int round, int place, int index) {}

    /**
     * The indexes of the names that {@code only} picks, in the given order; all of them when {@code only} is empty.
     *
     * @throws IllegalArgumentException naming every pattern that picks nothing, with the names there are
     */
    public static List<Integer> select(List<String> names, List<String> only) {
        if (only.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) all.add(i);
            return all;
        }
        List<String> unmatched = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String o : only) {
            Pattern p = glob(o);
            if (names.stream().noneMatch(n -> p.matcher(n).matches())) unmatched.add(o);
            patterns.add(p);
        }
        if (!unmatched.isEmpty())
            throw new IllegalArgumentException("--only " + String.join(", ", unmatched) + ": no experiment of that name; there are "
                    + String.join(", ", names));
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (patterns.stream().anyMatch(p -> p.matcher(n).matches())) out.add(i);
        }
        return out;
    }

    static Pattern glob(String g) {
        String[] parts = g.split("\\*", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append(".*");
            b.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(b.toString());
    }

    /**
     * The steps, round after round: {@code count} experiments a round, {@code loops} rounds ({@link #FOREVER}: no end).
     * Without a shuffle seed every round is in the given order; with one, round r's order is a Fisher-Yates shuffle
     * drawn from (seed, r).
     */
    public static Iterator<Step> steps(int count, int loops, Optional<Long> shuffleSeed) {
        if (count < 0 || loops < 0) throw new IllegalArgumentException("count and loops must not be negative");
        return new Iterator<>() {
            int round = 1, place = 0;
            int[] order = order(count, 1, shuffleSeed);

            @Override
            public boolean hasNext() {
                return count > 0 && (loops == FOREVER || round < loops || round == loops && place < count);
            }

            @Override
            public Step next() {
                if (!hasNext()) throw new NoSuchElementException();
                if (place == count) {
                    round++;
                    place = 0;
                    order = order(count, round, shuffleSeed);
                }
                return new Step(round, place + 1, order[place++]);
            }
        };
    }

    static int[] order(int count, int round, Optional<Long> shuffleSeed) {
        int[] a = new int[count];
        for (int i = 0; i < count; i++) a[i] = i;
        if (shuffleSeed.isEmpty()) return a;
        SplitMix.Stream r = new SplitMix.Stream(shuffleSeed.get(), SplitMix.hash("suite-shuffle"), round);
        for (int i = count - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
