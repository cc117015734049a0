package io.understudy.engine.postgresql;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The contents of a data directory's {@code postmaster.pid}, which the postmaster writes when it
 * starts, updates as its state changes, and removes when it stops cleanly. A file whose process is
 * gone is left over from a crash or a kill.
 *
 * @param pid the postmaster's process id
 * @param dataDirectory the data directory it serves; null if the file does not say yet
 * @param startTime when it started; null if the file does not say yet
 * @param port the port it listens on; null if the file does not say yet
 * @param socketDirectory the first Unix socket directory; null when none (or not yet written)
 * @param listenAddress the first address it listens on; null when none (or not yet written)
 * @param sharedMemory the shared memory key and id, as written; null if not written yet
 * @param status the postmaster's state
 */
public record PostmasterPid(
        long pid,
        @Nullable Path dataDirectory,
        @Nullable Instant startTime,
        @Nullable Integer port,
        @Nullable String socketDirectory,
        @Nullable String listenAddress,
        @Nullable String sharedMemory,
        Status status) {

    public static final String FILE_NAME = "postmaster.pid";

    /** The postmaster's state, from the file's eighth line. */
    public enum Status {
        /** Starting up or in crash recovery; not accepting connections yet. */
        STARTING("starting"),
        /** Shutting down. */
        STOPPING("stopping"),
        /** Accepting connections (a primary, or a hot standby that reached consistency). */
        READY("ready"),
        /** Running as a standby that does not accept connections (a warm standby). */
        STANDBY("standby"),
        /** The line is missing (the file is still being written) or unknown. */
        UNKNOWN("");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        static Status of(String line) {
            String word = line.strip();
            for (Status s : values()) {
                if (!s.text.isEmpty() && s.text.equals(word)) {
                    return s;
                }
            }
            return UNKNOWN;
        }
    }

    /**
     * Reads {@code dataDirectory/postmaster.pid}. Reads one small file; does not block otherwise.
     *
     * @return empty when there is no such file
     * @throws EngineException PERMANENT when it cannot be read; TRANSIENT when its first line is not
     *     a process id (as while the postmaster is still writing it)
     */
    public static Optional<PostmasterPid> read(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return Optional.of(parse(content));
        } catch (IllegalArgumentException e) {
            throw new EngineException(Failure.TRANSIENT, file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the file's contents. Lines after the first may be missing.
     *
     * @throws IllegalArgumentException when the first line is not a positive process id
     */
    public static PostmasterPid parse(String content) {
        List<String> lines = content.lines().toList();
        long pid;
        try {
            pid = Long.parseLong(line(lines, 0));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("first line is not a process id: '" + line(lines, 0) + "'", e);
        }
        if (pid <= 0) {
            throw new IllegalArgumentException("first line is not a process id: " + pid);
        }
        return new PostmasterPid(
                pid,
                orNull(line(lines, 1), Path::of),
                orNull(line(lines, 2), s -> Instant.ofEpochSecond(Long.parseLong(s))),
                orNull(line(lines, 3), Integer::valueOf),
                orNull(line(lines, 4), s -> s),
                orNull(line(lines, 5), s -> s),
                orNull(line(lines, 6), s -> s.replaceAll("\\s+", " ")),
                Status.of(line(lines, 7)));
    }

    /**
     * Whether the process the file names is alive. A live process of that id is taken to be the
     * postmaster, as {@code pg_ctl status} does.
     */
    public boolean isProcessAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String line(List<String> lines, int index) {
        return index < lines.size() ? lines.get(index).strip() : "";
    }

    /** {@code parser} applied to {@code text}; null when the text is empty or does not parse. */
    private static <T> @Nullable T orNull(String text, Function<String, T> parser) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException | DateTimeException e) {
            return null;
        }
    }
}
