package io.longrun.run;

import io.longrun.scenario.InputText;
import io.longrun.scenario.ScenarioException;
import io.longrun.scenario.YamlDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The user's {@code --routes} folder, checked before Camel loads {@code DIR/*.yaml}: Camel reads bytes that are not UTF-8
 * as U+FFFD without a word, and a route nested a thousand levels deep overflows its YAML reader's stack (a JVM stack
 * trace, exit 1). Each is exit 2 here, naming the file.
 */
final class UserRoutes {
    private UserRoutes() {}

    static void check(Path dir) throws BadInput {
        if (!Files.isDirectory(dir)) throw new BadInput("--routes " + dir + ": no such folder");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new BadInput("--routes " + dir + ": cannot list: " + e.getMessage());
        }
        for (Path f : files) {
            try {
                Optional<String> deep = YamlDoc.nestingProblem(f.toString(), InputText.readUtf8(f, f.toString()));
                if (deep.isPresent()) throw new BadInput("--routes " + dir + ": " + deep.get());
            } catch (ScenarioException e) {
                throw new BadInput("--routes " + dir + ": " + e.getMessage());
            }
        }
    }
}
