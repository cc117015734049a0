package io.understudy.dist;

import io.understudy.engine.Instance;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.StopMode;
import io.understudy.engine.postgresql.InitDb;
import io.understudy.engine.postgresql.PostgresBinaries;
import io.understudy.engine.postgresql.PostgresEngine;
import io.understudy.engine.process.CommandRunner;
import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One simulated host of the test drive: a PostgreSQL cluster in {@code home/data} and the agent
 * that owns it, in its own process, as on a real host. Files belong to the database owner.
 */
final class DemoHost implements AutoCloseable {
    private static final Duration PG_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path home;
    private final int databasePort;
    private final int agentPort;
    private final CommandRunner runner;
    private @Nullable Instance instance;
    private @Nullable AgentProcess agent;

    DemoHost(String name, Path home, int databasePort, int agentPort) {
        this.name = name;
        this.home = home;
        this.databasePort = databasePort;
        this.agentPort = agentPort;
        this.runner = PostgresEngine.commandRunner(OsUser.switchNeeded().orElse(null));
    }

    String name() {
        return name;
    }

    int databasePort() {
        return databasePort;
    }

    Path dataDirectory() {
        return home.resolve("data");
    }

    String connectionString() {
        return "postgresql://postgres@127.0.0.1:" + databasePort + "/postgres";
    }

    /**
     * Creates the cluster unless it exists, then starts it.
     *
     * @return true when the cluster was created now, false when an existing one was reused
     */
    boolean createOrReuseAndStart() {
        boolean created = false;
        prepareHome();
        if (!Files.exists(dataDirectory().resolve("PG_VERSION"))) {
            new InitDb(PostgresBinaries.newest(), runner).create(dataDirectory(), PG_TIMEOUT);
            InitDb.appendSettings(
                    dataDirectory(), "Understudy test drive: host " + name, InitDb.localSettings(databasePort, home));
            created = true;
        }
        Instance opened = new PostgresEngine(runner).open(InstanceConfig.local(dataDirectory()));
        instance = opened;
        opened.start(PG_TIMEOUT);
        return created;
    }

    /** Runs SQL on the running cluster as {@code postgres}. */
    void execute(String sql) {
        requireInstance().execute(sql);
    }

    /** Starts the agent of this host, reporting to {@code controlCenter}. */
    AgentProcess startAgent(String controlCenter, Path passphraseFile, Path stagingDir) {
        AgentProcess started = AgentProcess.start(
                name,
                List.of(
                        "--name",
                        name,
                        "--control-center",
                        controlCenter,
                        "--passphrase-file",
                        passphraseFile.toString(),
                        "--data-directory",
                        dataDirectory().toString(),
                        "--listen",
                        "127.0.0.1:" + agentPort),
                home.resolve("agent.log"),
                stagingDir);
        agent = started;
        return started;
    }

    @Nullable
    AgentProcess agent() {
        return agent;
    }

    /** Stops the agent, then the cluster (fast: clean, with a checkpoint). Idempotent. */
    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        if (instance != null) {
            instance.stop(StopMode.FAST, PG_TIMEOUT);
            instance.close();
        }
    }

    @Override
    public String toString() {
        return "host " + name;
    }

    private Instance requireInstance() {
        if (instance == null) {
            throw new IllegalStateException(name + ": the cluster is not started");
        }
        return instance;
    }

    private void prepareHome() {
        try {
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
            OsUser.chown(home, OsUser.databaseOwner());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + home, e);
        }
    }
}
