package io.understudy.core;

import io.understudy.core.protocol.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Reads a password, passphrase or token from a file, the one way every command does: the first
 * line, without surrounding white space.
 */
public final class SecretFiles {
    private SecretFiles() {}

    /**
     * Creates {@code file} with mode 600 holding a new random secret (24 URL-safe characters),
     * unless it exists; then reads it.
     *
     * @throws UnderstudyException naming the file when it cannot be written or read
     */
    public static Secret createIfAbsent(Path file, String what) {
        if (!Files.exists(file)) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
            } catch (IOException e) {
                throw new UnderstudyException("cannot write the " + what + " file " + file + ": " + e.getMessage(), e);
            }
        }
        return readFirstLine(file, what);
    }

    /**
     * The first line of {@code file}, stripped.
     *
     * @param what what the file holds, for messages: {@code admin password}
     * @throws UnderstudyException naming the file when it cannot be read or its first line is empty;
     *     the message never holds the file's content
     */
    public static Secret readFirstLine(Path file, String what) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnderstudyException(
                    "cannot read the " + what + " file " + file + ": "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
                    e);
        }
        String first = content.lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            throw new UnderstudyException(
                    "the " + what + " file " + file + " is empty; put the " + what + " on its first line");
        }
        return Secret.of(first);
    }
}
