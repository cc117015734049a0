package io.understudy.engine.postgresql;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.StopMode;
import io.understudy.engine.process.CommandResult;
import io.understudy.engine.process.CommandRunner;
import io.understudy.engine.process.OsUser;
import io.understudy.engine.process.Processes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, stops and restarts a PostgreSQL server with {@code pg_ctl}, waiting ({@code -w}) for
 * the outcome. Every method is idempotent: starting a running server or stopping a stopped one
 * returns at once. Not safe for concurrent calls on the same data directory.
 */
public final class PgCtl {
    private static final Logger log = LoggerFactory.getLogger(PgCtl.class);

    /** How much longer than pg_ctl's own {@code -t} the runner waits before killing pg_ctl. */
    private static final Duration RUNNER_MARGIN = Duration.ofSeconds(15);

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 20;
    private static final int LOG_TAIL_MAX_BYTES = 64 * 1024;

    private final PostgresBinaries binaries;
    private final CommandRunner runner;

    /**
     * @param binaries where pg_ctl is
     * @param runner runs pg_ctl; as the data directory's owner (the agent's own user, or {@link
     *     OsUser#databaseOwner()} when a test runs as root)
     */
    public PgCtl(PostgresBinaries binaries, CommandRunner runner) {
        this.binaries = binaries;
        this.runner = runner;
    }

    /** Where the engine has pg_ctl write the server's output: {@code log/understudy-pg_ctl.log}. */
    public static Path defaultLogFile(Path dataDirectory) {
        return dataDirectory.resolve("log").resolve("understudy-pg_ctl.log");
    }

    /**
     * Starts the server and waits until it accepts connections (or, as a warm standby, until it
     * runs). Returns at once when it already runs. Blocks at most about {@code timeout}.
     *
     * @param logFile where the server writes its output ({@code pg_ctl -l}); its directory is
     *     created, owned as the data directory, when missing
     * @return true when it started the server; false when the server was already running
     * @throws EngineException "pg_ctl exited N: &lt;tail of the server's log&gt;": TRANSIENT when
     *     the server is still starting after {@code timeout}, PERMANENT when it stopped (a bad
     *     setting, a port in use, a damaged data directory)
     */
    public boolean start(Path dataDirectory, Path logFile, Duration timeout) {
        if (isRunning(dataDirectory)) {
            return false;
        }
        ensureLogDirectory(logFile, dataDirectory);
        long logOffset = sizeOf(logFile);
        log.info("{}: stopped → starting: pg_ctl start", dataDirectory);
        CommandResult result = runner.run(
                pgCtl("start", dataDirectory, timeout, "-l", logFile.toString()), timeout.plus(RUNNER_MARGIN));
        if (!result.succeeded()) {
            boolean stillStarting = PostmasterPid.read(dataDirectory)
                    .map(PostmasterPid::isProcessAlive)
                    .orElse(false);
            String detail = logTail(logFile, logOffset);
            throw new EngineException(
                    stillStarting ? Failure.TRANSIENT : Failure.PERMANENT,
                    result.program() + " exited " + result.exitCode() + ": "
                            + (stillStarting ? "still starting after " + timeout.toSeconds() + " s: " : "")
                            + (detail.isBlank() ? result.stderrTail().strip() : detail));
        }
        log.info("{}: starting → running", dataDirectory);
        return true;
    }

    /**
     * Stops the server in {@code mode} and waits until it is gone. Returns at once when it does
     * not run. Blocks at most about {@code timeout}.
     *
     * @return true when it stopped the server; false when the server was not running
     * @throws EngineException TRANSIENT when the server still runs after {@code timeout}, with
     *     pg_ctl's message
     */
    public boolean stop(Path dataDirectory, StopMode mode, Duration timeout) {
        if (!isRunning(dataDirectory)) {
            return false;
        }
        log.info("{}: running → stopping: pg_ctl stop -m {}", dataDirectory, modeName(mode));
        Optional<ProcessHandle> postmaster =
                PostmasterPid.read(dataDirectory).flatMap(pid -> ProcessHandle.of(pid.pid()));
        // -W: pg_ctl only signals; the postmaster's exit is watched here, at a finer grain than
        // pg_ctl's tenth of a second, as every millisecond of a switchover's shutdown is a write gap.
        CommandResult result = runner.run(
                List.of(pgCtlPath(), "stop", "-D", dataDirectory.toString(), "-m", modeName(mode), "-W"),
                timeout.plus(RUNNER_MARGIN));
        if (!result.succeeded() && isRunning(dataDirectory)) {
            throw new EngineException(
                    Failure.TRANSIENT,
                    result.program() + " exited " + result.exitCode() + ": "
                            + result.stderrTail().strip());
        }
        awaitPidFileGone(dataDirectory, timeout);
        postmaster.ifPresent(process -> awaitExit(process, timeout));
        log.info("{}: stopping → stopped", dataDirectory);
        return true;
    }

    /** How often a stopping postmaster is looked at. */
    private static final Duration EXIT_POLL = Duration.ofMillis(5);

