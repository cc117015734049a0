package io.understudy.engine.postgresql;

import io.understudy.engine.EngineException;
import io.understudy.engine.process.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates a new, empty PostgreSQL cluster with {@code initdb}: superuser {@value #SUPERUSER},
 * UTF-8, and trust for local and loopback connections. That authentication is for the local test
 * drive and the tests only; a production cluster is the DBA's own and is never made here.
 *
 * <p>Files are edited in place, so they keep the owner {@code initdb} gave them (the database
 * owner) even when the caller runs as root.
 */
public final class InitDb {
    public static final String SUPERUSER = "postgres";

    private static final String TRUST_LOOPBACK_HBA =
            """
            # Written by Understudy for a local test cluster: trust local and loopback connections,
            # replication included. Never use this on a database that holds anything of value.
            local   all             all                          trust
            host    all             all          127.0.0.1/32    trust
            local   replication     all                          trust
            host    replication     all          127.0.0.1/32    trust
            """;

    private final PostgresBinaries binaries;
    private final CommandRunner runner;

    /**
     * @param binaries the PostgreSQL installation whose {@code initdb} to run
     * @param runner runs it as the database owner (see {@link PostgresEngine#commandRunner})
     */
    public InitDb(PostgresBinaries binaries, CommandRunner runner) {
        this.binaries = binaries;
        this.runner = runner;
    }

    /**
     * Runs {@code initdb} into {@code dataDirectory} (absent or empty, its parent writable by the
     * database owner) and trusts local and loopback connections. Not idempotent: a second call on
     * the same directory fails. Blocks at most {@code timeout}.
     *
     * @throws EngineException naming initdb's complaint when it fails
     */
    public void create(Path dataDirectory, Duration timeout) {
        try {
            runner.runChecked(
                    List.of(
                            binaries.path("initdb").toString(),
                            "-D",
                            dataDirectory.toString(),
                            "-U",
                            SUPERUSER,
                            "--auth-local=trust",
                            "--auth-host=trust",
                            "-E",
                            "UTF8",
                            "--no-instructions"),
                    timeout);
        } catch (EngineException e) {
            throw new EngineException(e.failure(), "initdb " + dataDirectory + ": " + e.getMessage(), e);
        }
        trustLoopback(dataDirectory);
    }

    /**
     * The settings of a local cluster made here: listening on 127.0.0.1 at {@code port}, its
     * socket in {@code socketDirectory}, small memory, and ready to be a primary or a standby
     * (replica WAL, WAL senders and slots, hot standby, wal_log_hints for a later rewind).
     */
    public static Map<String, String> localSettings(int port, Path socketDirectory) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("port", Integer.toString(port));
        settings.put("listen_addresses", "127.0.0.1");
        settings.put("unix_socket_directories", socketDirectory.toString());
        settings.put("shared_buffers", "16MB");
        settings.put("max_connections", "50");
        settings.put("wal_level", "replica");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        settings.put("hot_standby", "on");
        settings.put("wal_log_hints", "on");
        return settings;
    }

    /** Replaces {@code pg_hba.conf} with trust for local and loopback connections. */
    public static void trustLoopback(Path dataDirectory) {
        write(dataDirectory.resolve("pg_hba.conf"), TRUST_LOOPBACK_HBA, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Appends {@code settings} to {@code postgresql.conf} under a comment line; PostgreSQL takes
     * the last value of a setting, so these win over what stands above.
     */
    public static void appendSettings(Path dataDirectory, String comment, Map<String, String> settings) {
        StringBuilder lines = new StringBuilder("\n# ").append(comment).append('\n');
        settings.forEach((key, value) -> lines.append(settingLine(key, value)));
        write(dataDirectory.resolve("postgresql.conf"), lines.toString(), StandardOpenOption.APPEND);
    }

    /** One line of postgresql.conf, the value quoted: {@code key = 'value'}. */
    public static String settingLine(String key, String value) {
        return key + " = '" + value.replace("'", "''") + "'\n";
    }

    private static void write(Path file, String content, StandardOpenOption mode) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
