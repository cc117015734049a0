package io.understudy.e2e;

import static io.understudy.e2e.TwoHosts.url;
import static io.understudy.e2e.TwoHosts.writable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.EventView;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.dist.AgentProcess;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5 as a DBA lives it, with the observer on and its default settings (a check every 500 ms,
 * 3 checks): the primary's host lost, only its postgres crashed, the Control Center down, one slow
 * check, a standby that lags too much, a frozen primary. Real PostgreSQL, real agent processes,
 * everything through the public API. The partitions (network namespaces) are in {@code
 * PartitionIT}.
 */
class AutomaticFailoverIT {
    private static final String NAME = "sales";
    private static final Duration FAILOVER = Duration.ofSeconds(30);
    /** How long the Control Center stays down; the minute with -Dautofailover.centerDown=PT60S. */
    private static final Duration CENTER_DOWN = Duration.parse(System.getProperty("autofailover.centerDown", "PT20S"));

    TestSite site;
    ApiClient api;
    TwoHosts hosts;
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

    private void siteWithObserver(ObserverSettings observer) {
        site = TestSite.start();
        api = site.api();
        hosts = TwoHosts.create(site, api, site.url(), NAME);
        awaitInSync();
        api.setObserverJson(NAME, observer);
        awaitLease();
    }

