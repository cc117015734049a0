package io.understudy.dist;

import io.understudy.center.CenterSettings;
import io.understudy.center.ControlCenter;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.session.Session;
import io.understudy.cli.session.SessionStore;
import io.understudy.core.LocalPorts;
import io.understudy.core.SecretFiles;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.LoginReply;
import io.understudy.core.protocol.Secret;
import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The local test drive: a Control Center in this process, and two simulated hosts, each a
 * PostgreSQL cluster and an agent in a process of its own. It remembers everything it starts,
 * so that {@link #close()} (from Ctrl+C, even in the middle of {@link #start()}) stops exactly
 * that, in reverse order.
 */
final class Demo implements AutoCloseable {
    /** The ports used, as offsets from the Control Center's port. */
    static final List<Integer> PORT_OFFSETS = List.of(0, 1, 2, 11, 12);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final int port;
    private final Path directory;
    private final PrintWriter out;
    private final List<DemoHost> hosts;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private @Nullable ControlCenter center;
    private boolean closed;

    Demo(int port, Path directory, PrintWriter out) {
        this.port = port;
        this.directory = directory;
        this.out = out;
        this.hosts = List.of(
                new DemoHost("psql1", directory.resolve("psql1"), port + 11, port + 1),
                new DemoHost("psql2", directory.resolve("psql2"), port + 12, port + 2));
    }

    Path directory() {
        return directory;
    }

    /**
     * Starts everything and returns once both databases show up in the Control Center.
     *
     * @throws IllegalStateException when a port is taken (nothing is created then), a piece does
     *     not start, or the databases do not show up in time; what had started is stopped by
     *     {@link #close()}
     */
    void start() {
        for (int offset : PORT_OFFSETS) {
            if (!LocalPorts.isFree(port + offset)) {
                throw new IllegalStateException("port " + (port + offset)
                        + " on 127.0.0.1 is already in use (is another test drive running? choose another --port)");
            }
        }
        String owner = OsUser.databaseOwner();
        OsUser.ensureExists(owner);
        prepareDirectory();
        DemoLogging.toFile(directory.resolve("control-center.log"));
        Path adminPasswordFile = directory.resolve("admin-password");
        Secret adminPassword = SecretFiles.createIfAbsent(adminPasswordFile, "admin password");
        Path passphrase = directory.resolve("enrolment-passphrase");
        SecretFiles.createIfAbsent(passphrase, "enrolment passphrase");
        if (OsUser.isRoot()) {
            OsUser.chown(passphrase, owner); // the agents read it
        }

        progress("Starting the Control Center on http://127.0.0.1:" + port + " ...");
        ControlCenter running = track(ControlCenter.start(
                CenterSettings.defaults(directory.resolve("control-center"))
                        .withListen("127.0.0.1", port)
                        .withAdminPasswordFile(adminPasswordFile)
                        .withPassphraseFile(passphrase),
                out));
        center = running;
        for (DemoHost host : hosts) {
            progress("Starting PostgreSQL of " + host.name() + " on port " + host.databasePort() + " ...");
            track(host);
            if (host.createOrReuseAndStart() && host.name().equals("psql1")) {
                SampleData.load(host);
            }
        }
        for (DemoHost host : hosts) {
            host.startAgent(running.url(), passphrase, directory.resolve("lib"));
        }
        ApiClient anonymous = ApiClient.anonymous(URI.create(running.url()));
        LoginReply login = anonymous.login("admin", adminPassword);
        awaitDatabasesUp(anonymous.withToken(login.token()));
        logInTheCli(running.url(), login);
        printWelcome(running.url(), adminPassword);
    }

    /** Stops what has started, the last started first. Idempotent; safe from a shutdown hook. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable piece = started.pop();
            try {
                piece.close();
            } catch (Exception e) {
                out.println("could not stop " + piece + " cleanly: " + e.getMessage());
                out.flush();
            }
        }
    }

    private synchronized <T extends AutoCloseable> T track(T piece) {
        started.push(piece);
        if (closed) { // Ctrl+C came while this piece was starting
            close();
            throw new IllegalStateException("the test drive is stopping");
        }
        return piece;
    }

    private void awaitDatabasesUp(ApiClient api) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            List<DatabaseView> databases = api.databases();
            if (databases.stream().filter(DatabaseView::up).count() >= hosts.size()) {
                return;
            }
            for (DemoHost host : hosts) {
                AgentProcess agent = host.agent();
                if (agent != null && !agent.isAlive()) {
                    throw new IllegalStateException("agent " + host.name() + " ended: " + agent.output());
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the databases did not show up within " + READY_TIMEOUT.toSeconds()
                        + " s; see " + directory + "/psql*/agent.log");
            }
            pause();
        }
    }

    /** Logs the CLI of the user running the demo in, so that `./understudy databases` just works. */
    private static void logInTheCli(String url, LoginReply login) {
        new SessionStore(SessionStore.defaultDirectory(System.getenv(), Path.of(System.getProperty("user.home"))))
                .write(new Session(url, login.user(), login.token()));
    }

    private void printWelcome(String url, Secret adminPassword) {
        out.println();
        out.println("Understudy test drive is running.");
        out.println();
        out.println("  Control Center  " + url);
        out.println("  user            admin");
        out.println("  password        " + adminPassword.reveal());
        out.println();
        for (DemoHost host : hosts) {
            out.printf(
                    "  %-6s %-28s %s%n",
                    host.name(),
                    host.name().equals("psql1") ? "primary, with sample data" : "empty, for a standby",
                    host.connectionString());
        }
        out.println();
        out.println("The CLI is logged in: try ./understudy databases");
        out.println("Logs: " + directory + "/control-center.log and " + directory + "/psql*/agent.log");
        out.println("Press Ctrl+C to stop. State stays in " + directory + ".");
        out.flush();
    }

    private void progress(String line) {
        out.println(line);
        out.flush();
    }

    private void prepareDirectory() {
        try {
            Files.createDirectories(directory);
            // The agents run as the database owner and must reach their homes below it.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create --dir " + directory, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200); // polling the API for the agents' first reports
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the databases", e);
        }
    }
}
