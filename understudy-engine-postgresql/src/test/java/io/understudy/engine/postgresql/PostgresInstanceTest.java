package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.database.Role;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
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

        writePid(alive, 5499, "stopping");
        assertThat(observe().reason()).isEqualTo("shutting down");
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
