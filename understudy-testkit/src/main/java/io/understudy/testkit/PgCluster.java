package io.understudy.testkit;

import static org.awaitility.Awaitility.await;

import io.understudy.engine.EngineException;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.StopMode;
import io.understudy.engine.postgresql.InitDb;
import io.understudy.engine.postgresql.PgCtl;
import io.understudy.engine.postgresql.PostgresBinaries;
import io.understudy.engine.postgresql.PostgresEngine;
import io.understudy.engine.postgresql.PostgresErrors;
import io.understudy.engine.postgresql.PostgresQueries;
import io.understudy.engine.postgresql.PostmasterPid;
import io.understudy.engine.process.CommandRunner;
import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL cluster for tests: made with initdb (or pg_basebackup from another PgCluster)
 * in a new temporary directory, listening on a free port on 127.0.0.1 only, trusting local and
 * loopback connections (replication included), running as {@link OsUser#databaseOwner()}.
 *
 * <pre>{@code
 * try (PgCluster db = PgCluster.create()) {
 *     db.execute("create table t (i int)");
 *     assertThat(db.sql("select count(*) from t")).isEqualTo("0");
 * }
 * }</pre>
 *
 * <p>{@link #create()} returns it running. {@link #close()} stops it and deletes its directory;
 * a JVM shutdown hook kills, by process id, any cluster a test left running. Not safe for
 * concurrent use.
 *
 * <p>On a {@link NetworkLab} host ({@link Builder#on}), the server runs in the host's network
 * namespace and listens on all of its addresses (its loopback and its lab address, where the
 * other hosts reach it); the test reaches it at {@link #localPort()}, a relay to its Unix socket.
 */
public final class PgCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgCluster.class);

    /** The superuser the cluster is made with. */
    public static final String SUPERUSER = InitDb.SUPERUSER;

    public static final String HOST = "127.0.0.1";

    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 5;
    /** Unix socket paths are limited to about 107 bytes; keep the temporary directory short. */
    private static final int MAX_TMP_PATH_LENGTH = 50;

    private final String name;
    private final Path directory;
    private final Path dataDirectory;
    private final Path logFile;
    private final PostgresBinaries binaries;
    private final PgCtl pgCtl;
    private final PostgresQueries queries;
    private final Map<String, String> extraSettings;
    private final @Nullable LabHost host;
    private @Nullable Relay relay;
    private String baseConfig = "";
    private int port;
    private boolean closed;

    private PgCluster(
            Path directory, PostgresBinaries binaries, Map<String, String> extraSettings, @Nullable LabHost host) {
        this.name = directory.getFileName().toString();
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.logFile = directory.resolve("postgres.log");
        this.binaries = binaries;
        this.host = host;
        this.pgCtl = new PgCtl(
                binaries, host == null ? commandRunner() : commandRunner().withPrefix(host.commandPrefix()));
        this.queries = new PostgresQueries(HOST, SUPERUSER, null, Duration.ofSeconds(10), "understudy-testkit");
        this.extraSettings = Map.copyOf(extraSettings);
    }

    /**
     * A new, running primary with the newest PostgreSQL installed. Blocks while initdb and the
     * start run (a few seconds).
     *
     * @throws EngineException when initdb or the start fails; nothing is left behind then
     */
    public static PgCluster create() {
        return builder().create();
    }

    /** As {@link #create()}, its directory named after {@code namePrefix} (letters, digits, - and _). */
    public static PgCluster create(String namePrefix) {
        return builder().namePrefix(namePrefix).create();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A runner for PostgreSQL's programs as the database owner: {@link OsUser#databaseOwner()}
     * when the tests run as root, else the current user. Give it to {@link
     * PostgresEngine#PostgresEngine(CommandRunner)} to control a PgCluster through the engine.
     */
    public static CommandRunner commandRunner() {
        return PostgresEngine.commandRunner(OsUser.switchNeeded().orElse(null));
    }

    /** Options for a new cluster. */
    public static final class Builder {
        private String namePrefix = "pg";
        private final Map<String, String> settings = new LinkedHashMap<>();
        private @Nullable PgCluster primary;
        private @Nullable LabHost host;

        private Builder() {}

        /**
         * Runs the server on {@code host} of a {@link NetworkLab}: started in its network
         * namespace, listening on {@code *} there (its loopback, for its agent, and its lab
         * address, for the other hosts: a standby copied from it listens on its own host's
         * addresses too). From the test, reach it at {@link PgCluster#localPort()}. Not with
         * {@link #standbyOf}: on lab hosts, let agents make standbys.
         */
        public Builder on(LabHost host) {
            this.host = host;
            return this;
        }

        /** Starts the temporary directory's name, e.g. {@code db1}; at most 16 characters. */
        public Builder namePrefix(String prefix) {
            if (!prefix.matches("[A-Za-z0-9_-]{1,16}")) {
                throw new IllegalArgumentException("namePrefix must be 1-16 letters, digits, - or _: '" + prefix + "'");
            }
            this.namePrefix = prefix;
            return this;
        }

        /**
         * Adds {@code name = 'value'} to postgresql.conf, after (and so over) the test kit's own
         * settings, e.g. {@code setting("synchronous_commit", "off")}.
         */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /**
         * Makes the cluster a streaming standby of {@code primary} (which must run) with
         * pg_basebackup, instead of running initdb; {@code application_name} is the new
         * cluster's {@link #name()}.
         */
        public Builder standbyOf(PgCluster primary) {
            this.primary = primary;
            return this;
        }

        /**
         * Creates the cluster and starts it.
         *
         * @throws EngineException when initdb, pg_basebackup or the start fails; the directory is
         *     deleted then
         */
        public PgCluster create() {
            PgCluster source = primary;
            if (source != null && (host != null || source.host != null)) {
                throw new IllegalStateException("standbyOf is not supported for a cluster on a lab host: " + source);
            }
            PostgresBinaries binaries = source != null ? source.binaries : PostgresBinaries.newest();
            PgCluster cluster = new PgCluster(newDirectory(namePrefix), binaries, settings, host);
            LiveClusters.register(cluster);
            try {
                if (source == null) {
                    cluster.initdb();
                } else {
                    cluster.cloneFrom(source);
                }
                cluster.startOnFreePort();
                log.info("{}: created, running on port {}", cluster.name, cluster.port);
                return cluster;
            } catch (RuntimeException e) {
                log.warn("{}: creation failed; cleaning up. Server log:\n{}", cluster.name, cluster.logTail());
                cluster.close();
                throw e;
            }
        }
    }

    /** The temporary directory's name, e.g. {@code us-db1-123456}; unique on this host. */
    public String name() {
        return name;
    }

    /** The temporary directory holding the data directory, the server log and the socket. */
    public Path directory() {
        return directory;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The port it listens on, on 127.0.0.1 (and, on a lab host, on that host's address); fixed for
     * the cluster's life. Agents name the database by it ({@code AGENT:PORT}).
     */
    public int port() {
        return port;
    }

    /**
     * The port on 127.0.0.1 that reaches the server from this JVM: {@link #port()}, or, on a lab
     * host, a relay's to the server's Unix socket. {@link #jdbcUrl()}, {@link #sql} and {@link
     * #execute} use it.
     */
    public int localPort() {
        Relay r = relay;
        return r != null ? r.port() : port;
    }

    /** The lab host it runs on; empty when it runs in the test's own network namespace. */
    public Optional<LabHost> labHost() {
        return Optional.ofNullable(host);
    }

    /** The programs this cluster runs with. */
    public PostgresBinaries binaries() {
        return binaries;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}, PORT being {@link #localPort()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + localPort() + "/postgres?user=" + SUPERUSER;
    }

    /** How the engine reaches this cluster: {@link InstanceConfig#local}. */
    public InstanceConfig instanceConfig() {
        return InstanceConfig.local(dataDirectory);
    }

    /** The file pg_ctl has the server write its output to. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Starts the server and waits until it accepts connections; returns at once if it runs.
     *
     * @throws EngineException with the tail of the server's log when it does not come up
     */
    public void start() {
        try {
            pgCtl.start(dataDirectory, logFile, START_STOP_TIMEOUT);
        } catch (EngineException e) {
            throw new EngineException(e.failure(), "start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server with a fast shutdown and waits until it is gone; idempotent. */
    public void stopFast() {
        stop(StopMode.FAST);
    }

    /** Stops the server with an immediate shutdown (crash recovery at the next start); idempotent. */
    public void stopImmediate() {
        stop(StopMode.IMMEDIATE);
    }

    /**
     * Kills the postmaster with SIGKILL, then every process it had started, as a crash would, and
     * waits until they are gone and the port refuses connections. Leaves postmaster.pid behind.
     *
     * @throws IllegalStateException when the server does not run
     */
    public void kill9() {
        PostmasterPid pid = runningPostmaster()
                .orElseThrow(() -> new IllegalStateException(name + " does not run: nothing to kill"));
        queries.close();
        log.info("{}: killing postmaster {} with SIGKILL", name, pid.pid());
        killProcessTree(pid.pid());
        await("port " + port + " of " + name + " refusing connections")
                .atMost(EXIT_TIMEOUT)
                .until(() -> !acceptsConnections());
    }

    /**
     * Kills with SIGKILL the postmaster serving {@code dataDirectory}, then every process it had
     * started, as the loss of its host would, and waits until they are gone; for a data directory
     * no PgCluster holds, such as a standby an agent created. Touches only the process its
     * postmaster.pid names, when that is a live postgres serving {@code dataDirectory}, and its
     * descendants. Leaves postmaster.pid behind. Blocks at most 30 s per process.
     *
     * @return the ids of the processes killed, the postmaster's first; empty when no postmaster
     *     runs there
     * @throws IllegalStateException when postmaster.pid names another directory or a process that
     *     is not postgres, or when a process still runs 30 s after SIGKILL
     * @throws EngineException when postmaster.pid cannot be read
     */
    public static List<Long> kill9(Path dataDirectory) {
        Optional<PostmasterPid> postmaster = PostmasterPid.read(dataDirectory).filter(PostmasterPid::isProcessAlive);
        if (postmaster.isEmpty()) {
            return List.of();
        }
        PostmasterPid pid = postmaster.get();
        Path served = pid.dataDirectory();
        if (served != null
                && !served.toAbsolutePath()
                        .normalize()
                        .equals(dataDirectory.toAbsolutePath().normalize())) {
            throw new IllegalStateException(
                    dataDirectory + ": postmaster.pid names " + served + "; not killing " + pid.pid());
        }
        ProcessHandle.of(pid.pid()).flatMap(p -> p.info().command()).ifPresent(command -> {
            if (!Path.of(command).getFileName().toString().equals("postgres")) {
                throw new IllegalStateException(dataDirectory + ": process " + pid.pid()
                        + " named by postmaster.pid is " + command + ", not postgres; not killing it");
            }
        });
        log.info("{}: killing postmaster {} and its children with SIGKILL", dataDirectory, pid.pid());
        return killProcessTree(pid.pid());
    }

    /** Whether a live postmaster serves the data directory (its postmaster.pid names a live process). */
    public boolean isRunning() {
        try {
            return runningPostmaster().isPresent();
        } catch (EngineException e) {
            return true; // postmaster.pid exists but is being written: a postmaster is starting
        }
    }

    /**
     * Runs {@code sql} and returns the first column of the first row as text ({@code toString()}
     * of the JDBC value: a boolean is {@code true}, not {@code t}); null when there is no row or
     * the value is null.
     *
     * @throws EngineException classified by SQLState
     */
    public @Nullable String sql(String sql) {
        List<Map<String, @Nullable Object>> rows = query(sql);
        if (rows.isEmpty()) {
            return null;
        }
        Object value = rows.get(0).values().iterator().next();
        return value == null ? null : value.toString();
    }

    /**
     * Runs {@code sql} and returns every row, column label to value, in column order.
     *
     * @throws EngineException classified by SQLState
     */
    public List<Map<String, @Nullable Object>> query(String sql) {
        try {
            return queries.query(localPort(), sql);
        } catch (SQLException e) {
            throw PostgresErrors.toEngineException("query on " + name, e);
        }
    }

    /**
     * Runs {@code sql}, which returns no rows, and returns its update count.
     *
     * @throws EngineException classified by SQLState
     */
    public long execute(String sql) {
        try {
            return queries.execute(localPort(), sql);
        } catch (SQLException e) {
            throw PostgresErrors.toEngineException("execute on " + name, e);
        }
    }

    /** The last lines of the server's log; empty when there is none yet. */
    public String logTail() {
        return PgCtl.logTail(logFile);
    }

    /**
     * Stops the server at once if it runs (killing it if pg_ctl cannot) and deletes the
     * directory. Idempotent; never throws for a cluster that failed half-way through creation.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queries.close();
        try {
            if (isRunning()) {
                stopImmediate();
            }
        } catch (RuntimeException e) {
            log.warn("{}: pg_ctl stop failed; killing the postmaster: {}", name, e.getMessage());
        } finally {
            destroy();
            LiveClusters.forget(this);
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + (host == null ? "" : " on " + host.name()) + ", " + dataDirectory + ")";
    }

    /**
     * Kills a postmaster still running and deletes the directory. Used by {@link #close()} and by
     * the shutdown hook; never throws.
     */
    void destroy() {
        Relay r = relay;
        if (r != null) {
            r.close();
        }
        try {
            Optional<PostmasterPid> pid = PostmasterPid.read(dataDirectory);
            if (pid.isPresent() && pid.get().isProcessAlive()) {
                killProcessTree(pid.get().pid());
            }
            pid.ifPresent(this::removeSharedMemory);
        } catch (RuntimeException e) {
            log.warn("{}: could not stop the postmaster: {}", name, e.getMessage());
        }
        deleteRecursively(directory);
    }

    private void stop(StopMode mode) {
        queries.close();
        try {
            pgCtl.stop(dataDirectory, mode, START_STOP_TIMEOUT);
        } catch (EngineException e) {
            throw new EngineException(e.failure(), "stop " + name + ": " + e.getMessage(), e);
        }
    }

    private Optional<PostmasterPid> runningPostmaster() {
        return PostmasterPid.read(dataDirectory).filter(PostmasterPid::isProcessAlive);
    }

    private void initdb() {
        try {
            new InitDb(binaries, commandRunner()).create(dataDirectory, SETUP_TIMEOUT);
        } catch (EngineException e) {
            throw new EngineException(e.failure(), "create " + name + ": " + e.getMessage(), e);
        }
        baseConfig = read(dataDirectory.resolve("postgresql.conf"));
    }

    private void cloneFrom(PgCluster primary) {
        run(List.of(
                binaries.path("pg_basebackup").toString(),
                "-D",
                dataDirectory.toString(),
                "-X",
                "stream",
                "-c",
                "fast",
                "-h",
                HOST,
                "-p",
                Integer.toString(primary.port),
                "-U",
                SUPERUSER));
        InitDb.trustLoopback(dataDirectory);
        createOwnedFile(dataDirectory.resolve("standby.signal"));
        baseConfig = read(dataDirectory.resolve("postgresql.conf"))
                + "\n# understudy testkit: standby of " + primary.name + "\n"
                + InitDb.settingLine(
                        "primary_conninfo",
                        "host=" + HOST + " port=" + primary.port + " user=" + SUPERUSER + " application_name=" + name);
    }

    private void run(List<String> command) {
        try {
            commandRunner().runChecked(command, SETUP_TIMEOUT);
        } catch (EngineException e) {
            throw new EngineException(e.failure(), "create " + name + ": " + e.getMessage(), e);
        }
    }

    /** Starts on a free port; when another process took the port meanwhile, tries another. */
    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = FreePorts.next();
            writeConfig();
            try {
                start();
                if (host != null) {
                    relay = Relay.tcpToUnix(socketFile());
                }
                return;
            } catch (EngineException e) {
                if (attempt >= PORT_ATTEMPTS || FreePorts.isFree(port)) {
                    throw e;
                }
                log.info("{}: port {} was taken meanwhile; trying another", name, port);
            }
        }
    }

    private void writeConfig() {
        Map<String, String> settings = new LinkedHashMap<>(InitDb.localSettings(port, directory));
        if (host != null) {
            // the namespace's own addresses only: its loopback and its lab address
            settings.put("listen_addresses", "*");
        }
        settings.put("logging_collector", "off");
        settings.putAll(extraSettings);
        StringBuilder config = new StringBuilder(baseConfig).append("\n# understudy testkit\n");
        settings.forEach((key, value) -> config.append(InitDb.settingLine(key, value)));
        write(dataDirectory.resolve("postgresql.conf"), config.toString());
    }

    /** The server's Unix socket, in the cluster's directory. */
    private Path socketFile() {
        return directory.resolve(".s.PGSQL." + port);
    }

    /** Whether the server accepts connections: on its port, or on a lab host on its Unix socket. */
    private boolean acceptsConnections() {
        if (host == null) {
            return FreePorts.acceptsConnections(port);
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketFile()))) {
            return channel.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * SIGKILL to {@code pid} first, so that it starts nothing more, then to every process it had
     * started; waits until they are all gone. A process it forks between the listing of its
     * descendants and its death is not signalled, but a postgres child ends by itself when its
     * postmaster dies.
     *
     * @return the ids of the processes signalled, {@code pid} first; empty when it does not run
     */
    private static List<Long> killProcessTree(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return List.of();
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root.get());
        tree.addAll(root.get().descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : tree) {
            awaitExit(process);
        }
        return tree.stream().map(ProcessHandle::pid).toList();
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for process " + process.pid(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "process " + process.pid() + " still runs " + EXIT_TIMEOUT.toSeconds() + " s after SIGKILL", e);
        }
    }

    /**
     * Removes the System V shared memory segment a killed postmaster leaves behind; it would
     * outlive the deleted directory. The key, from postmaster.pid, is derived from the data
     * directory, so it names no one else's segment.
     */
    private void removeSharedMemory(PostmasterPid pid) {
        String shared = pid.sharedMemory();
        if (shared == null || shared.isBlank()) {
            return;
        }
        String key = shared.strip().split(" ", 2)[0];
        if (!key.matches("\\d+") || key.equals("0")) {
            return;
        }
        CommandRunner.asCurrentUser().run(List.of("ipcrm", "-M", key), Duration.ofSeconds(10));
    }

    private static Path newDirectory(String prefix) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (tmp.toString().length() > MAX_TMP_PATH_LENGTH) {
            tmp = Path.of("/tmp");
        }
        try {
            Path directory = Files.createTempDirectory(tmp, "us-" + prefix + "-");
            if (OsUser.isRoot()) {
                OsUser.ensureExists(OsUser.databaseOwner());
                OsUser.chown(directory, OsUser.databaseOwner());
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + tmp, e);
        }
    }

    private void createOwnedFile(Path file) {
        write(file, "");
        if (OsUser.isRoot()) {
            OsUser.chown(file, OsUser.databaseOwner());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes {@code file}; an existing file keeps its owner (the database owner). */
    private static void write(Path file, String content) {
        try {
            Files.writeString(
                    file,
                    content,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete {} completely: {}", root, e.getMessage());
        }
    }
}
