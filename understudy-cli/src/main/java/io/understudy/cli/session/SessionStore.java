package io.understudy.cli.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.understudy.core.UnderstudyException;
import io.understudy.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads, writes and removes {@code session.json} in one config directory. Writing goes through a
 * temporary file in the same directory, created with mode 600 before the token is written, then
 * renamed over the old file, so a reader sees the old session or the new one, never a part.
 */
public final class SessionStore {
    public static final String FILE_NAME = "session.json";

    private static final ObjectMapper JSON = Json.mapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path directory;

    public SessionStore(Path directory) {
        this.directory = directory;
    }

    /**
     * The user's config directory for Understudy: {@code $UNDERSTUDY_CONFIG_DIR} if set, else
     * {@code $XDG_CONFIG_HOME/understudy}, else {@code ~/.config/understudy}.
     */
    public static Path defaultDirectory(Map<String, String> env, Path userHome) {
        String own = env.get("UNDERSTUDY_CONFIG_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "understudy");
        }
        return userHome.resolve(".config").resolve("understudy");
    }

    /** The session file, whether it exists or not. */
    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /**
     * The saved session, or empty when there is none.
     *
     * @throws UnderstudyException when the file exists but cannot be read or is not a session
     */
    public Optional<Session> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UnderstudyException("cannot read the saved session " + file() + ": " + e.getMessage(), e);
        }
        try {
            Session session = JSON.readValue(bytes, Session.class);
            if (session == null || isBlank(session.url()) || isBlank(session.user()) || session.token() == null) {
                throw new UnderstudyException("the saved session " + file() + " is incomplete");
            }
            return Optional.of(session);
        } catch (IOException e) {
            throw new UnderstudyException(
                    "the saved session " + file() + " is not valid"
                            + (e instanceof JsonProcessingException j ? ": " + j.getOriginalMessage() : ""),
                    e);
        }
    }

    /**
     * Saves {@code session}, replacing any other, in a file only its owner can read.
     *
     * @throws UnderstudyException when the directory or the file cannot be written
     */
    public void write(Session session) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(session);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the session", e);
        }
        Path temporary = null;
        try {
            createDirectory();
            temporary = Files.createTempFile(directory, ".session-", ".tmp", ownerOnly(OWNER_ONLY_FILE));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            move(temporary, file());
            temporary = null;
        } catch (IOException e) {
            throw new UnderstudyException("cannot save the session in " + file() + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    /**
     * Removes the saved session.
     *
     * @return true when there was one
     * @throws UnderstudyException when it exists but cannot be removed
     */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UnderstudyException("cannot remove the saved session " + file() + ": " + e.getMessage(), e);
        }
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, ownerOnly(OWNER_ONLY_DIR));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        }
        return new FileAttribute<?>[0];
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: the temporary file holds the token only when the write got that far
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
