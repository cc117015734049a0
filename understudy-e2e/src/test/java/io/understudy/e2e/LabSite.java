package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.EventView;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.protocol.Secret;
import io.understudy.dist.AgentProcess;
import io.understudy.engine.StopMode;
import io.understudy.engine.postgresql.PgCtl;
import io.understudy.engine.postgresql.PostgresBinaries;
import io.understudy.engine.process.OsUser;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.LabHost;
import io.understudy.testkit.NetworkLab;
import io.understudy.testkit.PgCluster;
import io.understudy.testkit.Relay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A whole site in the network lab: the Control Center on host {@code cc}, agent psql1 and its
 * primary on host {@code h1}, agent psql2 and the hot standby it makes on host {@code h2}, each host
 * a network namespace of its own. The test reaches the Control Center's API and both databases from
 * its own namespace through relays only.
 */
final class LabSite implements AutoCloseable {
    private static final int CENTER_PORT = 7800;
    private static final Duration OPERATION = Duration.ofSeconds(120);
    private static final Duration AGENT_STATE = Duration.ofSeconds(30);
    private static final Path CLASSPATH_STAGING = Path.of(System.getProperty("java.io.tmpdir"), "understudy-e2e-lib");

    final String name;
    NetworkLab lab;
    LabHost cc;
    LabHost h1;
    LabHost h2;
    Path directory;
    final List<AgentProcess> processes = new ArrayList<>();
    PgCluster primary;
    Path standbyDirectory;
    Relay standby;
    ApiClient api;

    /** Starts the site in a new lab; the caller has checked that the lab is available. */
    static LabSite start(String name) {
        LabSite site = new LabSite(name);
        site.startSite();
        return site;
    }

    private LabSite(String name) {
        this.name = name;
    }

    private void startSite() {
        try {
            lab = NetworkLab.create();
            cc = lab.host("cc");
            h1 = lab.host("h1");
            h2 = lab.host("h2");
            directory = newDirectory();
            startCenter();
            configurationWithStandby();
            standby = Relay.toDatabase(standbyDirectory);
        } catch (RuntimeException | Error e) {
            System.err.println("=== the site in the network lab did not start; what it saw:");
            System.err.println(diagnostics());
            throw e;
        }
    }

