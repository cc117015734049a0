package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.core.api.AgentView;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.database.Lsn;
import io.understudy.core.database.Role;
import io.understudy.dist.AgentProcess;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agents on real PostgreSQL reporting to a real Control Center, seen through the public API only.
 */
class AgentScenarioIT {
    private static final Duration AGENT_EXIT = Duration.ofSeconds(60);

    static TestSite site;

    @RegisterExtension
    final DiagnosticsOnFailure diagnostics = new DiagnosticsOnFailure(() -> site.diagnostics());

    @BeforeAll
    static void startSite() {
        site = TestSite.start();
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    @Test
    void listsEachDatabaseWithItsAgentRoleVersionAndPosition() {
        PgCluster db = site.newCluster("listed");
        AgentProcess agent = site.startAgent("host-listed", db);

        DatabaseView view = site.awaitUp("host-listed", db);

        assertThat(view.id()).isEqualTo("host-listed:" + db.port());
        assertThat(view.agent()).isEqualTo("host-listed");
        assertThat(view.port()).isEqualTo(db.port());
        assertThat(Path.of(view.dataDirectory())).isEqualTo(db.dataDirectory());
        assertThat(view.role()).isEqualTo(Role.PRIMARY);
        assertThat(view.version()).isEqualTo(db.sql("SHOW server_version").split(" ")[0]);
        assertThat(view.currentLsn()).matches("[0-9A-F]+/[0-9A-F]+");
        AgentView host = site.agent("host-listed").orElseThrow();
        assertThat(host.online()).isTrue();
        assertThat(host.pid()).isEqualTo(agent.pid());
        assertThat(host.address()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void reportsTheWritePositionAsItMoves() {
        PgCluster db = site.newCluster("moving");
        site.startAgent("host-moving", db);
        String before = site.awaitUp("host-moving", db).currentLsn();

        db.execute("CREATE TABLE t AS SELECT g FROM generate_series(1, 10000) g");
        String after = db.sql("SELECT pg_current_wal_lsn()");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Lsn.parse(
                        site.database("host-moving:" + db.port()).orElseThrow().currentLsn()))
                .isGreaterThanOrEqualTo(Lsn.parse(after))
                .isGreaterThan(Lsn.parse(before)));
    }

    @Test
    void showsAnAgentKilledWithKill9OfflineWithinFiveSeconds() {
        PgCluster db = site.newCluster("orphan");
        AgentProcess agent = site.startAgent("host-killed", db);
        site.awaitUp("host-killed", db);

        agent.kill();

        await("agent offline")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !site.agent("host-killed").orElseThrow().online());
        DatabaseView view = site.database("host-killed:" + db.port()).orElseThrow();
        assertThat(view.up()).isFalse();
        assertThat(view.reason()).contains("host-killed").contains("offline");
    }

    @Test
    void showsAStoppedDatabaseDownAndAStartedOneUpAgain() {
        PgCluster db = site.newCluster("stopstart");
        site.startAgent("host-stopstart", db);
        String id = "host-stopstart:" + db.port();
        site.awaitUp("host-stopstart", db);

        db.stopFast();
        await("database down")
                .atMost(Duration.ofSeconds(5))
                .until(() -> !site.database(id).orElseThrow().up());
        assertThat(site.database(id).orElseThrow().reason()).isNotBlank();

        db.start();
        await("database up")
                .atMost(Duration.ofSeconds(5))
                .until(() -> site.database(id).orElseThrow().up());
    }

    @Test
    void refusesAWrongPassphraseAndRegistersNothing() {
        PgCluster db = site.newCluster("intruded");
        Path wrong = site.writeFile("wrong-passphrase", "not the passphrase");

        AgentProcess agent = site.startAgentWith(
                "intruder",
                List.of(
                        "--passphrase-file",
                        wrong.toString(),
                        "--data-directory",
                        db.dataDirectory().toString()));

        assertThat(agent.waitForExit(AGENT_EXIT)).isEqualTo(1);
        assertThat(agent.output()).contains("error:").contains("passphrase");
        assertThat(agent.output()).doesNotContain("not the passphrase");
        assertThat(site.agent("intruder")).isEmpty();
        assertThat(site.api().databases()).noneMatch(d -> d.agent().equals("intruder"));
    }

    @Test
    void refusesADirectoryThatIsNotAPostgresDataDirectory() throws IOException {
        Path notACluster = Files.createTempDirectory("us-not-a-cluster-");
        Files.setPosixFilePermissions(notACluster, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            AgentProcess agent = site.startAgentWith(
                    "host-wrong-dir",
                    List.of(
                            "--passphrase-file",
                            site.passphraseFile().toString(),
                            "--data-directory",
                            notACluster.toString()));

            assertThat(agent.waitForExit(AGENT_EXIT)).isEqualTo(1);
            assertThat(agent.output()).contains("error:").contains(notACluster + " is not a PostgreSQL data directory");
            assertThat(site.agent("host-wrong-dir")).isEmpty();
        } finally {
            Files.deleteIfExists(notACluster);
        }
    }

    @Test
    void saysSoWhenTheControlCenterDoesNotAnswer() {
        PgCluster db = site.newCluster("lonely");
        String nobody = "http://127.0.0.1:" + FreePorts.next();

        AgentProcess agent = site.startAgentWith(
                "host-lonely",
                List.of(
                        "--control-center", nobody,
                        "--passphrase-file", site.passphraseFile().toString(),
                        "--data-directory", db.dataDirectory().toString()));

        assertThat(agent.waitForExit(AGENT_EXIT)).isEqualTo(1);
        assertThat(agent.output()).contains("error: the Control Center at " + nobody + " does not answer");
    }

    @Test
    void refusesAListenAddressAlreadyInUseAndRegistersNothing() throws IOException {
        PgCluster db = site.newCluster("crowded");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            AgentProcess agent = site.startAgentWith(
                    "host-crowded",
                    List.of(
                            "--listen", "127.0.0.1:" + taken.getLocalPort(),
                            "--passphrase-file", site.passphraseFile().toString(),
                            "--data-directory", db.dataDirectory().toString()));

            assertThat(agent.waitForExit(AGENT_EXIT)).isEqualTo(1);
            assertThat(agent.output())
                    .contains("error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
            assertThat(site.agent("host-crowded")).isEmpty();
        }
    }
}
