package io.longrun.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The files beside a run log that a resume needs: the scenario's copy and the lock its runner holds. In a run
 * folder ({@code runs/<id>/run.jsonl}) they are {@code scenario.yaml} and {@code run.lock}; beside a log given
 * with --log-file ({@code x.jsonl}) they are {@code x.scenario.yaml} and {@code x.lock}.
 */
public final class RunFiles {
    private RunFiles() {}

    /** --log-file, else runs/<run id>/run.jsonl in a folder of its own. */
    static Path logFile(RunOptions opt, String runId) {
        return opt.logFile().orElseGet(() -> freeFolder(opt.runsDir(), runId).resolve("run.jsonl"));
    }

    private static Path freeFolder(Path runsDir, String runId) {
        Path dir = runsDir.resolve(runId);
        for (int i = 2; Files.exists(dir); i++) dir = runsDir.resolve(runId + "-" + i);
        return dir;
    }

    /** The run log of a run folder or of a log file given directly. */
    public static Path runLog(Path folderOrLog) {
        return Files.isDirectory(folderOrLog) ? folderOrLog.resolve("run.jsonl") : folderOrLog;
    }

    public static Path scenarioCopy(Path runLog) {
        return runLog.resolveSibling(stem(runLog).equals("run") ? "scenario.yaml" : stem(runLog) + ".scenario.yaml");
    }

    public static Path lockFile(Path runLog) {
        return runLog.resolveSibling(stem(runLog) + ".lock");
    }

    private static String stem(Path runLog) {
        String n = runLog.getFileName().toString();
        return n.endsWith(".jsonl") ? n.substring(0, n.length() - 6) : n;
    }

    /**
     * The lock a live runner holds on its run for as long as its process lives: the operating system lets it go
     * when the process dies, however it dies (SIGKILL, OOM), so a resume can tell a dead run from a running one.
     */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        /** Takes the lock of a run log, or returns null when another live process holds it. */
        public static Lock take(Path runLog) throws IOException {
            Path file = lockFile(runLog);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // this JVM holds it already: a run in this process
            }
            if (l == null) {
                ch.close();
                return null;
            }
            return new Lock(ch, l);
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
