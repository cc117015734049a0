package io.understudy.dist;

import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An agent in a JVM of its own, as on a real host: {@code understudy agent ARGS}, run as the
 * database owner when this process is root, its output appended to a log file. The process id
 * held here is the agent's own (the user switch executes in place), so {@link #kill()} is a
 * real {@code kill -9} of the agent.
 */
public final class AgentProcess implements AutoCloseable {
    private static final List<String> JVM_OPTIONS =
            List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final String name;
    private final Process process;
    private final Path log;

    private AgentProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts an agent and returns at once; it enrols in the background.
     *
     * @param name the agent's name, for messages
     * @param agentArgs the arguments of {@code understudy agent}
     * @param log file the agent's output is appended to
     * @param stagingDir where to copy the class path when the agent runs as another user
     */
    public static AgentProcess start(String name, List<String> agentArgs, Path log, Path stagingDir) {
        return startLauncher(name, "agent", agentArgs, log, stagingDir);
    }

    /**
     * Starts {@code understudy SUBCOMMAND ARGS} as a process of its own, as the database owner
     * when this process is root, and returns at once: an agent, or a Control Center that a test
     * kills with {@code kill -9}.
     */
    public static AgentProcess startLauncher(
            String name, String subcommand, List<String> args, Path log, Path stagingDir) {
        return startLauncher(name, List.of(), subcommand, args, log, stagingDir);
    }

    /**
     * As {@link #startLauncher(String, String, List, Path, Path)}, with {@code commandPrefix}
     * before the whole command (and before the user switch), e.g. {@code ip netns exec NS} to run
     * it on a test's simulated host. The prefix must execute the command in place, as {@code ip
     * netns exec} does, so that the process id held here stays the program's own.
     */
    public static AgentProcess startLauncher(
            String name, List<String> commandPrefix, String subcommand, List<String> args, Path log, Path stagingDir) {
        boolean switchesUser = OsUser.isRoot();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(Classpath.forChild(switchesUser, stagingDir));
        command.add(Launcher.class.getName());
        command.add(subcommand);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            List<String> full = new ArrayList<>(commandPrefix);
            full.addAll(OsUser.commandAs(OsUser.databaseOwner(), command));
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            return new AgentProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + subcommand + " " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the agent with SIGKILL, as a host loss would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /**
     * Waits for the agent to end by itself.
     *
     * @return its exit code, or -1 if it still runs after {@code timeout}
     */
    public int waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The agent's output so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the agent: SIGTERM, then SIGKILL if it has not ended within 10 s. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (waitForExit(Duration.ofSeconds(10)) == -1) {
            kill();
        }
    }
}
