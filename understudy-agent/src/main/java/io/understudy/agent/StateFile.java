package io.understudy.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.understudy.core.UnderstudyException;
import io.understudy.core.json.Json;
import io.understudy.core.state.NodeState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state the agent has reached for each data directory, kept in {@code node-states.json} in
 * the agent's state directory so that it survives a restart. A change is written to disk
 * atomically (a temporary file in the same directory, flushed, then renamed over the old one)
 * before the new state is reported (STYLE.md 1.3, step 5), so the agent never reports a state
 * that a crash could take back. The file is readable by its owner only (mode 600) and holds no
 * secret. Thread-safe.
 */
final class StateFile {
    private static final Logger log = LoggerFactory.getLogger(StateFile.class);
    static final String FILE_NAME = "node-states.json";
    private static final int VERSION = 1;
    private static final ObjectMapper READER = Json.strictMapper();
    private static final ObjectMapper WRITER = Json.mapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /**
     * The state reached for one data directory.
     *
     * @param configuration the Configuration the database belongs to
     * @param dataDirectory its data directory, absolute
     * @param reportedState the state reached
     * @param epoch the epoch of the goal reached
     * @param operationId the operation of the goal reached; null when none
     */
    record Entry(
            String configuration,
            String dataDirectory,
            NodeState reportedState,
            long epoch,
            @Nullable String operationId) {}

    /** The file's layout; {@code version} lets a later agent read an older file. */
    private record Contents(int version, List<Entry> nodes) {}

    private final Path directory;
    private final Path file;
    private final Map<String, Entry> entries; // by data directory; guarded by this

    private StateFile(Path directory, Map<String, Entry> entries) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.entries = entries;
    }

    /**
     * Opens the state file in {@code directory}, creating the directory (mode 700) when it does
     * not exist; a missing file means no state yet.
     *
     * @throws UnderstudyException naming the file and what is wrong, when the directory cannot be
     *     created or written, or the file cannot be read or is corrupt
     */
    static StateFile open(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, directoryAttributes());
            }
        } catch (IOException e) {
            throw new UnderstudyException(
                    "--state-dir " + dir + ": cannot create it (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + ")",
                    e);
        }
        if (!Files.isWritable(dir)) {
            throw new UnderstudyException("--state-dir " + dir + ": this user cannot write there");
        }
        Path file = dir.resolve(FILE_NAME);
        Map<String, Entry> entries = new TreeMap<>();
        if (Files.exists(file)) {
            for (Entry entry : read(file)) {
                entries.put(entry.dataDirectory(), entry);
            }
        }
        return new StateFile(dir, entries);
    }

    private static List<Entry> read(Path file) {
        String advice = "; move it aside to start without state (the agent then adopts what it observes)";
        Contents contents;
        try {
            contents = READER.readValue(Files.readString(file, StandardCharsets.UTF_8), Contents.class);
        } catch (JsonProcessingException e) {
            throw new UnderstudyException(
                    "state file " + file + " is corrupt: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " at line " + e.getLocation().getLineNr())
                            + advice,
                    e);
        } catch (IOException e) {
            throw new UnderstudyException(
                    "state file " + file + ": cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + ")",
                    e);
        }
        if (contents == null) {
            throw new UnderstudyException("state file " + file + " is corrupt: it is empty" + advice);
        }
        if (contents.version() != VERSION) {
            throw new UnderstudyException("state file " + file + " has version " + contents.version()
                    + "; this agent reads version " + VERSION + advice);
        }
        List<@Nullable Entry> nodes = nullable(contents.nodes());
        for (@Nullable Entry entry : nodes) {
            if (entry == null || isIncomplete(entry)) {
                throw new UnderstudyException("state file " + file
                        + " is corrupt: every node needs configuration, dataDirectory and reportedState" + advice);
            }
        }
        return contents.nodes();
    }

    @SuppressWarnings("NullAway") // Jackson sets what the JSON holds, nulls included
    private static List<@Nullable Entry> nullable(@Nullable List<Entry> nodes) {
        return nodes == null ? List.of() : new ArrayList<>(nodes);
    }

    @SuppressWarnings("NullAway") // the JSON may lack what the types promise
    private static boolean isIncomplete(Entry entry) {
        return entry.configuration() == null || entry.dataDirectory() == null || entry.reportedState() == null;
    }

    /** Where the file is. */
    Path path() {
        return file;
    }

    /** The state reached for {@code dataDirectory}; empty when none is recorded. */
    synchronized Optional<Entry> entry(Path dataDirectory) {
        return Optional.ofNullable(entries.get(key(dataDirectory)));
    }

    /** Every recorded state, by data directory. */
    synchronized List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /**
     * Records {@code entry}, replacing what was recorded for its data directory, and writes the
     * file; returns once the file is on disk. When the write fails, nothing changes.
     *
     * @throws UncheckedIOException naming the file, when it cannot be written
     */
    synchronized void record(Entry entry) {
        Map<String, Entry> next = new TreeMap<>(entries);
        next.put(key(Path.of(entry.dataDirectory())), entry);
        write(next);
        entries.clear();
        entries.putAll(next);
    }

    /**
     * Forgets the state of {@code dataDirectory} and writes the file. Does nothing when none is
     * recorded.
     *
     * @throws UncheckedIOException as {@link #record}
     */
    synchronized void forget(Path dataDirectory) {
        if (!entries.containsKey(key(dataDirectory))) {
            return;
        }
        Map<String, Entry> next = new TreeMap<>(entries);
        next.remove(key(dataDirectory));
        write(next);
        entries.clear();
        entries.putAll(next);
    }

    private void write(Map<String, Entry> next) {
        byte[] bytes;
        try {
            bytes = WRITER.writeValueAsBytes(new Contents(VERSION, List.copyOf(next.values())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the agent's state", e);
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + FILE_NAME + "-", ".tmp", fileAttributes());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state file " + file + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    log.debug("could not delete {}", temporary, e);
                }
            }
        }
    }

    /** Makes the rename itself durable: on Linux, flushing the directory does that. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("cannot flush directory {} (not supported here)", directory, e);
        }
    }

    private static String key(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().normalize().toString();
    }

    private static FileAttribute<?>[] fileAttributes() {
        return isPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] directoryAttributes() {
        return isPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY)}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
