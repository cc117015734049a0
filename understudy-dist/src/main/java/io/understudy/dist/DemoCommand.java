package io.understudy.dist;

import io.understudy.center.CenterSettings;
import io.understudy.center.ControlCenter;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.session.Session;
import io.understudy.cli.session.SessionStore;
import io.understudy.core.UnderstudyException;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.LoginReply;
import io.understudy.core.protocol.Secret;
import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code understudy demo}: the local test drive. A Control Center, two agents ({@code psql1},
 * {@code psql2}), each in its own process, and two PostgreSQL clusters on this machine, all on
 * loopback; it runs until interrupted and then stops everything it started.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the local test drive on this machine until interrupted.",
            "A Control Center, two agents (psql1, psql2) in processes of their own, and",
            "two PostgreSQL clusters: on psql1 a primary with sample data, on psql2 an",
            "empty cluster that a standby will later replace. Prints the URL and the",
            "login, logs the CLI in, and on Ctrl+C stops everything it started. State",
            "stays in --dir for the next run.",
        },
        footer = {
            "",
            "Ports: the Control Center on PORT, the agents on PORT+1 and PORT+2, the",
            "databases on PORT+11 (psql1) and PORT+12 (psql2); all on 127.0.0.1.",
        })
public final class DemoCommand implements Callable<Integer> {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "7800",
            description = "Port of the Control Center; the others follow it (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where the test drive keeps its state (default: /var/tmp/understudy-demo-USER).")
    @Nullable
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        Demo demo;
        try {
            demo = Demo.start(port, directory(), out);
        } catch (UnderstudyException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("Stopping the test drive...");
            out.flush();
            demo.close();
            out.println("Stopped. State kept in " + demo.directory() + ".");
            out.flush();
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private Path directory() {
        return dir != null
                ? dir.toAbsolutePath().normalize()
                : Path.of("/var/tmp", "understudy-demo-" + OsUser.current());
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }

    /** A running test drive. */
    static final class Demo implements AutoCloseable {
        private final Path directory;
        private final List<DemoHost> hosts;
        private final ControlCenter center;

        private Demo(Path directory, List<DemoHost> hosts, ControlCenter center) {
            this.directory = directory;
            this.hosts = hosts;
            this.center = center;
        }

        Path directory() {
            return directory;
        }

        static Demo start(int port, Path directory, PrintWriter out) {
            if (port < 1 || port + 12 > 65535) {
                throw new IllegalArgumentException(
                        "--port must be 1-65523 (the demo uses PORT to PORT+12), got " + port);
            }
            List<Integer> ports = List.of(port, port + 1, port + 2, port + 11, port + 12);
            for (int p : ports) {
                requireFree(p);
            }
            String owner = OsUser.databaseOwner();
            OsUser.ensureExists(owner);
            prepareDirectory(directory);
            DemoLogging.toFile(directory.resolve("control-center.log"));
            Path adminPassword = secretFile(directory.resolve("admin-password"), null);
            Path passphrase = secretFile(directory.resolve("enrolment-passphrase"), owner);

            List<DemoHost> hosts = List.of(
                    new DemoHost("psql1", directory.resolve("psql1"), port + 11, port + 1),
                    new DemoHost("psql2", directory.resolve("psql2"), port + 12, port + 2));
            ControlCenter center = null;
            List<DemoHost> started = new ArrayList<>();
            try {
                out.println("Starting the Control Center on http://127.0.0.1:" + port + " ...");
                out.flush();
                center = ControlCenter.start(
                        CenterSettings.defaults(directory.resolve("control-center"))
                                .withListen("127.0.0.1", port)
                                .withAdminPasswordFile(adminPassword)
                                .withPassphraseFile(passphrase),
                        out);
                for (DemoHost host : hosts) {
                    out.println("Starting PostgreSQL of " + host.name() + " on port " + host.databasePort() + " ...");
                    out.flush();
                    started.add(host);
                    boolean created = host.createOrReuseAndStart();
                    if (created && host.name().equals("psql1")) {
                        SampleData.load(host);
                    }
                }
                for (DemoHost host : hosts) {
                    host.startAgent(center.url(), passphrase, directory.resolve("lib"));
                }
                Demo demo = new Demo(directory, hosts, center);
                String password =
                        Files.readString(adminPassword, StandardCharsets.UTF_8).strip();
                ApiClient anonymous = ApiClient.anonymous(URI.create(center.url()));
                LoginReply login = anonymous.login("admin", Secret.of(password));
                demo.awaitDatabasesUp(anonymous.withToken(login.token()));
                demo.logInTheCli(login);
                demo.printWelcome(out, password);
                return demo;
            } catch (RuntimeException e) {
                for (DemoHost host : started) {
                    closeQuietly(host);
                }
                if (center != null) {
                    center.close();
                }
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void awaitDatabasesUp(ApiClient api) {
            Instant deadline = Instant.now().plus(READY_TIMEOUT);
            while (true) {
                List<DatabaseView> databases = api.databases();
                long up = databases.stream().filter(DatabaseView::up).count();
                if (up >= hosts.size()) {
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
                pause(Duration.ofMillis(200));
            }
        }

        /** Logs the CLI of the user running the demo in, so `./understudy databases` just works. */
        private void logInTheCli(LoginReply login) {
            new SessionStore(SessionStore.defaultDirectory(System.getenv(), Path.of(System.getProperty("user.home"))))
                    .write(new Session(center.url(), login.user(), login.token()));
        }

        private void printWelcome(PrintWriter out, String password) {
            out.println();
            out.println("Understudy test drive is running.");
            out.println();
            out.println("  Control Center  " + center.url());
            out.println("  user            admin");
            out.println("  password        " + password);
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

        /** Stops the agents, the databases and the Control Center, in that order. Idempotent. */
        @Override
        public void close() {
            for (DemoHost host : hosts) {
                closeQuietly(host);
            }
            center.close();
        }

        private static void closeQuietly(DemoHost host) {
            try {
                host.close();
            } catch (RuntimeException e) {
                System.err.println("could not stop " + host.name() + " cleanly: " + e.getMessage());
            }
        }

        private static void requireFree(int port) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port
                        + " on 127.0.0.1 is already in use (is another test drive running? choose another --port)");
            }
        }

        private static void prepareDirectory(Path directory) {
            try {
                Files.createDirectories(directory);
                // The agents run as the database owner and must reach their homes below it.
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create --dir " + directory, e);
            }
        }

        /** A file holding a generated secret, created once (mode 600) and reused after. */
        private static Path secretFile(Path file, @Nullable String owner) {
            try {
                if (!Files.exists(file)) {
                    byte[] random = new byte[18];
                    new SecureRandom().nextBytes(random);
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(
                            file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
                }
                if (owner != null && OsUser.isRoot()) {
                    OsUser.chown(file, owner);
                }
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        private static void pause(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the databases", e);
            }
        }
    }
}
