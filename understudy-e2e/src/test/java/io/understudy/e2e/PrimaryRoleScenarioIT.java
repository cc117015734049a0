package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.OperationView;
import io.understudy.dist.AgentProcess;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4 as a DBA lives it: switch over and back under a steady writer, a Control Center killed in
 * the middle of a switchover, a failover after the primary's host is lost and the reinstate of the
 * old primary. Real PostgreSQL, real agents, a real Control Center; everything through the public
 * API.
 */
class PrimaryRoleScenarioIT {
    private static final Duration OPERATION = Duration.ofSeconds(120);
    private static final String NAME = "sales";

    TestSite site;
    ApiClient api;
    PgCluster primary;
    AgentProcess primaryAgent;
    AgentProcess standbyAgent;
    int standbyPort;
    Path standbyDirectory;
    CenterProcess center;

    @RegisterExtension
    final DiagnosticsOnFailure diagnostics = new DiagnosticsOnFailure(() -> site.diagnostics() + centerLogs());

    @AfterEach
    void stopSite() {
        if (center != null) {
            center.close();
        }
        site.close();
    }

    /** A primary on agent psql1 and its streaming hot standby on agent psql2, reached at {@code centerUrl}. */
    private void configurationWithStandby(String centerUrl) {
        TwoHosts hosts = TwoHosts.create(site, api, centerUrl, NAME);
        primary = hosts.primary();
        primaryAgent = hosts.primaryAgent();
        standbyAgent = hosts.standbyAgent();
        standbyPort = hosts.standbyPort();
        standbyDirectory = hosts.standbyDirectory();
    }

    private OperationView awaitEnd(String operationId) {
        return Operations.awaitEnd(api, operationId, OPERATION);
    }

    private OperationView run(String action) {
        String id = api.moveThePrimaryRole(NAME, action, true).operationId();
        return awaitEnd(id);
    }

    private static String url(int port) {
        return TwoHosts.url(port);
    }

