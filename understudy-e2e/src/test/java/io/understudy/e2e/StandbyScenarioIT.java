package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.UnderstudyCommand;
import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.database.Lsn;
import io.understudy.core.json.Json;
import io.understudy.dist.AgentProcess;
import io.understudy.engine.StopMode;
import io.understudy.engine.postgresql.PgCtl;
import io.understudy.engine.postgresql.PostgresBinaries;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 3 as a DBA lives it: create a configuration, create the standby, watch it stay in sync.
 * Real PostgreSQL, real agents, a real Control Center; everything through the public API.
 */
class StandbyScenarioIT {
    private static final Duration CREATION = Duration.ofSeconds(180);

    TestSite site;
    PgCluster primary;
    String primaryId;
    final PgCtl pgCtl = new PgCtl(PostgresBinaries.newest(), PgCluster.commandRunner());

    @TempDir
    Path configDir;

    @RegisterExtension
    final DiagnosticsOnFailure diagnostics = new DiagnosticsOnFailure(() -> site.diagnostics());

    /** Each scenario its own site: a primary belongs to one configuration only. */
    @BeforeEach
    void startSite() {
        site = TestSite.start();
        primary = site.newCluster("primary");
        primary.execute("CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)");
        site.startAgent("psql1", primary);
        primaryId = "psql1:" + primary.port();
        site.awaitUp("psql1", primary);
    }

    @AfterEach
    void stopSite() {
        site.close();
    }

