package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.EventView;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.testkit.NetworkLab;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5's partitions, each host in a network namespace of its own ({@link LabSite}), with the
 * observer on and its default settings: the primary's host isolated from everything fences itself
 * and the standby is promoted after its lease, never with two databases accepting writes; a
 * primary cut off from the Control Center only, still reaching its standby, keeps serving.
 */
class PartitionIT {
    private static final String NAME = "sales";

    private LabSite site;

    @RegisterExtension
    final DiagnosticsOnFailure diagnostics = new DiagnosticsOnFailure(() -> site == null ? "" : site.diagnostics());

    @BeforeEach
    void startSiteWithTheObserverOn() {
        NetworkLab.assumeAvailable();
        site = LabSite.start(NAME);
        site.awaitInSync();
        site.api.setObserverJson(
                NAME,
                new ObserverSettings(
                        true,
                        ObserverAction.FAILOVER,
                        ObserverSettings.DEFAULT_INTERVAL_MILLIS,
                        ObserverSettings.DEFAULT_CHECKS,
                        ObserverSettings.DEFAULT_MAX_LAG_BYTES,
                        false));
        await("the primary holds its lease")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> site.api.status(NAME).primaryLeaseExpiresAt() != null);
    }

    @AfterEach
    void stopSite() {
        if (site != null) {
            site.close();
        }
    }

    /** Whether the database behind {@code localPort} accepts a write now. */
    private static boolean writable(int localPort) {
        String url = "jdbc:postgresql://127.0.0.1:" + localPort + "/postgres?connectTimeout=1&socketTimeout=2";
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
            return r.next() && !r.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private List<EventView> events(String kind) {
        return site.api.events(NAME, 300).stream()
                .filter(e -> e.kind().equals(kind))
                .toList();
    }

    @Test
    void anIsolatedPrimaryFencesItselfAndTheStandbyIsPromotedAfterItsLeaseNeverTwoWritable() throws Exception {
        long epoch = site.api.status(NAME).epoch();
        int primaryPort = site.primary.localPort();
        int standbyPort = site.standby.port();
        AtomicInteger samples = new AtomicInteger();
        AtomicReference<String> bothWritable = new AtomicReference<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(
                () -> {
                    boolean old = writable(primaryPort);
                    boolean promoted = writable(standbyPort);
                    samples.incrementAndGet();
                    if (old && promoted) {
                        bothWritable.compareAndSet(null, "sample " + samples.get() + " at " + java.time.Instant.now());
                    }
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        try {
            site.h1.isolate();
            await("the standby promoted")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        ConfigurationStatus s = site.api.status(NAME);
                        return s.failedOver() && s.primary().database().startsWith("psql2:") && s.operation() == null;
                    });
            int before = samples.get();
            await("more samples after the promotion")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> samples.get() > before + 20);
            assertThat(writable(standbyPort)).isTrue();
            assertThat(writable(primaryPort))
                    .as("the isolated old primary fenced itself")
                    .isFalse();
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(bothWritable.get())
                .as("a sample where both databases accepted writes")
                .isNull();
        assertThat(site.api.status(NAME).epoch()).isEqualTo(epoch + 1);

        site.h1.reconnect();
        await("the old primary's agent says it fenced its database")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !events("DATABASE_SELF_FENCED").isEmpty());
        await("the old primary reported FENCED and stopped")
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        "DEMOTED".equals(site.api.status(NAME).standbys().get(0).reportedState()));
        assertThat(writable(primaryPort)).isFalse();
    }

    @Test
    void aPrimaryCutOffFromTheControlCenterOnlyKeepsServingAndIsNotFailedOver() throws Exception {
        long epoch = site.api.status(NAME).epoch();
        int primaryPort = site.primary.localPort();
        site.lab.cut(site.h1, site.cc);
        try {
            site.awaitOnline("psql1", false);
            await("the observer declines to fail over, and says why")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !events("FAILOVER_DECLINED").isEmpty());
            assertThat(events("FAILOVER_DECLINED").get(0).message()).contains("standby's agent");
            await("the primary keeps serving, nothing is promoted")
                    .during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> writable(primaryPort)
                            && !writable(site.standby.port())
                            && site.api.status(NAME).epoch() == epoch);
        } finally {
            site.lab.heal(site.h1, site.cc);
        }
        site.awaitOnline("psql1", true);
        ConfigurationStatus status = site.api.status(NAME);
        assertThat(status.epoch()).isEqualTo(epoch);
        assertThat(status.failedOver()).isFalse();
        assertThat(events("AUTOMATIC_FAILOVER")).isEmpty();
        assertThat(events("DATABASE_SELF_FENCED")).isEmpty();
    }
}