    private void awaitStreaming() {
        await("the standby streams and is in sync")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.status(NAME).standbys().get(0).inSync());
    }

    private static boolean writable(int port) {
        return TwoHosts.writable(port);
    }

    @Test
    void threeSwitchoversUnderASteadyWriterLoseNoAcknowledgedWrite() throws Exception {
        site = TestSite.start();
        api = site.api();
        configurationWithStandby(site.url());
        awaitStreaming();
        long epochBefore = api.status(NAME).epoch();
        int[] ports = {primary.port(), standbyPort};
        try (SteadyWriter writer = new SteadyWriter(ports).start(url(primary.port()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.acknowledgedCount() > 50);
            int primaryPort = primary.port();
            for (int i = 1; i <= 3; i++) {
                OperationView done = run("switchover");
                assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
                int newPrimaryPort = primaryPort == ports[0] ? ports[1] : ports[0];
                ConfigurationStatus status = api.status(NAME);
                assertThat(status.primary().database()).endsWith(":" + newPrimaryPort);
                assertThat(status.epoch()).isEqualTo(epochBefore + i);
                assertThat(writable(newPrimaryPort)).isTrue();
                assertThat(writable(primaryPort))
                        .as("the old primary is a standby now")
                        .isFalse();
                awaitStreaming();
                int before = writer.acknowledgedCount();
                await("writes go on at the new primary")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> writer.acknowledgedCount() > before + 20);
                primaryPort = newPrimaryPort;
            }
            writer.close();
            assertThat(writer.missingOn(url(primaryPort) + "?user=postgres"))
                    .as("acknowledged writes missing on the final primary")
                    .isEmpty();
            int finalPrimary = primaryPort;
            int finalStandby = finalPrimary == ports[0] ? ports[1] : ports[0];
            await("the last acknowledged write reaches the standby")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> writer.missingOn(url(finalStandby) + "?user=postgres")
                            .isEmpty());
        }
        assertThat(api.status(NAME).epoch()).isEqualTo(epochBefore + 3);
    }

    @Test
    void switchoverIsRefusedWhenTheStandbyIsDownAndFailoverNeedsAConfirmationAndReinstateAFailover() {
        site = TestSite.start();
        api = site.api();
        configurationWithStandby(site.url());
        awaitStreaming();
        assertThatThrownBy(() -> api.moveThePrimaryRole(NAME, "reinstate", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.error().code()).isEqualTo("not_failed_over"));
        assertThatThrownBy(() -> api.moveThePrimaryRole(NAME, "failover", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.error().code()).isEqualTo("confirmation_required"));
        assertThatThrownBy(() -> api.moveThePrimaryRole("nothing-here", "switchover", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.error().code()).isEqualTo("not_found"));
        standbyAgent.kill();
        await("the standby's agent offline").atMost(Duration.ofSeconds(30)).until(() -> api.agents().stream()
                .noneMatch(a -> a.name().equals("psql2") && a.online()));
        long epoch = api.status(NAME).epoch();
        assertThatThrownBy(() -> api.moveThePrimaryRole(NAME, "switchover", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.error().code()).isEqualTo("not_in_sync"));
        assertThat(api.status(NAME).epoch()).as("nothing changed").isEqualTo(epoch);
        assertThat(api.status(NAME).operation()).isNull();
        assertThat(writable(primary.port())).isTrue();
    }

    @Test
    void aControlCenterKilledInTheMiddleOfASwitchoverFinishesItWhenItComesBack() throws Exception {
        site = TestSite.start(); // its own Control Center stays unused: this one runs as a process to kill
        center = new CenterProcess(site, FreePorts.next());
        String centerUrl = center.url();
        api = center.start();
        configurationWithStandby(centerUrl);
        awaitStreaming();
        String id = api.moveThePrimaryRole(NAME, "switchover", false).operationId();
        await("the switchover under way")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> api.operation(id).steps().get(0).state().equals("RUNNING")
                        || !api.operation(id).state().equals("RUNNING"));
        center.kill();
        api = center.start();
        OperationView done = awaitEnd(id);
        if (!done.state().equals("SUCCEEDED")) {
            // It stopped in a named state; a reinstate resolves it.
            assertThat(done.message()).contains("FENCED");
            assertThat(run("reinstate").state()).isEqualTo("SUCCEEDED");
        }
        awaitStreaming();
        ConfigurationStatus status = api.status(NAME);
        int newPrimary = Integer.parseInt(status.primary().database().replaceAll(".*:", ""));
        int other = newPrimary == primary.port() ? standbyPort : primary.port();
        assertThat(writable(newPrimary)).isTrue();
        assertThat(writable(other)).as("exactly one writable primary").isFalse();
    }

    @Test
    void afterAFailoverTheOldPrimaryStaysFencedUntilReinstatedThenStreamsWithTheNewRows() throws Exception {
        site = TestSite.start();
        api = site.api();
        configurationWithStandby(site.url());
        awaitStreaming();
        primary.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
        primary.execute("INSERT INTO orders VALUES (1, 'before the failover')");
        await("the row reaches the standby")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> count(standbyPort, "SELECT count(*) FROM orders") == 1);
        long epoch = api.status(NAME).epoch();

        // The primary's host is lost: its agent and its postgres killed with kill -9.
        primaryAgent.kill();
        primary.kill9();
        await("the primary's agent offline").atMost(Duration.ofSeconds(30)).until(() -> api.agents().stream()
                .noneMatch(a -> a.name().equals("psql1") && a.online()));
        OperationView failover = run("failover");
        assertThat(failover.state()).as(failover.toString()).isEqualTo("SUCCEEDED");
        ConfigurationStatus failedOver = api.status(NAME);
        assertThat(failedOver.failedOver()).isTrue();
        assertThat(failedOver.epoch()).isEqualTo(epoch + 1);
        assertThat(failedOver.primary().database()).isEqualTo("psql2:" + standbyPort);
        assertThat(failedOver.standbys().get(0).state()).isEqualTo(DatabaseState.FENCED);
        assertThat(writable(standbyPort)).isTrue();
        try (Connection c = DriverManager.getConnection(url(standbyPort), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders VALUES (2, 'after the failover')");
        }

        // The old host comes back: its agent starts again and keeps its database stopped.
        primaryAgent = site.startAgentWith(
                "psql1",
                List.of(
                        "--passphrase-file",
                        site.passphraseFile().toString(),
                        "--data-directory",
                        primary.dataDirectory().toString(),
                        "--state-dir",
                        site.ownedDirectory("state-psql1").toString()));
        await("the old primary's agent online").atMost(Duration.ofSeconds(30)).until(() -> api.agents().stream()
                .anyMatch(a -> a.name().equals("psql1") && a.online()));
        await("the fenced database reported DEMOTED")
                .atMost(Duration.ofSeconds(30))
                .until(() -> "DEMOTED".equals(api.status(NAME).standbys().get(0).reportedState()));
        assertThat(writable(primary.port()))
                .as("the fenced old primary accepts no writes")
                .isFalse();
        assertThatThrownBy(() -> api.moveThePrimaryRole(NAME, "switchover", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.error().code()).isEqualTo("not_ready"));

        OperationView reinstate = run("reinstate");
        assertThat(reinstate.state()).as(reinstate.toString()).isEqualTo("SUCCEEDED");
        awaitStreaming();
        ConfigurationStatus reinstated = api.status(NAME);
        assertThat(reinstated.failedOver()).isFalse();
        assertThat(reinstated.standbys().get(0).database()).isEqualTo("psql1:" + primary.port());
        assertThat(writable(primary.port())).isFalse();
        await("the row written after the failover reaches the reinstated standby")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> count(primary.port(), "SELECT count(*) FROM orders WHERE id = 2") == 1);
        // And it can become the primary again.
        assertThat(run("switchover").state()).isEqualTo("SUCCEEDED");
        assertThat(writable(primary.port())).isTrue();
    }

    private static long count(int port, String sql) throws SQLException {
        return TwoHosts.count(port, sql);
    }

    private String centerLogs() {
        return center == null ? "" : center.logs();
    }
}
