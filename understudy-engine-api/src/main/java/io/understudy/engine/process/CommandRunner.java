package io.understudy.engine.process;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external programs with a deadline. {@link #run(List, Duration)} sends output to temporary
 * files, not pipes, so a program that leaves a daemon behind (pg_ctl start) cannot make the
 * caller wait for the daemon's end; {@link #run(List, Duration, Map, Consumer)} reads pipes
 * instead, to hand the caller each line as it is written (pg_basebackup's progress).
 */
public final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    private static final int STDERR_TAIL_LINES = 20;
    /** How long a streaming run still reads after the program ended (a daemon may hold its pipes). */
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);

    private static final Duration POLL = Duration.ofMillis(100);

    private final @Nullable String runAsUser;
    private final Map<String, String> environment;
    private final List<String> prefix;

    /**
     * @param runAsUser the OS user to run commands as when this process is root (see {@link
     *     OsUser#commandAs}); null to run as the current user
     * @param environment variables added to the inherited environment
     */
    public CommandRunner(@Nullable String runAsUser, Map<String, String> environment) {
        this(runAsUser, environment, List.of());
    }

    private CommandRunner(@Nullable String runAsUser, Map<String, String> environment, List<String> prefix) {
        this.runAsUser = runAsUser;
        this.environment = Map.copyOf(environment);
        this.prefix = List.copyOf(prefix);
    }

    /**
     * This runner, with {@code words} put before every command and before the switch to {@link
     * #runAsUser()}, e.g. {@code ip netns exec NS} to run the commands in a test's network
     * namespace. The words run as this process's user; they must execute the command in place
     * (as {@code ip netns exec} and {@code setpriv} do), so that a timeout's kill reaches it.
     */
    public CommandRunner withPrefix(List<String> words) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(words);
        return new CommandRunner(runAsUser, environment, all);
    }

    /** Runs commands as the current user, in the inherited environment. */
    public static CommandRunner asCurrentUser() {
        return new CommandRunner(null, Map.of());
    }

    /**
     * The user commands run as when it differs from this process's user: present only when this
     * process is root and was given another user (the files such a command must read or write
     * belong to that user).
     */
    public Optional<String> runAsUser() {
        return runAsUser == null || !OsUser.isRoot() || runAsUser.equals("root")
                ? Optional.empty()
                : Optional.of(runAsUser);
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
        List<String> full = fullCommand(command);
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
            boolean ended;
            try {
                ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                killTree(process); // an agent stopping mid-command leaves no program behind
                throw e;
            }
            if (!ended) {
                killTree(process);
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
     * Runs {@code command}, hands each line it writes to standard output or standard error to
     * {@code outputLine} as it comes, and waits for it to end. Lines end at {@code \n} or at
     * {@code \r} (progress meters rewrite their line with {@code \r}); the terminators are not
     * passed on, nor are empty lines. {@code outputLine} is called on the calling thread, one line
     * at a time; when it throws, the program and its descendants are killed and the exception
     * propagates.
     *
     * <p>Blocks at most {@code timeout}; then kills the program and its descendants. Meant for
     * programs that leave no daemon behind: output a descendant writes after the program ended
     * is read for at most two more seconds.
     *
     * @param extraEnvironment variables added to this runner's environment for this command only,
     *     e.g. a password for the program; never logged
     * @return how it ended, whatever its exit code; {@link CommandResult#stdout()} holds all of its
     *     standard output, {@link CommandResult#stderrTail()} the last lines of standard error
     * @throws EngineException TRANSIENT when it ran past {@code timeout} or the calling thread was
     *     interrupted (the program is killed then); PERMANENT when it could not be started
     */
    public CommandResult run(
            List<String> command, Duration timeout, Map<String, String> extraEnvironment, Consumer<String> outputLine) {
        List<String> full = fullCommand(command);
        long deadline = System.nanoTime() + timeout.toNanos();
        ProcessBuilder builder =
                new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(extraEnvironment);
        builder.environment().putAll(env);
        log.debug("running {}", command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        BlockingQueue<OutputLine> lines = new LinkedBlockingQueue<>();
        startReader(process.getInputStream(), false, lines, program(command) + "-stdout");
        startReader(process.getErrorStream(), true, lines, program(command) + "-stderr");
        StringBuilder stdout = new StringBuilder();
        Deque<String> stderrTail = new ArrayDeque<>();
        int openStreams = 2;
        long exitedAt = 0;
        boolean exited = false;
        try {
            while (openStreams > 0) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    killTree(process);
                    throw new EngineException(
                            Failure.TRANSIENT,
                            program(command) + " did not finish within " + timeout.toSeconds() + " s: "
                                    + String.join("\n", stderrTail));
                }
                if (!exited && !process.isAlive()) {
                    exited = true;
                    exitedAt = now;
                } else if (exited && now - exitedAt >= DRAIN_AFTER_EXIT.toNanos()) {
                    log.debug("{} ended but its output stays open (a descendant holds it); not reading on", command);
                    break;
                }
                OutputLine line = lines.poll(Math.min(POLL.toNanos(), deadline - now), TimeUnit.NANOSECONDS);
                if (line == null) {
                    continue;
                }
                String text = line.text();
                if (text == null) {
                    openStreams--;
                    continue;
                }
                if (line.stderr()) {
                    stderrTail.addLast(text);
                    if (stderrTail.size() > STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                } else {
                    stdout.append(text).append('\n');
                }
                outputLine.accept(text);
            }
            long left = deadline - System.nanoTime();
            if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                killTree(process);
                throw new EngineException(
                        Failure.TRANSIENT,
                        program(command) + " did not finish within " + timeout.toSeconds() + " s: "
                                + String.join("\n", stderrTail));
            }
            return new CommandResult(command, process.exitValue(), stdout.toString(), String.join("\n", stderrTail));
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.TRANSIENT, program(command) + " was interrupted", e);
        } catch (RuntimeException e) {
            if (process.isAlive()) {
                killTree(process);
            }
            throw e;
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

    /** {@code command} after the prefix and the user switch. */
    private List<String> fullCommand(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(runAsUser == null ? command : OsUser.commandAs(runAsUser, command));
        return full;
    }

    /** Kills {@code process} and every process it started, without waiting. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Reads {@code stream} on a daemon thread, putting each line on {@code lines} and a line
     * with null text at its end.
     */
    private static void startReader(InputStream stream, boolean stderr, BlockingQueue<OutputLine> lines, String name) {
        Thread reader = new Thread(() -> readLines(stream, text -> lines.add(new OutputLine(stderr, text))), name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Splits {@code stream} into lines at {@code \n} and {@code \r}, hands each non-empty one to
     * {@code sink} and, at the end of the stream (or when it breaks), a null.
     */
    static void readLines(InputStream stream, Consumer<@Nullable String> sink) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (stream) {
            int n;
            while ((n = stream.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n' || b == '\r') {
                        flush(line, sink);
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            log.debug("reading a command's output stopped: {}", e.getMessage());
        } finally {
            flush(line, sink);
            sink.accept(null);
        }
    }

    private static void flush(ByteArrayOutputStream line, Consumer<@Nullable String> sink) {
        if (line.size() > 0) {
            sink.accept(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }

    /** One line a command wrote; null text marks the end of its stream. */
    private record OutputLine(boolean stderr, @Nullable String text) {}

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
