package io.longrun.scenario;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's scenario came from, so that a resumed run can read the very same one: the text (a file's bytes,
 * or the quick run's generated YAML), where it was read from, the folder its relative names (template_file,
 * replay files) are found in, and the {@code --rate} given over it (a flag that is not kept in the scenario).
 */
public record ScenarioSource(String origin, byte[] text, Path baseDir, Optional<Double> rate) {
    /** What the reader read: a file's bytes. */
    public static ScenarioSource file(Path file, byte[] text, Optional<Double> rate) {
        Path dir = file.toAbsolutePath().getParent();
        return new ScenarioSource(file.toString(), text, dir == null ? Path.of("") : dir, rate);
    }
}
