package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import io.understudy.center.CenterSettings;
import io.understudy.center.ControlCenter;
import io.understudy.cli.client.ApiClient;
import io.understudy.core.ShutdownHook;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.EventView;
import io.understudy.core.protocol.Secret;
import io.understudy.dist.AgentProcess;
import io.understudy.engine.StopMode;
import io.understudy.engine.postgresql.PgCtl;
import io.understudy.engine.postgresql.PostgresBinaries;
import io.understudy.engine.process.OsUser;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A whole Understudy site for a scenario: a real Control Center (in this JVM, on a free port),
 * real agents (each in its own JVM, as the database owner) and real PostgreSQL clusters. It
 * stops everything it started, by PID, and on failure {@link #diagnostics()} tells what each
 * piece saw.
 */
final class TestSite implements AutoCloseable {
    static final String ADMIN_PASSWORD = "test-drive-admin-pw";
    static final String PASSPHRASE = "shared enrolment passphrase";
    private static final Path CLASSPATH_STAGING = Path.of(System.getProperty("java.io.tmpdir"), "understudy-e2e-lib");

    private final Path directory;
    private final ControlCenter center;
    private final StringWriter centerConsole;
    private final List<AgentProcess> agents = new ArrayList<>();
    private final Map<String, List<String>> agentArguments = new HashMap<>();
    private final List<PgCluster> clusters = new ArrayList<>();
    private final List<Path> createdDataDirectories = new ArrayList<>();
    private final ApiClient api;
    private final ShutdownHook hook;

    private TestSite(Path directory, ControlCenter center, StringWriter centerConsole) {
        this.directory = directory;
        this.center = center;
        this.centerConsole = centerConsole;
        // An aborted test run must not leave agent JVMs reporting to nobody.
        this.hook = ShutdownHook.register(this::stopEverything);
        ApiClient anonymous = ApiClient.anonymous(URI.create(center.url()));
        this.api = anonymous.withToken(
                anonymous.login("admin", Secret.of(ADMIN_PASSWORD)).token());
    }

    /** A Control Center with a known admin password and enrolment passphrase. */
    static TestSite start() {
        Path directory = newDirectory();
        Path adminPassword = secretFile(directory.resolve("admin-password"), ADMIN_PASSWORD);
        Path passphrase = secretFile(directory.resolve("passphrase"), PASSPHRASE);
        StringWriter console = new StringWriter();
        ControlCenter center = ControlCenter.start(
                CenterSettings.defaults(directory.resolve("control-center"))
                        .withListen("127.0.0.1", 0)
                        .withAdminPasswordFile(adminPassword)
                        .withPassphraseFile(passphrase),
                new PrintWriter(console, true));
        return new TestSite(directory, center, console);
    }

    /** A new running primary, closed with the site. */
    PgCluster newCluster(String name) {
        PgCluster cluster = PgCluster.create(name);
        clusters.add(cluster);
        return cluster;
    }

    /** Starts an agent managing {@code clusters}, with the site's passphrase. */
    AgentProcess startAgent(String name, PgCluster... managed) {
        List<String> args =
                new ArrayList<>(List.of("--passphrase-file", passphraseFile().toString()));
        for (PgCluster cluster : managed) {
            args.add("--data-directory");
            args.add(cluster.dataDirectory().toString());
        }
        return startAgentWith(name, args);
    }

    /**
     * Starts an agent with {@code args}, adding {@code --name NAME}, {@code --control-center URL}
     * and {@code --listen 127.0.0.1:0} where {@code args} does not give them.
     */
    AgentProcess startAgentWith(String name, List<String> args) {
        List<String> all = new ArrayList<>(args);
        addUnlessGiven(all, "--name", name);
        addUnlessGiven(all, "--control-center", center.url());
        addUnlessGiven(all, "--listen", "127.0.0.1:0");
        addUnlessGiven(all, "--state-dir", ownedDirectory("state-" + name).toString());
        AgentProcess agent = AgentProcess.start(name, all, directory.resolve(name + "-agent.log"), CLASSPATH_STAGING);
        agents.add(agent);
        agentArguments.put(name, List.copyOf(all));
        return agent;
    }

    /**
     * Starts the agent named {@code name} again, with the arguments it was last started with (the
     * same data directories and state directory), as when its host comes back.
     *
     * @throws IllegalStateException while it still runs
     */
    AgentProcess restartAgent(String name) {
        if (startedAgent(name).isAlive()) {
            throw new IllegalStateException(
                    "agent " + name + " still runs (pid " + startedAgent(name).pid() + ")");
        }
        return startAgentWith(name, Objects.requireNonNull(agentArguments.get(name)));
    }

    /**
     * The loss of a host, as kill -9 makes it: SIGKILL to the agent named {@code agentName}, then to
     * every postgres process serving {@code dataDirectories} (each postmaster, then its children,
     * by process id); returns when they are all gone.
     *
     * @return the ids of the postgres processes killed
     */
    List<Long> loseHost(String agentName, Path... dataDirectories) {
        startedAgent(agentName).kill();
        List<Long> killed = new ArrayList<>();
        for (Path dataDirectory : dataDirectories) {
            killed.addAll(PgCluster.kill9(dataDirectory));
        }
        return killed;
    }

    /** The agent named {@code name} started last. */
    AgentProcess startedAgent(String name) {
        for (int i = agents.size() - 1; i >= 0; i--) {
            if (agents.get(i).name().equals(name)) {
                return agents.get(i);
            }
        }
        throw new IllegalArgumentException("no agent named " + name + " was started");
    }

    private static void addUnlessGiven(List<String> args, String flag, String value) {
        if (!args.contains(flag)) {
            args.add(flag);
            args.add(value);
        }
    }

    /**
     * A data directory path, not created yet, in a directory the database owner may write: where
     * a standby goes. Whatever runs there is stopped, and the directory removed, with the site.
     */
    Path standbyTarget(String name) {
        Path target = ownedDirectory("target-" + name).resolve("data");
        createdDataDirectories.add(target);
        return target;
    }

    /** A directory below the site's, owned by the database owner. */
    Path ownedDirectory(String name) {
        try {
            Path dir = Files.createDirectories(directory.resolve(name));
            if (OsUser.isRoot()) {
                OsUser.chown(dir, OsUser.databaseOwner());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path passphraseFile() {
        return directory.resolve("passphrase");
    }

    /** A file the agents can read, holding {@code content}. */
    Path writeFile(String name, String content) {
        return secretFile(directory.resolve(name), content);
    }

    ApiClient api() {
        return api;
    }

    String url() {
        return center.url();
    }

    ControlCenter center() {
        return center;
    }

    Optional<AgentView> agent(String name) {
        return api.agents().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    Optional<DatabaseView> database(String id) {
        return api.databases().stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** Waits until {@code name} reports {@code cluster} up. */
    DatabaseView awaitUp(String agentName, PgCluster cluster) {
        String id = agentName + ":" + cluster.port();
        await("database " + id + " up")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> database(id).map(DatabaseView::up).orElse(false));
        return database(id).orElseThrow();
    }

    /** What each piece saw, for a failed scenario's report. */
    String diagnostics() {
        StringBuilder report = new StringBuilder("--- Control Center console\n").append(centerConsole);
        try {
            report.append("--- events (newest first)\n");
            for (EventView e : api.events(200)) {
                report.append(e.at())
                        .append(' ')
                        .append(e.kind())
                        .append(' ')
                        .append(e.subject())
                        .append(": ")
                        .append(e.message())
                        .append('\n');
            }
        } catch (RuntimeException e) {
            report.append("(events unavailable: ").append(e.getMessage()).append(")\n");
        }
        for (AgentProcess agent : agents) {
            report.append("--- agent ").append(agent.name()).append('\n').append(agent.output());
        }
        for (PgCluster cluster : clusters) {
            report.append("--- postgres ").append(cluster.name()).append('\n').append(cluster.logTail());
            report.append("--- postgres ")
                    .append(cluster.name())
                    .append(" as restarted by its agent\n")
                    .append(PgCtl.logTail(PgCtl.defaultLogFile(cluster.dataDirectory())));
        }
        for (Path dataDirectory : createdDataDirectories) {
            report.append("--- postgres at ")
                    .append(dataDirectory)
                    .append('\n')
                    .append(PgCtl.logTail(PgCtl.defaultLogFile(dataDirectory)))
                    .append('\n')
                    .append(walShipping(dataDirectory));
        }
        return report.toString();
    }

    /** What the WAL shipping directory beside {@code dataDirectory} holds, if there is one. */
    private static String walShipping(Path dataDirectory) {
        Path dir = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".wal-shipping");
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder out = new StringBuilder("--- ").append(dir).append('\n');
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = dir.relativize(f).toString();
                boolean note = List.of("requested", "served", "applied", "deferred", "end-recovery", "refused")
                        .contains(name);
                out.append(name)
                        .append(
                                note
                                        ? ": "
                                                + Files.readString(f, StandardCharsets.UTF_8)
                                                        .strip()
                                        : "")
                        .append('\n');
            }
        } catch (IOException e) {
            out.append("(cannot list: ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    @Override
    public void close() {
        hook.unregister();
        stopEverything();
    }

    private synchronized void stopEverything() {
        agents.forEach(AgentProcess::close);
        center.close();
        clusters.forEach(PgCluster::close);
        PgCtl pgCtl = new PgCtl(PostgresBinaries.newest(), PgCluster.commandRunner());
        for (Path dataDirectory : createdDataDirectories) {
            try {
                pgCtl.stop(dataDirectory, StopMode.IMMEDIATE, Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                System.err.println("could not stop " + dataDirectory + ": " + e.getMessage());
            }
        }
        deleteRecursively(directory);
    }

    private static Path newDirectory() {
        try {
            Path dir = Files.createTempDirectory("us-site-");
            // Agents run as the database owner and read their passphrase file below it.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path secretFile(Path file, String content) {
        try {
            Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            if (OsUser.isRoot()) {
                OsUser.chown(file, OsUser.databaseOwner());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