    /**
     * Waits until {@code process} has exited: the postmaster removes postmaster.pid a moment before
     * it ends. A process that has ended but is not reaped yet (a zombie, waiting for its parent,
     * often init, to collect it) counts as exited: it holds no port and no file.
     */
    private static void awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Processes.isRunning(process.pid())) {
            if (System.nanoTime() - deadline >= 0) {
                throw new EngineException(
                        Failure.TRANSIENT,
                        "the postmaster (pid " + process.pid() + ") still runs " + timeout.toSeconds()
                                + " s after pg_ctl stop");
            }
            pause();
        }
    }

    private static void awaitPidFileGone(Path dataDirectory, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (PostmasterPid.read(dataDirectory).isPresent()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new EngineException(
                        Failure.TRANSIENT,
                        dataDirectory + " still has a postmaster.pid " + timeout.toSeconds() + " s after pg_ctl stop");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(EXIT_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.TRANSIENT, "interrupted while waiting for the postmaster to exit", e);
        }
    }

    /**
     * Stops the server with a fast shutdown, starts it again and waits until it accepts
     * connections; starts it when it was not running. Blocks at most about {@code timeout}.
     *
     * @throws EngineException as {@link #start}
     */
    public void restart(Path dataDirectory, Path logFile, Duration timeout) {
        ensureLogDirectory(logFile, dataDirectory);
        long logOffset = sizeOf(logFile);
        log.info("{}: → restarting: pg_ctl restart -m fast", dataDirectory);
        CommandResult result = runner.run(
                pgCtl("restart", dataDirectory, timeout, "-m", "fast", "-l", logFile.toString()),
                timeout.plus(RUNNER_MARGIN));
        if (!result.succeeded()) {
            String detail = logTail(logFile, logOffset);
            throw new EngineException(
                    isRunning(dataDirectory) ? Failure.TRANSIENT : Failure.PERMANENT,
                    result.program() + " exited " + result.exitCode() + ": "
                            + (detail.isBlank() ? result.stderrTail().strip() : detail));
        }
        log.info("{}: restarting → running", dataDirectory);
    }

    /**
     * Asks the standby to end recovery ({@code pg_ctl promote -W}) and returns without waiting:
     * the caller watches the server itself, at a finer grain than pg_ctl's tenth of a second.
     *
     * @throws EngineException PERMANENT with pg_ctl's message when it refuses (not a standby, not
     *     running)
     */
    public void promote(Path dataDirectory, Duration timeout) {
        log.info("{}: standby → promoting: pg_ctl promote", dataDirectory);
        CommandResult result = runner.run(
                List.of(pgCtlPath(), "promote", "-D", dataDirectory.toString(), "-W"), timeout.plus(RUNNER_MARGIN));
        if (!result.succeeded()) {
            throw new EngineException(
                    Failure.PERMANENT,
                    result.program() + " exited " + result.exitCode() + ": "
                            + result.stderrTail().strip());
        }
    }

    /**
     * Whether a server runs on {@code dataDirectory}, as {@code pg_ctl status} tells. Blocks at
     * most 10 s.
     *
     * @throws EngineException PERMANENT when the data directory is missing or unreadable
     */
    public boolean isRunning(Path dataDirectory) {
        CommandResult result =
                runner.run(List.of(pgCtlPath(), "status", "-D", dataDirectory.toString()), STATUS_TIMEOUT);
        return switch (result.exitCode()) {
            case 0 -> true;
            case 3 -> false;
            default -> throw new EngineException(
                    Failure.PERMANENT,
                    "pg_ctl status exited " + result.exitCode() + ": "
                            + result.stderrTail().strip());
        };
    }

    /** The last lines of {@code logFile}, for an error message; empty when it cannot be read. */
    public static String logTail(Path logFile) {
        return logTail(logFile, 0);
    }

    private List<String> pgCtl(String action, Path dataDirectory, Duration timeout, String... options) {
        List<String> command = new ArrayList<>(List.of(
                pgCtlPath(),
                action,
                "-D",
                dataDirectory.toString(),
                "-w",
                "-t",
                Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000))));
        command.addAll(List.of(options));
        return command;
    }

    private String pgCtlPath() {
        return binaries.path("pg_ctl").toString();
    }

    private static String modeName(StopMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Creates the directory of {@code logFile} when missing and, when this process is root, gives
     * it to the data directory's owner, so that pg_ctl, running as that owner, can write there.
     */
    private static void ensureLogDirectory(Path logFile, Path dataDirectory) {
        Path directory = logFile.toAbsolutePath().getParent();
        if (directory == null || Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            if (OsUser.isRoot()) {
                OsUser.chown(directory, Files.getOwner(dataDirectory).getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last lines written to {@code logFile} after {@code offset} (or before, if none). */
    private static String logTail(Path logFile, long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = offset < length ? offset : 0;
            from = Math.max(from, length - LOG_TAIL_MAX_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines =
                    new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()))
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }
}