    /** A configuration and its standby, created through the API, with the standby streaming. */
    record Standby(String configuration, String agent, Path dataDirectory, int port) {
        String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        }
    }

    private Standby createStreamingStandby(String name, String mode) {
        String agent = "host-" + name;
        site.startAgentWith(
                agent, List.of("--passphrase-file", site.passphraseFile().toString()));
        await("agent " + agent + " online")
                .atMost(Duration.ofSeconds(30))
                .until(() -> site.agent(agent).map(a -> a.online()).orElse(false));
        Standby standby = new Standby(name, agent, site.standbyTarget(name), FreePorts.next());
        site.api()
                .createConfigurationJson(new ConfigurationRequest(
                        name,
                        primaryId,
                        new StandbyTarget(agent, standby.dataDirectory().toString(), standby.port()),
                        "wal-streaming",
                        mode));
        OperationView done = createStandbyAndWait(name, false);
        assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
        return standby;
    }

    private OperationView createStandbyAndWait(String configuration, boolean replaceExisting) {
        String operationId = startStandbyCreation(configuration, replaceExisting);
        await("standby created")
                .atMost(CREATION)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !site.api().operation(operationId).state().equals("RUNNING"));
        return site.api().operation(operationId);
    }

    /** Starts the creation once the standby's agent has inspected the target (409 target_not_inspected before). */
    private String startStandbyCreation(String configuration, boolean replaceExisting) {
        AtomicReference<String> operationId = new AtomicReference<>();
        await("target inspected")
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptionsMatching(
                        e -> e instanceof ApiException a && a.error().code().equals("target_not_inspected"))
                .until(() -> {
                    operationId.set(site.api()
                            .createStandby(configuration, replaceExisting)
                            .operationId());
                    return true;
                });
        return operationId.get();
    }

    private MemberStatus standbyStatus(String configuration) {
        ConfigurationStatus status = site.api().status(configuration);
        assertThat(status.standbys()).hasSize(1);
        return status.standbys().get(0);
    }

    @Test
    void aRowWrittenOnThePrimaryIsReadOnTheHotStandbyWhichRefusesWrites() throws SQLException {
        Standby standby = createStreamingStandby("hot", "hot");

        primary.execute("INSERT INTO orders (item) VALUES ('written on the primary')");

        await("row on the standby")
                .atMost(Duration.ofSeconds(2))
                .until(() ->
                        count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item = 'written on the primary'")
                                == 1);
        try (Connection c = DriverManager.getConnection(standby.jdbcUrl(), "postgres", "");
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO orders (item) VALUES ('written on the standby')"))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
        }
        MemberStatus status = standbyStatus("hot");
        assertThat(status.state()).isEqualTo(DatabaseState.HOT_STANDBY);
        assertThat(status.streaming()).isTrue();
        assertThat(site.api().status("hot").primary().state()).isEqualTo(DatabaseState.ONLINE);
    }

    @Test
    void theCliCreatesAConfigurationAndItsStandbyAndShowsItInSync() throws Exception {
        String agent = "host-cli";
        site.startAgentWith(
                agent, List.of("--passphrase-file", site.passphraseFile().toString()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> site.agent(agent).map(a -> a.online()).orElse(false));
        Path target = site.standbyTarget("cli");
        int port = FreePorts.next();

        Cli create = cli(
                "config",
                "create",
                "orders",
                "--primary",
                primaryId,
                "--standby",
                agent + ":" + target + ":" + port,
                "--method",
                "wal-streaming",
                "--mode",
                "hot");
        assertThat(create.exitCode()).as(create.err()).isZero();
        Cli standby = cli("standby", "create", "orders");
        assertThat(standby.exitCode()).as(standby.err()).isZero();
        assertThat(standby.out()).contains("Standby created: orders");
        assertThat(standby.err()).contains("step 1/3").contains("step 3/3 done");

        Cli status = cli("status", "orders");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out())
                .contains(agent + ":" + port)
                .contains("HOT STANDBY")
                .contains("yes");
        Cli events = cli("events", "orders");
        assertThat(events.out()).contains("OPERATION_SUCCEEDED");
        assertThat(events.out() + status.out() + standby.out() + standby.err())
                .doesNotContain(replicationPassword(target));

        // Creating it again, cancelled on the way, then run again to the end.
        Cli again = cli("standby", "create", "orders", "--yes", "--no-wait");
        assertThat(again.exitCode()).as(again.err()).isZero();
        String operationId = again.out().strip();
        Cli cancel = cli("operation", "cancel", operationId);
        if (cancel.exitCode() == 0) {
            assertThat(site.api().operation(operationId).message()).contains("cancelled by admin");
        } else { // it had already ended: nothing to cancel
            assertThat(cancel.exitCode()).isEqualTo(5);
        }
        Cli retry = cli("standby", "create", "orders", "--yes");
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        primary.execute("INSERT INTO orders (item) VALUES ('after the cancel')");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count(url, "SELECT count(*) FROM orders WHERE item = 'after the cancel'") == 1);
    }

    @Test
    void aWarmStandbyRefusesConnectionsButKeepsReplaying() {
        Standby standby = createStreamingStandby("warm", "warm");
        assertThatThrownBy(() -> count(standby.jdbcUrl(), "SELECT 1")).isInstanceOf(SQLException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> standbyStatus("warm").state() == DatabaseState.WARM_STANDBY);

        primary.execute("INSERT INTO orders (item) SELECT 'warm ' || g FROM generate_series(1, 1000) g");
        Lsn written = Lsn.parse(primary.sql("SELECT pg_current_wal_lsn()"));

        await("replayed past the write").atMost(Duration.ofSeconds(10)).until(() -> {
            String replayed = standbyStatus("warm").replayedLsn();
            return replayed != null && Lsn.parse(replayed).compareTo(written) >= 0;
        });
    }

    @Test
    void aStoppedStandbyShowsDownItsSlotRetainsWalAndItCatchesUpWhenStarted() throws SQLException {
        Standby standby = createStreamingStandby("restart", "hot");

        pgCtl.stop(standby.dataDirectory(), StopMode.FAST, Duration.ofSeconds(30));
        await("standby down")
                .atMost(Duration.ofSeconds(5))
                .until(() -> standbyStatus("restart").state() == DatabaseState.DOWN);
        primary.execute("INSERT INTO orders (item) SELECT 'while down ' || g FROM generate_series(1, 5000) g");
        long written = Lsn.parse(primary.sql("SELECT pg_current_wal_lsn()")).value();
        // Through the API: the slot is idle and keeps the WAL the standby has not received.
        await("slot retains WAL").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            MemberStatus down = standbyStatus("restart");
            assertThat(down.slotActive()).isFalse();
            assertThat(down.slotRetainedBytes()).isNotNull().isPositive();
            assertThat(down.streaming()).isFalse();
            assertThat(down.inSync()).isFalse();
        });
        // ... and PostgreSQL agrees.
        assertThat(Long.parseLong(primary.sql("SELECT pg_wal_lsn_diff('" + new Lsn(written)
                        + "', restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = 'understudy_restart'")))
                .isPositive();

        pgCtl.start(
                standby.dataDirectory(), standby.dataDirectory().resolve("log/restart.log"), Duration.ofSeconds(60));

        await("caught up")
                .atMost(Duration.ofSeconds(20))
                .until(() ->
                        count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item LIKE 'while down %'") == 5000);
        await("in sync again").atMost(Duration.ofSeconds(10)).until(() -> standbyStatus("restart")
                .inSync());
    }

    @Test
    void statusJsonShowsTheLagGrowWhileReplayIsPausedAndShrinkAfterResume() throws Exception {
        Standby standby = createStreamingStandby("lag", "hot");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> statusJson("lag").at("/standbys/0/inSync").asBoolean());

        execute(standby.jdbcUrl(), "SELECT pg_wal_replay_pause()");
        primary.execute("CREATE TABLE lag_load AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 150000) g");

        await("lag grows").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode standbyJson = statusJson("lag").at("/standbys/0");
            assertThat(standbyJson.get("lagBytes").asLong()).isGreaterThan(16L * 1024 * 1024);
            assertThat(standbyJson.get("inSync").asBoolean()).isFalse();
        });

        execute(standby.jdbcUrl(), "SELECT pg_wal_replay_resume()");

        await("back in sync").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode standbyJson = statusJson("lag").at("/standbys/0");
            assertThat(standbyJson.get("inSync").asBoolean()).isTrue();
            assertThat(standbyJson.get("lagBytes").asLong()).isLessThan(1024L * 1024);
        });
        JsonNode json = statusJson("lag");
        assertThat(json.get("name").asText()).isEqualTo("lag");
        assertThat(json.get("method").asText()).isEqualTo("WAL_STREAMING");
        assertThat(json.get("mode").asText()).isEqualTo("HOT");
        assertThat(json.get("epoch").asLong()).isEqualTo(1);
        assertThat(json.at("/primary/database").asText()).isEqualTo(primaryId);
        assertThat(json.at("/standbys/0/agent").asText()).isEqualTo("host-lag");
        assertThat(json.at("/standbys/0/replayLagSeconds").isMissingNode()).isFalse();
    }

    @Test
    void theStandbyAgentKilledDuringTheBaseBackupThenRetriedEndsWithAWorkingStandby() throws SQLException {
        // Its own primary, big enough that the base backup takes a few seconds.
        PgCluster big = site.newCluster("big");
        big.execute("CREATE TABLE bulk AS SELECT g, repeat(md5(g::text), 8) AS pad FROM generate_series(1, 800000) g");
        big.execute("CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)");
        site.startAgent("host-big", big);
        site.awaitUp("host-big", big);
        String agent = "host-killed";
        AgentProcess first = site.startAgentWith(
                agent, List.of("--passphrase-file", site.passphraseFile().toString()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> site.agent(agent).map(a -> a.online()).orElse(false));
        Path target = site.standbyTarget("killed");
        int port = FreePorts.next();
        site.api()
                .createConfigurationJson(new ConfigurationRequest(
                        "killed",
                        "host-big:" + big.port(),
                        new StandbyTarget(agent, target.toString(), port),
                        "WAL_STREAMING",
                        "HOT"));
        String operationId = startStandbyCreation("killed", false);

        await("base backup copying")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    OperationView op = site.api().operation(operationId);
                    return op.progress() != null && op.progress().bytesDone() > 0;
                });
        first.kill();

        site.startAgentWith(
                agent, List.of("--passphrase-file", site.passphraseFile().toString()));
        await("operation ends")
                .atMost(CREATION)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !site.api().operation(operationId).state().equals("RUNNING"));
        OperationView operation = site.api().operation(operationId);
        if (!operation.state().equals("SUCCEEDED")) {
            operation = createStandbyAndWait("killed", false); // the retry a DBA would run: no --yes needed
        }
        assertThat(operation.state()).as(operation.toString()).isEqualTo("SUCCEEDED");

        big.execute("INSERT INTO orders (item) VALUES ('after the retry')");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count(url, "SELECT count(*) FROM orders WHERE item = 'after the retry'") == 1);
        assertThat(count(url, "SELECT count(*) FROM bulk")).isEqualTo(800_000);
    }

    @Test
    void badInputGetsAClearErrorAndChangesNothing() {
        String agent = "host-bad";
        site.startAgentWith(
                agent, List.of("--passphrase-file", site.passphraseFile().toString()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> site.agent(agent).map(a -> a.online()).orElse(false));
        int configurationsBefore = site.api().configurations().size();

        assertInvalid(
                new ConfigurationRequest(
                        "same-dir",
                        primaryId,
                        new StandbyTarget("psql1", primary.dataDirectory().toString(), FreePorts.next()),
                        "WAL_STREAMING",
                        "HOT"),
                "standby.dataDirectory");
        assertInvalid(
                new ConfigurationRequest(
                        "same-port",
                        primaryId,
                        new StandbyTarget("psql1", "/tmp/elsewhere", primary.port()),
                        "WAL_STREAMING",
                        "HOT"),
                "standby.port");
        assertInvalid(
                new ConfigurationRequest(
                        "bad-mode",
                        primaryId,
                        new StandbyTarget(agent, "/tmp/x", FreePorts.next()),
                        "WAL_STREAMING",
                        "LUKEWARM"),
                "mode");
        assertInvalid(
                new ConfigurationRequest(
                        "bad-method",
                        primaryId,
                        new StandbyTarget(agent, "/tmp/x", FreePorts.next()),
                        "CARRIER_PIGEON",
                        "HOT"),
                "method");
        assertInvalid(
                new ConfigurationRequest(
                        "no-primary",
                        "psql1:1",
                        new StandbyTarget(agent, "/tmp/x", FreePorts.next()),
                        "WAL_STREAMING",
                        "HOT"),
                "primary");
        assertThat(site.api().configurations()).hasSize(configurationsBefore);

        // A target that holds a cluster is replaced only when the user confirms it.
        PgCluster occupant = site.newCluster("occupant");
        site.api()
                .createConfigurationJson(new ConfigurationRequest(
                        "occupied",
                        primaryId,
                        new StandbyTarget(agent, occupant.dataDirectory().toString(), FreePorts.next()),
                        "WAL_STREAMING",
                        "HOT"));
        await("target inspected")
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .untilAsserted(() -> assertThatThrownBy(() -> site.api().createStandby("occupied", false))
                        .isInstanceOfSatisfying(
                                ApiException.class,
                                e -> assertThat(e.error().code()).isEqualTo("confirmation_required")));
        assertThat(occupant.isRunning()).isTrue();
        assertThat(Files.exists(occupant.dataDirectory().resolve("PG_VERSION"))).isTrue();

        assertThatThrownBy(() -> site.api()
                        .createConfigurationJson(new ConfigurationRequest(
                                "occupied",
                                primaryId,
                                new StandbyTarget(agent, "/tmp/y", FreePorts.next()),
                                "WAL_STREAMING",
                                "HOT")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    private void assertInvalid(ConfigurationRequest request, String field) {
        assertThatThrownBy(() -> site.api().createConfigurationJson(request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().details()).containsEntry("field", field);
                });
    }

    record Cli(int exitCode, String out, String err) {}

    /** Runs {@code understudy ARGS} in this JVM against the site, logged in through the environment. */
    private Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = UnderstudyCommand.commandLine(
                Map.of(
                        "UNDERSTUDY_URL",
                        site.url(),
                        "UNDERSTUDY_USER",
                        "admin",
                        "UNDERSTUDY_PASSWORD",
                        TestSite.ADMIN_PASSWORD),
                configDir);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    private JsonNode statusJson(String configuration) throws Exception {
        Cli status = cli("status", configuration, "--json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        return Json.mapper().readTree(status.out());
    }

    /** The generated replication password, read where the standby keeps it: it must show nowhere else. */
    private static String replicationPassword(Path standbyDataDirectory) throws Exception {
        String conninfo = Files.readAllLines(standbyDataDirectory.resolve("postgresql.auto.conf")).stream()
                .filter(line -> line.startsWith("primary_conninfo"))
                .reduce((first, last) -> last)
                .orElseThrow();
        Matcher password = Pattern.compile("password='*([^' ]+)").matcher(conninfo);
        assertThat(password.find()).as("primary_conninfo holds a password").isTrue();
        return password.group(1);
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