    @Override
    public void close() {
        processes.forEach(AgentProcess::close);
        if (primary != null) {
            primary.close();
        }
        if (standbyDirectory != null && Files.exists(standbyDirectory.resolve("postmaster.pid"))) {
            try {
                new PgCtl(PostgresBinaries.newest(), PgCluster.commandRunner())
                        .stop(standbyDirectory, StopMode.IMMEDIATE, Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                System.err.println("could not stop the standby at " + standbyDirectory + ": " + e.getMessage());
            }
        }
        if (standby != null) {
            standby.close();
        }
        if (lab != null) {
            lab.close();
        }
        if (directory != null) {
            TestSite.deleteRecursively(directory);
        }
    }

    /** The Control Center as a process on host cc, its API exposed to this JVM. */
    private void startCenter() {
        List<String> args = List.of(
                "--listen",
                cc.address() + ":" + CENTER_PORT,
                "--data",
                ownedDirectory("control-center").toString(),
                "--admin-password-file",
                secretFile("admin-password", TestSite.ADMIN_PASSWORD).toString(),
                "--passphrase-file",
                passphraseFile().toString());
        processes.add(AgentProcess.startLauncher(
                "control-center",
                cc.commandPrefix(),
                "control-center",
                args,
                directory.resolve("control-center.log"),
                CLASSPATH_STAGING));
        ApiClient anonymous = ApiClient.anonymous(URI.create("http://127.0.0.1:" + cc.expose(CENTER_PORT)));
        AtomicReference<ApiClient> client = new AtomicReference<>();
        await("the Control Center answers through the relay")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    client.set(anonymous.withToken(anonymous
                            .login("admin", Secret.of(TestSite.ADMIN_PASSWORD))
                            .token()));
                    return true;
                });
        api = client.get();
    }

    /** psql1 with a primary on h1, psql2 on h2, and a hot WAL-streaming standby made on h2. */
    private void configurationWithStandby() {
        primary = PgCluster.builder()
                .namePrefix("primary")
                .on(h1)
                // what a standby copied from it inherits: it notices a silent primary within seconds
                .setting("wal_receiver_timeout", "10s")
                .setting("wal_sender_timeout", "10s")
                .create();
        startAgent(
                "psql1", h1, List.of("--data-directory", primary.dataDirectory().toString()));
        startAgent("psql2", h2, List.of());
        await("both agents online and the primary up")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.agents().stream().filter(AgentView::online).count() == 2
                        && api.databases().stream().anyMatch(d -> d.id().equals("psql1:" + primary.port()) && d.up()));
        standbyDirectory = ownedDirectory("target-standby").resolve("data");
        api.createConfigurationJson(new ConfigurationRequest(
                name,
                "psql1:" + primary.port(),
                new StandbyTarget("psql2", standbyDirectory.toString(), FreePorts.next()),
                "wal-streaming",
                "hot"));
        AtomicReference<String> operationId = new AtomicReference<>();
        await("target inspected")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptionsMatching(
                        e -> e instanceof ApiException a && a.error().code().equals("target_not_inspected"))
                .until(() -> {
                    operationId.set(api.createStandby(name, false).operationId());
                    return true;
                });
        await("the standby created")
                .atMost(OPERATION)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !api.operation(operationId.get()).state().equals("RUNNING"));
        OperationView done = api.operation(operationId.get());
        assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
    }

    private void startAgent(String name, LabHost host, List<String> more) {
        List<String> args = new ArrayList<>(List.of(
                "--name",
                name,
                "--control-center",
                "http://" + cc.address() + ":" + CENTER_PORT,
                "--listen",
                host.address() + ":0",
                "--passphrase-file",
                passphraseFile().toString(),
                "--state-dir",
                ownedDirectory("state-" + name).toString()));
        args.addAll(more);
        processes.add(AgentProcess.startLauncher(
                name, host.commandPrefix(), "agent", args, directory.resolve(name + "-agent.log"), CLASSPATH_STAGING));
    }

    void awaitInSync() {
        await("the standby streams and is in sync")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> standbyStatus().inSync());
    }

    MemberStatus standbyStatus() {
        return api.status(name).standbys().get(0);
    }

    void awaitOnline(String agent, boolean online) {
        await("agent " + agent + (online ? " online" : " offline"))
                .atMost(AGENT_STATE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> isOnline(agent) == online);
    }

    boolean isOnline(String agent) {
        return api.agents().stream().anyMatch(a -> a.name().equals(agent) && a.online());
    }

    void awaitRowOnStandby(int id) {
        await("row " + id + " on the standby")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> count(standby.port(), "SELECT count(*) FROM probe WHERE id = " + id) == 1);
    }

    /** The port of the server that a multi-host URL listing the standby first connects to. */
    int portOfThePrimaryFoundByAMultiHostUrl() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + standby.port() + ",127.0.0.1:" + primary.localPort()
                + "/postgres?user=postgres&targetServerType=primary&connectTimeout=10";
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('port')")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    static long count(int localPort, String sql) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + localPort + "/postgres?connectTimeout=10&socketTimeout=20";
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Path passphraseFile() {
        Path file = directory.resolve("passphrase");
        return Files.exists(file) ? file : secretFile("passphrase", TestSite.PASSPHRASE);
    }

    /** A file holding {@code content} that only the database owner (who runs the agents) reads. */
    private Path secretFile(String name, String content) {
        Path file = directory.resolve(name);
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

    private Path ownedDirectory(String name) {
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

    private static Path newDirectory() {
        try {
            Path dir = Files.createTempDirectory("us-netlab-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What each piece saw: the events, each process's output, both databases' logs. */
    String diagnostics() {
        StringBuilder report = new StringBuilder();
        if (api != null) {
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
        }
        for (AgentProcess process : processes) {
            report.append("--- ").append(process.name()).append('\n').append(process.output());
        }
        if (primary != null) {
            report.append("--- postgres ")
                    .append(primary.name())
                    .append('\n')
                    .append(primary.logTail())
                    .append('\n')
                    .append(PgCtl.logTail(PgCtl.defaultLogFile(primary.dataDirectory())))
                    .append('\n');
        }
        if (standbyDirectory != null) {
            report.append("--- postgres at ")
                    .append(standbyDirectory)
                    .append('\n')
                    .append(PgCtl.logTail(PgCtl.defaultLogFile(standbyDirectory)))
                    .append('\n');
        }
        return report.toString();
    }
}
