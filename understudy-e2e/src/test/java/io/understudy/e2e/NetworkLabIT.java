package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.core.api.AgentView;
import io.understudy.dist.AgentProcess;
import io.understudy.testkit.LabHost;
import io.understudy.testkit.NetworkLab;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The network lab with a whole site on it ({@link LabSite}): it isolates h1, and cuts h1 from the
 * Control Center alone, and checks what the Control Center and the databases see. The observer is
 * off here: the partitions with automatic failover are in {@link PartitionIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkLabIT {
    private static final Duration AGENT_STATE = Duration.ofSeconds(30);

    private LabSite site;

    @RegisterExtension
    final DiagnosticsOnFailure diagnostics = new DiagnosticsOnFailure(() -> site == null ? "" : site.diagnostics());

    @BeforeAll
    void startSiteInTheLab() {
        NetworkLab.assumeAvailable();
        site = LabSite.start("sales");
        site.primary.execute("CREATE TABLE probe (id int PRIMARY KEY, note text)");
    }

    @AfterAll
    void stopEverything() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void eachAgentRunsOnItsHostsAddressAndThePidHeldIsItsOwn() {
        for (AgentProcess process : site.processes) {
            if (process.name().startsWith("psql")) {
                AgentView agent = site.api.agents().stream()
                        .filter(a -> a.name().equals(process.name()))
                        .findFirst()
                        .orElseThrow();
                LabHost host = process.name().equals("psql1") ? site.h1 : site.h2;
                assertThat(agent.address()).startsWith(host.address() + ":");
                assertThat(agent.pid())
                        .as("ip netns exec and setpriv execute in place")
                        .isEqualTo(process.pid());
            }
        }
    }

    @Test
    void anIsolatedHostGoesOfflineAndItsStandbyStopsStreamingUntilItIsReconnected() throws Exception {
        site.awaitInSync();
        site.primary.execute("INSERT INTO probe VALUES (1, 'before the isolation')");
        site.awaitRowOnStandby(1);
        assertThat(site.portOfThePrimaryFoundByAMultiHostUrl())
                .as("a targetServerType=primary URL through the relays finds the primary")
                .isEqualTo(site.primary.port());

        site.h1.isolate();
        try {
            site.awaitOnline("psql1", false);
            assertThat(site.isOnline("psql2")).isTrue();
            await("the Control Center says the standby does not stream")
                    .atMost(AGENT_STATE)
                    .until(() -> !site.standbyStatus().streaming());
            await("the standby's WAL receiver stops streaming")
                    .atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> LabSite.count(
                                    site.standby.port(),
                                    "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")
                            == 0);
            // The primary runs on, cut off: the test still reaches it through its Unix socket.
            site.primary.execute("INSERT INTO probe VALUES (2, 'during the isolation')");
            assertThat(LabSite.count(site.standby.port(), "SELECT count(*) FROM probe WHERE id = 2"))
                    .isZero();
        } finally {
            site.h1.reconnect();
        }

        site.awaitOnline("psql1", true);
        site.awaitInSync();
        site.awaitRowOnStandby(2);
    }

    @Test
    void aHostCutFromTheControlCenterOnlyGoesOfflineThereWhileItsStandbyStillStreamsFromIt() throws Exception {
        site.awaitInSync();
        site.lab.cut(site.h1, site.cc);
        try {
            site.awaitOnline("psql1", false);
            assertThat(site.isOnline("psql2")).isTrue();
            site.primary.execute("INSERT INTO probe VALUES (3, 'during the cut')");
            site.awaitRowOnStandby(3);
            assertThat(LabSite.count(
                            site.standby.port(),
                            "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'"))
                    .as("h1 ↔ h2 replication streams through the cut")
                    .isEqualTo(1);
            assertThat(site.isOnline("psql1")).as("psql1 still offline").isFalse();
        } finally {
            site.lab.heal(site.h1, site.cc);
        }

        site.awaitOnline("psql1", true);
        site.awaitInSync();
    }
}
