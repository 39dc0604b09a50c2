package io.longrun.coord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The store in a folder: {@code status-I.json} per shard, replaced whole at every tick (written beside it, then
 * renamed over it, so a reader never sees half a status), and {@code abort.json}, created once (the first shard to
 * create it wins). Ages are by this host's clock against the writer's: on a shared volume the hosts' clocks must
 * agree within a second or two.
 */
public final class FileStore implements CoordStore {
    private final Path dir;
    private final int index;

    /** @param dir the run's folder in the store (created); {@code index} this shard's */
    public FileStore(Path dir, int index) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.index = index;
    }

    @Override
    public void publish(ShardStatus status) throws IOException {
        Path tmp = dir.resolve(".status-" + index + ".json.tmp"), to = dir.resolve("status-" + index + ".json");
        Files.writeString(tmp, status.toJson(), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public List<Published> statuses() throws IOException {
        List<Published> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "status-*.json")) {
            for (Path f : files) {
                String text;
                try {
                    text = Files.readString(f, StandardCharsets.UTF_8);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                try {
                    ShardStatus s = ShardStatus.fromJson(text);
                    out.add(new Published(s, Math.max(0, now - s.timeMs())));
                } catch (IllegalArgumentException notOurs) {
                    // a file someone else put there: not a shard's
                }
            }
        }
        out.sort(Comparator.comparingInt(p -> p.status().index()));
        return out;
    }

    @Override
    public Abort abort(Abort abort) throws IOException {
        Path f = dir.resolve("abort.json"), tmp = dir.resolve(".abort-" + index + ".json.tmp");
        Files.writeString(tmp, Json.write(abort), StandardCharsets.UTF_8);
        try {
            // a hard link is created whole or not at all, and only once: the first shard's abort stands
            Files.createLink(f, tmp);
        } catch (FileAlreadyExistsException already) {
            // another shard stopped the run first
        } catch (UnsupportedOperationException | IOException noLinks) {
            try {
                Files.writeString(f, Json.write(abort), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException already) {
                // another shard stopped the run first
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return abort().orElse(abort);
    }

    @Override
    public Optional<Abort> abort() throws IOException {
        Path f = dir.resolve("abort.json");
        try {
            return Optional.of(Json.read(Files.readString(f, StandardCharsets.UTF_8), Abort.class));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IllegalArgumentException partial) {
            return Optional.empty(); // being written by a file system without links: read again at the next poll
        }
    }

    @Override
    public void close() {
        // nothing held open
    }
}
