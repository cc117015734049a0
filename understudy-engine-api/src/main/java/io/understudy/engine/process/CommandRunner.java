package io.understudy.engine.process;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external programs with a deadline. Output goes to temporary files, not pipes, so a
 * program that leaves a daemon behind (pg_ctl start) cannot make the caller wait for the
 * daemon's end.
 */
public final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    private static final int STDERR_TAIL_LINES = 20;

    private final @Nullable String runAsUser;
    private final Map<String, String> environment;

    /**
     * @param runAsUser the OS user to run commands as when this process is root (see {@link
     *     OsUser#commandAs}); null to run as the current user
     * @param environment variables added to the inherited environment
     */
    public CommandRunner(@Nullable String runAsUser, Map<String, String> environment) {
        this.runAsUser = runAsUser;
        this.environment = Map.copyOf(environment);
    }

    /** Runs commands as the current user, in the inherited environment. */
    public static CommandRunner asCurrentUser() {
        return new CommandRunner(null, Map.of());
    }

    /**
     * Runs {@code command} and waits for it to end. Blocks at most {@code timeout}; then kills the
     * program and its descendants.
     *
     * @return how it ended, whatever its exit code
     * @throws EngineException TRANSIENT when it ran past {@code timeout}; PERMANENT when it could
     *     not be started (program missing)
     */
    public CommandResult run(List<String> command, Duration timeout) {
        List<String> full = runAsUser == null ? command : OsUser.commandAs(runAsUser, command);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("understudy-cmd-", ".out");
            err = Files.createTempFile("understudy-cmd-", ".err");
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            log.debug("running {}", command);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new EngineException(Failure.PERMANENT, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
            }
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new EngineException(
                        Failure.TRANSIENT,
                        program(command) + " did not finish within " + timeout.toSeconds() + " s: "
                                + tail(Files.readString(err, StandardCharsets.UTF_8)));
            }
            return new CommandResult(
                    command,
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    tail(Files.readString(err, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.TRANSIENT, program(command) + " was interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Runs {@code command} and requires exit code 0.
     *
     * @throws EngineException PERMANENT naming the program, its exit code and the tail of its
     *     stderr when it fails; as {@link #run} otherwise
     */
    public CommandResult runChecked(List<String> command, Duration timeout) {
        CommandResult result = run(command, timeout);
        if (!result.succeeded()) {
            throw new EngineException(
                    Failure.PERMANENT,
                    result.program() + " exited " + result.exitCode() + ": "
                            + result.stderrTail().strip());
        }
        return result;
    }

    private static String program(List<String> command) {
        return new CommandResult(command, 0, "", "").program();
    }

    static String tail(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int from = Math.max(0, lines.size() - STDERR_TAIL_LINES);
        return String.join("\n", lines.subList(from, lines.size()));
    }

    private static void deleteQuietly(@Nullable Path file) {
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
