package io.understudy.engine.postgresql;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading and writing PostgreSQL's text configuration files ({@code postgresql.conf}, {@code
 * postgresql.auto.conf}, {@code pg_hba.conf}) so that they keep their owner, group and mode, and
 * so that a crash mid-write never leaves a file half written.
 */
final class ConfigFiles {
    private static final Logger log = LoggerFactory.getLogger(ConfigFiles.class);

    /** {@code name = value}, {@code name value}, {@code name = 'va''lue'  # comment}. */
    private static final Pattern SETTING = Pattern.compile(
            "^\\s*([A-Za-z_][A-Za-z0-9_.]*)(?:\\s*=\\s*|\\s+)('(?:[^'\\\\]|''|\\\\.)*'|[^\\s#']*)\\s*(?:#.*)?$");

    private ConfigFiles() {}

    /**
     * The text of {@code file}.
     *
     * @throws EngineException PERMANENT when it cannot be read
     */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the content of {@code file} with {@code text}: writes a temporary file beside it
     * with the same owner, group and mode, then renames it over the original (following a
     * symbolic link to the real file). Where the directory cannot take the temporary file, writes
     * the file in place instead.
     *
     * @throws EngineException PERMANENT when neither works
     */
    static void replace(Path file, String text) {
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot write " + file + ": " + e.getMessage(), e);
        }
        Path parent = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            PosixFileAttributes original = Files.readAttributes(target, PosixFileAttributes.class);
            temporary = Files.createTempFile(parent, "." + target.getFileName() + ".", ".understudy");
            Files.writeString(temporary, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
            view.setPermissions(original.permissions());
            if (!Files.getOwner(temporary).equals(original.owner())) {
                view.setOwner(original.owner());
            }
            if (!Files.readAttributes(temporary, PosixFileAttributes.class)
                    .group()
                    .equals(original.group())) {
                view.setGroup(original.group());
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            log.debug("cannot replace {} through a temporary file; writing it in place: {}", target, e.getMessage());
            writeInPlace(target, text);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Creates {@code file} with {@code text} (or replaces its content) and, when {@code owner} is
     * given, makes that user its owner.
     *
     * @throws EngineException PERMANENT when it cannot be written
     */
    static void create(Path file, String text, Optional<String> owner) {
        try {
            Files.writeString(
                    file,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            owner.ifPresent(user -> OsUser.chown(file, user));
        } catch (IOException | RuntimeException e) {
            throw new EngineException(Failure.PERMANENT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The value of the last line setting {@code name} in {@code text} (PostgreSQL takes the last
     * one), quotes removed; empty when none does. Include directives are not followed.
     */
    static Optional<String> lastSetting(String text, String name) {
        Optional<String> value = Optional.empty();
        for (String line : text.lines().toList()) {
            Matcher m = SETTING.matcher(line);
            if (m.matches() && m.group(1).equalsIgnoreCase(name)) {
                value = Optional.of(unquote(m.group(2)));
            }
        }
        return value;
    }

    /** As {@link #lastSetting(String, String)} over a file; empty when the file does not exist. */
    static Optional<String> lastSetting(Path file, String name) {
        try {
            return lastSetting(Files.readString(file, StandardCharsets.UTF_8), name);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * One line of a PostgreSQL configuration file, as ALTER SYSTEM writes it: {@code name =
     * 'value'}, with quotes and backslashes in the value doubled.
     */
    static String settingLine(String name, String value) {
        return name + " = '" + value.replace("\\", "\\\\").replace("'", "''") + "'\n";
    }

    /** {@code text} without the lines that set one of {@code names}. */
    static String withoutSettings(String text, List<String> names) {
        StringBuilder kept = new StringBuilder();
        for (String line : text.lines().toList()) {
            Matcher m = SETTING.matcher(line);
            boolean drop = m.matches() && names.stream().anyMatch(n -> n.equalsIgnoreCase(m.group(1)));
            if (!drop) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    /** A value as written in a configuration file, without its quotes and escapes. */
    static String unquote(String raw) {
        if (raw.length() < 2 || !raw.startsWith("'") || !raw.endsWith("'")) {
            return raw;
        }
        String inner = raw.substring(1, raw.length() - 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if ((c == '\\' || c == '\'') && i + 1 < inner.length()) {
                char next = inner.charAt(i + 1);
                if (c == '\'' && next == '\'') {
                    out.append('\'');
                    i++;
                    continue;
                }
                if (c == '\\') {
                    out.append(
                            switch (next) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                default -> next;
                            });
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static void writeInPlace(Path file, String text) {
        try {
            Files.writeString(
                    file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code file} if it exists; a failure is logged at DEBUG only. */
    static void deleteQuietly(@Nullable Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("could not delete {}", file, e);
        }
    }
}
