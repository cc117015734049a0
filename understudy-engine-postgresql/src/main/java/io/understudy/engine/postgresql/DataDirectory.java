package io.understudy.engine.postgresql;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one PostgreSQL data directory that tell what it is without asking the server:
 * {@code PG_VERSION}, {@code global/pg_control}, {@code postmaster.pid}, the signal files and the
 * port in its configuration files. Reads small files only.
 */
final class DataDirectory {
    static final int DEFAULT_PORT = 5432;
    static final String PG_VERSION = "PG_VERSION";
    static final String PG_CONTROL = "global/pg_control";

    /** {@code port = 5433}, {@code port 5433}, {@code port = '5433'  # comment}. */
    private static final Pattern PORT_SETTING =
            Pattern.compile("^\\s*port(?:\\s*=\\s*|\\s+)'?(\\d+)'?\\s*(?:#.*)?$", Pattern.CASE_INSENSITIVE);

    private final Path path;

    DataDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    Path path() {
        return path;
    }

    /** Why this is not a PostgreSQL data directory, e.g. {@code no PG_VERSION file}; empty if it is one. */
    Optional<String> problem() {
        if (!Files.exists(path)) {
            return Optional.of("does not exist");
        }
        if (!Files.isDirectory(path)) {
            return Optional.of("not a directory");
        }
        if (!Files.isReadable(path) || !Files.isExecutable(path)) {
            return Optional.of("not readable");
        }
        if (!Files.isRegularFile(path.resolve(PG_VERSION))) {
            return Optional.of("no " + PG_VERSION + " file");
        }
        if (!Files.isRegularFile(path.resolve(PG_CONTROL))) {
            return Optional.of("no " + PG_CONTROL + " file");
        }
        return Optional.empty();
    }

    /**
     * The major version in {@code PG_VERSION}, e.g. {@code 15}.
     *
     * @throws EngineException PERMANENT when it cannot be read
     */
    String majorVersion() {
        Path file = path.resolve(PG_VERSION);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The major version as a number, e.g. 15 (9 for 9.6); 0 when it cannot be read. */
    int majorVersionNumber() {
        try {
            String major = majorVersion();
            int dot = major.indexOf('.');
            return Integer.parseInt(dot < 0 ? major : major.substring(0, dot));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** As {@link PostmasterPid#read}. */
    Optional<PostmasterPid> postmasterPid() {
        return PostmasterPid.read(path);
    }

    /** Whether {@code standby.signal} or {@code recovery.signal} asks it to start in recovery. */
    boolean hasRecoverySignal() {
        return Files.exists(path.resolve("standby.signal")) || Files.exists(path.resolve("recovery.signal"));
    }

    /**
     * The port it will listen on when started: the last {@code port} setting in {@code
     * postgresql.auto.conf}, else in {@code postgresql.conf}, else {@value #DEFAULT_PORT}. Include
     * directives and command-line options are not followed.
     */
    int configuredPort() {
        return lastPortSetting(path.resolve("postgresql.auto.conf"))
                .or(() -> lastPortSetting(path.resolve("postgresql.conf")))
                .orElse(DEFAULT_PORT);
    }

    static Optional<Integer> lastPortSetting(List<String> lines) {
        Optional<Integer> port = Optional.empty();
        for (String line : lines) {
            Matcher m = PORT_SETTING.matcher(line);
            if (m.matches()) {
                try {
                    port = Optional.of(Integer.parseInt(m.group(1)));
                } catch (NumberFormatException e) {
                    // too many digits for a port: not a setting PostgreSQL would accept either
                }
            }
        }
        return port;
    }

    private static Optional<Integer> lastPortSetting(Path file) {
        try {
            return lastPortSetting(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