    /** Waits until the primary holds its lease: from then on automatic failover is armed. */
    private void awaitLease() {
        await("the primary holds its lease")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.status(NAME).primaryLeaseExpiresAt() != null);
    }

    private static ObserverSettings automaticFailover() {
        return new ObserverSettings(
                true,
                ObserverAction.FAILOVER,
                ObserverSettings.DEFAULT_INTERVAL_MILLIS,
                ObserverSettings.DEFAULT_CHECKS,
                ObserverSettings.DEFAULT_MAX_LAG_BYTES,
                false);
    }

    private void awaitInSync() {
        await("the standby streams and is in sync")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.status(NAME).standbys().get(0).inSync());
    }

    private ConfigurationStatus awaitFailedOverTo(int port) {
        await("failed over to the standby on port " + port)
                .atMost(FAILOVER)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    ConfigurationStatus s = api.status(NAME);
                    return s.failedOver() && s.primary().database().endsWith(":" + port) && s.operation() == null;
                });
        return api.status(NAME);
    }

    private List<EventView> events(String kind) {
        return api.events(NAME, 200).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** Stops or resumes (SIGSTOP, SIGCONT) the processes {@code pids}, which this test started. */
    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        assertThat(exit).as(String.join(" ", command)).isZero();
    }

    /**
     * Resumes the postgres processes {@code pids} that still exist: the woken agent may have fenced
     * (killed) some already, so one that is gone is no error.
     */
    private static void resume(List<Long> pids) throws IOException, InterruptedException {
        for (long pid : pids) {
            if (ProcessHandle.of(pid).isPresent()) {
                new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
            }
        }
    }

    /** The postmaster of {@code cluster} and every process of it. */
    private static List<Long> postgresProcesses(PgCluster cluster) throws IOException {
        long postmaster =
                Long.parseLong(Files.readAllLines(cluster.dataDirectory().resolve("postmaster.pid"))
                        .get(0)
                        .strip());
        ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
        return Stream.concat(Stream.of(handle), handle.descendants())
                .map(ProcessHandle::pid)
                .toList();
    }

    @Test
    void aLostPrimaryHostIsFailedOverByTheObserverAndReinstatedWhenItComesBack() throws Exception {
        siteWithObserver(automaticFailover());
        PgCluster primary = hosts.primary();
        int standbyPort = hosts.standbyPort();
        long epoch = api.status(NAME).epoch();
        try (SteadyWriter writer = new SteadyWriter(primary.port(), standbyPort).start(url(primary.port()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.acknowledgedCount() > 50);
            long confirmed = writer.lastAcknowledged();
            await("write " + confirmed + " replayed on the standby")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() ->
                            TwoHosts.count(standbyPort, "SELECT count(*) FROM ticks WHERE id = " + confirmed) == 1);

            // The primary's host is lost: its agent and every postgres process of it, with kill -9.
            hosts.primaryAgent().kill();
            primary.kill9();
            int acknowledgedAtLoss = writer.acknowledgedCount();

            ConfigurationStatus failedOver = awaitFailedOverTo(standbyPort);
            assertThat(failedOver.epoch()).isEqualTo(epoch + 1);
            assertThat(failedOver.standbys().get(0).state().name()).isEqualTo("FENCED");
            await("writes go on at the new primary")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> writer.acknowledgedCount() > acknowledgedAtLoss + 20);
            writer.close();
            assertThat(writer.missingOn(url(standbyPort) + "?user=postgres"))
                    .as("acknowledged writes lost: only those that had not reached the standby may be")
                    .allMatch(id -> id > confirmed);
        }
        assertThat(events("PRIMARY_FAILED")).isNotEmpty();
        assertThat(events("AUTOMATIC_FAILOVER")).singleElement().satisfies(e -> assertThat(e.message())
                .contains("automatic failover"));

        // The old host comes back: its database stays fenced until the observer may reinstate it.
        AgentProcess back = site.startAgentWith(
                "psql1",
                List.of(
                        "--passphrase-file",
                        site.passphraseFile().toString(),
                        "--data-directory",
                        primary.dataDirectory().toString(),
                        "--state-dir",
                        site.ownedDirectory("state-psql1").toString()));
        await("the fenced database reported DEMOTED")
                .atMost(Duration.ofSeconds(30))
                .until(() -> "DEMOTED".equals(api.status(NAME).standbys().get(0).reportedState()));
        assertThat(writable(primary.port())).as("the fenced old primary").isFalse();
        assertThat(back.isAlive()).isTrue();

        ObserverSettings reinstating = automaticFailover();
        api.setObserverJson(
                NAME,
                new ObserverSettings(
                        true,
                        reinstating.action(),
                        reinstating.intervalMillis(),
                        reinstating.checks(),
                        reinstating.maxLagBytes(),
                        true));
        await("reinstated by the observer")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    ConfigurationStatus s = api.status(NAME);
                    return !s.failedOver()
                            && s.operation() == null
                            && s.standbys().get(0).streaming();
                });
        assertThat(api.status(NAME).standbys().get(0).database()).isEqualTo("psql1:" + primary.port());
        assertThat(writable(primary.port())).isFalse();
        assertThat(writable(standbyPort)).isTrue();
    }

    @Test
    void aPrimaryWhosePostgresAloneDiedIsRestartedInPlaceNotFailedOver() throws Exception {
        // Crash recovery on a busy two-core machine may take longer than the default three checks.
        ObserverSettings d = automaticFailover();
        siteWithObserver(new ObserverSettings(true, d.action(), d.intervalMillis(), 6, d.maxLagBytes(), false));
        PgCluster primary = hosts.primary();
        long epoch = api.status(NAME).epoch();
        List<Long> postgres = postgresProcesses(primary);
        signal("KILL", postgres);
        await("postgres gone").atMost(Duration.ofSeconds(10)).until(() -> postgres.stream()
                .noneMatch(
                        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        await("the primary restarted in place by its agent")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> writable(primary.port()));
        await("the standby streams again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> api.status(NAME).standbys().get(0).streaming());
        ConfigurationStatus status = api.status(NAME);
        assertThat(status.epoch()).isEqualTo(epoch);
        assertThat(status.failedOver()).isFalse();
        assertThat(status.primary().database()).isEqualTo("psql1:" + primary.port());
        assertThat(events("AUTOMATIC_FAILOVER")).isEmpty();
    }

    @Test
    void aSwitchoverWithTheObserverOnLeavesTheOldPrimaryStreamingAsTheNewStandby() throws Exception {
        siteWithObserver(automaticFailover());
        long epoch = api.status(NAME).epoch();
        String id = api.moveThePrimaryRole(NAME, "switchover", false).operationId();
        assertThat(Operations.awaitEnd(api, id, Duration.ofSeconds(120)).state())
                .isEqualTo("SUCCEEDED");
        awaitLease();
        // Its lease, no longer renewed since the switchover, has run out: it must not be fenced for it.
        await("the old primary streams as the new standby, and stays up")
                .during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.status(NAME).standbys().get(0).streaming());
        ConfigurationStatus status = api.status(NAME);
        assertThat(status.epoch()).isEqualTo(epoch + 1);
        assertThat(status.primary().database()).isEqualTo("psql2:" + hosts.standbyPort());
        assertThat(writable(hosts.standbyPort())).isTrue();
        assertThat(events("DATABASE_SELF_FENCED")).isEmpty();
        assertThat(events("AUTOMATIC_FAILOVER")).isEmpty();
    }

    @Test
    void oneSlowCheckIsNoFailover() throws Exception {
        siteWithObserver(automaticFailover());
        long epoch = api.status(NAME).epoch();
        List<Long> agent = List.of(hosts.primaryAgent().pid());
        signal("STOP", agent);
        long pausedAt = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        signal("CONT", agent);
        assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).isLessThan(Duration.ofMillis(1500));
        await("nothing changes")
                .during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(7))
                .until(() -> {
                    ConfigurationStatus s = api.status(NAME);
                    return s.epoch() == epoch && !s.failedOver() && s.operation() == null;
                });
        assertThat(writable(hosts.primary().port())).isTrue();
        assertThat(events("PRIMARY_FAILED")).isEmpty();
        assertThat(events("DATABASE_SELF_FENCED")).isEmpty();
    }

    @Test
    void aStandbyLaggingBeyondTheLimitIsNotPromotedAndAnEventSaysWhy() throws Exception {
        ObserverSettings d = automaticFailover();
        siteWithObserver(new ObserverSettings(true, d.action(), d.intervalMillis(), d.checks(), 1024 * 1024, false));
        PgCluster primary = hosts.primary();
        long epoch = api.status(NAME).epoch();
        // The standby replays nothing more from now on.
        try (var c = java.sql.DriverManager.getConnection(url(hosts.standbyPort()), "postgres", "");
                var s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_pause()");
        }
        primary.execute("CREATE TABLE filler AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 20000) g");
        await("the standby lags more than 1 MiB")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Long lag = api.status(NAME).standbys().get(0).lagBytes();
                    return lag != null && lag > 1024 * 1024;
                });
        hosts.primaryAgent().kill();
        primary.kill9();
        await("the observer declines to fail over")
                .atMost(FAILOVER)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !events("FAILOVER_DECLINED").isEmpty());
        assertThat(events("FAILOVER_DECLINED").get(0).message()).contains("lags");
        ConfigurationStatus status = api.status(NAME);
        assertThat(status.epoch()).isEqualTo(epoch);
        assertThat(status.failedOver()).isFalse();
        assertThat(status.operation()).isNull();
        assertThat(events("AUTOMATIC_FAILOVER")).isEmpty();
    }

    @Test
    void aFrozenPrimaryIsFailedOverAndAcceptsNoWriteWhenItWakes() throws Exception {
        siteWithObserver(automaticFailover());
        PgCluster primary = hosts.primary();
        List<Long> postgres = postgresProcesses(primary);
        List<Long> agent = List.of(hosts.primaryAgent().pid());
        signal("STOP", agent);
        signal("STOP", postgres);
        try {
            awaitFailedOverTo(hosts.standbyPort());
        } finally {
            signal("CONT", agent);
            resume(postgres);
        }
        await("the woken old primary accepts no write")
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !writable(primary.port()));
        assertThat(writable(hosts.standbyPort())).isTrue();
    }

    @Test
    void aControlCenterDownFailsNothingOverAndWritesGoOn() throws Exception {
        site = TestSite.start(); // its own Control Center stays unused: this one runs as a process to kill
        center = new CenterProcess(site, FreePorts.next());
        String centerUrl = center.url();
        api = center.start();
        hosts = TwoHosts.create(site, api, centerUrl, NAME);
        awaitInSync();
        api.setObserverJson(NAME, automaticFailover());
        awaitLease();
        PgCluster primary = hosts.primary();
        long epoch = api.status(NAME).epoch();
        try (SteadyWriter writer = new SteadyWriter(primary.port(), hosts.standbyPort()).start(url(primary.port()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.acknowledgedCount() > 50);
            center.kill();
            long downAt = System.nanoTime();
            int before = writer.acknowledgedCount();
            await("the Control Center stays down for " + CENTER_DOWN.toSeconds() + " s; the primary keeps serving")
                    .during(CENTER_DOWN)
                    .atMost(CENTER_DOWN.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> writable(primary.port()) && !writable(hosts.standbyPort()));
            assertThat(writer.acknowledgedCount())
                    .as("writes acknowledged while the Control Center was down")
                    .isGreaterThan(before + (int) (CENTER_DOWN.toMillis() / 10 / 2));
            api = center.start();
            await("both agents report again")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> api.agents().stream().filter(a -> a.online()).count() == 2);
            await("nothing changes once it is back")
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> {
                        ConfigurationStatus s = api.status(NAME);
                        return s.epoch() == epoch && !s.failedOver() && s.operation() == null;
                    });
            writer.close();
            assertThat(writer.missingOn(url(primary.port()) + "?user=postgres")).isEmpty();
            assertThat(writer.longestGap(downAt, System.nanoTime())).isLessThan(CENTER_DOWN);
        }
        assertThat(events("AUTOMATIC_FAILOVER")).isEmpty();
        assertThat(events("DATABASE_SELF_FENCED")).isEmpty();
    }

    private String centerLogs() {
        return center == null ? "" : center.logs();
    }
}
