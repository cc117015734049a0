package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Observations of a data directory with no server behind it: every way of being down. */
class PostgresInstanceTest {
    @TempDir
    Path tmp;

    private Path dir;

    @BeforeEach
    void createDataDirectory() {
        dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        FakeDataDirectory.write(dir, "postgresql.conf", "port = 5499\n");
    }

    private DatabaseObservation observe() {
        try (PostgresInstance instance = new PostgresEngine().open(InstanceConfig.local(dir))) {
            return instance.observe();
        }
    }

    private void writePid(long pid, int port, String status) {
        FakeDataDirectory.write(
                dir,
                PostmasterPid.FILE_NAME,
                pid + "\n" + dir + "\n1795245335\n" + port + "\n/tmp\n127.0.0.1\n  1  2\n" + status + "\n");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void reportsDownWithoutPostmasterPid() {
        DatabaseObservation seen = observe();

        assertThat(seen.up()).isFalse();
        assertThat(seen.reason()).isEqualTo("not running: no postmaster.pid");
        assertThat(seen.port()).isEqualTo(5499);
        assertThat(seen.majorVersion()).isEqualTo("15");
        assertThat(seen.role()).isEqualTo(Role.PRIMARY);
        assertThat(seen.dataDirectory()).isEqualTo(dir.toString());
    }

    @Test
    void reportsAStandbyRoleFromTheSignalFileWhenDown() {
        FakeDataDirectory.write(dir, "standby.signal", "");

        assertThat(observe().role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void reportsDownWhenThePostmasterIsGone() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        writePid(exited.pid(), 5499, "ready");

        assertThat(observe().reason())
                .isEqualTo("not running: postmaster.pid names process " + exited.pid() + " which is gone");
    }

    @Test
    void reportsStartingAndShuttingDownFromThePidFile() {
        long alive = ProcessHandle.current().pid();

        writePid(alive, 5499, "starting");
        assertThat(observe().reason()).isEqualTo("starting up");
        assertThat(observe().running()).isTrue();

        writePid(alive, 5499, "stopping");
        assertThat(observe().reason()).isEqualTo("shutting down");
        assertThat(observe().running()).isTrue();
    }

    @Test
    void reportsAWarmStandbyRunningThoughItTakesNoConnections() {
        writePid(ProcessHandle.current().pid(), 5499, "standby");

        DatabaseObservation seen = observe();

        assertThat(seen.up()).isFalse();
        assertThat(seen.running()).isTrue();
        assertThat(seen.role()).isEqualTo(Role.STANDBY);
        assertThat(seen.reason()).isEqualTo("running as a warm standby: accepts no connections");
    }

    @Test
    void reportsNotRunningWithoutALivePostmaster() throws Exception {
        assertThat(observe().running()).isFalse();

        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        writePid(exited.pid(), 5499, "ready");
        assertThat(observe().running()).isFalse();
    }

    @Test
    void observesNoReplicationWhenDownOrNotTakingQueries() throws IOException {
        try (PostgresInstance instance = new PostgresEngine().open(InstanceConfig.local(dir))) {
            assertThat(instance.observeReplication()).isEqualTo(ReplicationObservation.none(dir.toString()));

            writePid(ProcessHandle.current().pid(), 5499, "standby");
            assertThat(instance.observeReplication()).isEqualTo(ReplicationObservation.none(dir.toString()));

            writePid(ProcessHandle.current().pid(), closedPort(), "ready");
            assertThat(instance.observeReplication()).isEqualTo(ReplicationObservation.none(dir.toString()));
        }
    }

    @Test
    void refusesToPrepareADownDatabaseAsTransient() {
        try (PostgresInstance instance = new PostgresEngine().open(InstanceConfig.local(dir))) {
            assertThatThrownBy(() -> instance.prepareForStandby(
                            new ReplicationSpec(
                                    ReplicationMethod.WAL_STREAMING,
                                    StandbyMode.HOT,
                                    "s",
                                    "repl",
                                    Secret.of("pw"),
                                    "127.0.0.1",
                                    5499,
                                    "127.0.0.1",
                                    "app"),
                            reason -> {},
                            Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(
                            EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT))
                    .hasMessage("prepare " + dir + " for standby app: the database is down");
        }
    }

    @Test
    void reportsARefusedPortWithTheRunningPort() throws IOException {
        int port = closedPort();
        writePid(ProcessHandle.current().pid(), port, "ready");

        DatabaseObservation seen = observe();

        assertThat(seen.up()).isFalse();
        assertThat(seen.port()).isEqualTo(port);
        assertThat(seen.reason()).startsWith("port " + port + " refuses connections: ");
    }

    @Test
    void failsQueriesAsTransientWhenTheServerIsDown() {
        try (PostgresInstance instance = new PostgresEngine().open(InstanceConfig.local(dir))) {
            assertThatThrownBy(() -> instance.query("select 1"))
                    .isInstanceOfSatisfying(
                            EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT))
                    .hasMessageStartingWith("query " + dir + " on port 5499: ");
        }
    }
}
