package io.understudy.engine.postgresql;

import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.process.CommandResult;
import io.understudy.engine.process.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a primary with {@code pg_basebackup} through its replication slot, streaming the WAL
 * written meanwhile ({@code -X stream}), and reports its progress meter ({@code -P}) as it runs.
 * The password goes to pg_basebackup in its environment ({@code PGPASSWORD}), never on its
 * command line, where any user of the host could read it.
 */
final class PgBaseBackup {
    private static final Logger log = LoggerFactory.getLogger(PgBaseBackup.class);

    /** How long pg_basebackup tries to connect before it gives up (libpq's PGCONNECT_TIMEOUT). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final int ERROR_LINES = 10;

    /** {@code 1234/56789 kB (2%), 0/1 tablespace} with, in verbose mode, a file name after it. */
    private static final Pattern PROGRESS =
            Pattern.compile("^\\s*(\\d+)/(\\d+) kB \\((\\d+)%\\), (\\d+)/(\\d+) tablespaces?.*$");

    /**
     * Messages (in the C locale) of failures that may pass if tried again: the primary does not
     * answer, or the connection broke off. pg_basebackup has no exit code or SQLState for them,
     * so its words are all there is to go by.
     */
    private static final List<String> TRANSIENT_MESSAGES = List.of(
            "Connection refused",
            "timeout expired",
            "Connection timed out",
            "No route to host",
            "Network is unreachable",
            "server closed the connection unexpectedly",
            "could not receive data",
            "could not read COPY data",
            "terminating connection",
            "the database system is starting up",
            "the database system is shutting down",
            "too many connections",
            "is active for PID");

    private final PostgresBinaries binaries;
    private final CommandRunner runner;

    PgBaseBackup(PostgresBinaries binaries, CommandRunner runner) {
        this.binaries = binaries;
        this.runner = runner;
    }

    /**
     * How far the copy has got, from one line of pg_basebackup's progress meter.
     *
     * @param bytesDone bytes copied so far
     * @param bytesTotal bytes expected in all (pg_basebackup's estimate, at least {@code bytesDone})
     */
    record Progress(long bytesDone, long bytesTotal) {
        /** The progress a line of pg_basebackup's meter tells; empty for any other line. */
        static Optional<Progress> parse(String line) {
            Matcher m = PROGRESS.matcher(line);
            if (!m.matches()) {
                return Optional.empty();
            }
            try {
                long done = Long.parseLong(m.group(1)) * 1024;
                long total = Long.parseLong(m.group(2)) * 1024;
                return Optional.of(new Progress(done, Math.max(done, total)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Runs pg_basebackup into {@code dataDirectory} (absent or empty) from {@code spec}'s primary,
     * through its slot, and calls {@code progress} with each line of its meter. Blocks at most
     * {@code timeout}.
     *
     * @throws EngineException "pg_basebackup exited N: &lt;its error lines&gt;", TRANSIENT when
     *     the primary did not answer or the copy broke off, PERMANENT otherwise (credentials,
     *     pg_hba, a missing slot, a full disk); TRANSIENT when it ran past {@code timeout}
     */
    void copy(Path dataDirectory, ReplicationSpec spec, Duration timeout, Consumer<Progress> progress) {
        List<String> command = new java.util.ArrayList<>(List.of(
                binaries.path("pg_basebackup").toString(),
                "-D",
                dataDirectory.toString(),
                "-h",
                spec.primaryHost(),
                "-p",
                Integer.toString(spec.primaryPort()),
                "-U",
                spec.user(),
                "-X",
                "stream",
                "-c",
                "fast",
                "-P",
                "--no-password"));
        if (!spec.shipsWal()) {
            // Streaming keeps the slot from the copy on; shipping needs none (pg_basebackup then
            // uses a temporary slot of its own while it copies).
            command.addAll(List.of("-S", spec.slotName()));
        }
        Map<String, String> environment = Map.of(
                "PGPASSWORD", spec.password().reveal(),
                "PGCONNECT_TIMEOUT", Long.toString(CONNECT_TIMEOUT.toSeconds()),
                "PGAPPNAME", "understudy pg_basebackup");
        Deque<String> errors = new ArrayDeque<>();
        CommandResult result = runner.run(command, timeout, environment, line -> {
            Optional<Progress> p = Progress.parse(line);
            if (p.isPresent()) {
                progress.accept(p.get());
                return;
            }
            log.debug("pg_basebackup: {}", line);
            errors.addLast(line.strip());
            if (errors.size() > ERROR_LINES) {
                errors.removeFirst();
            }
        });
        if (!result.succeeded()) {
            String message = String.join("\n", errors);
            throw new EngineException(
                    classify(message), result.program() + " exited " + result.exitCode() + ": " + message);
        }
    }

    /** TRANSIENT when {@code stderr} tells of a primary that did not answer or a broken copy. */
    static Failure classify(String stderr) {
        for (String words : TRANSIENT_MESSAGES) {
            if (stderr.contains(words)) {
                return Failure.TRANSIENT;
            }
        }
        return Failure.PERMANENT;
    }
}
