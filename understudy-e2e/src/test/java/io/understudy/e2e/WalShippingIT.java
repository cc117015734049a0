package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ConfigurationChange;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.EventView;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.WalShippingStatus;
import io.understudy.dist.AgentProcess;
import io.understudy.engine.process.CommandResult;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6 as a DBA lives it: a standby fed by WAL files the agents ship, the pg_standby way. Real
 * PostgreSQL, real agents, a real Control Center; everything through the public API and the agents'
 * own file-transfer channel.
 */
class WalShippingIT {
    private static final Duration CREATION = Duration.ofSeconds(180);
    /**
     * How long the standby's agent stays down in the outage scenario. The issue says a minute;
     * nothing in the behaviour depends on the length (PostgreSQL retries the archive command as long
     * as it fails), so the default is shorter; {@code -Dwalshipping.outage=PT60S} runs the minute.
     */
    private static final Duration OUTAGE = Duration.parse(System.getProperty("walshipping.outage", "PT20S"));

    TestSite site;
    PgCluster primary;
    String primaryId;
    final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final DiagnosticsOnFailure diagnostics = new DiagnosticsOnFailure(() -> site.diagnostics());

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

    record Standby(String configuration, String agent, Path dataDirectory, int port) {
        String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        }

        /** The standby's WAL archive, beside its data directory. */
        Path archive() {
            return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".wal-shipping");
        }
    }

    private Standby configure(String name, String mode, @Nullable Integer archiveTimeout) {
        String agent = "host-" + name;
        startStandbyAgent(agent);
        Standby standby = new Standby(name, agent, site.standbyTarget(name), FreePorts.next());
        site.api()
                .createConfigurationJson(new ConfigurationRequest(
                        name,
                        primaryId,
                        new StandbyTarget(agent, standby.dataDirectory().toString(), standby.port()),
                        "wal-shipping",
                        mode,
                        archiveTimeout));
        return standby;
    }

    private AgentProcess startStandbyAgent(String agent) {
        AgentProcess process = site.startAgentWith(
                agent, List.of("--passphrase-file", site.passphraseFile().toString()));
        await("agent " + agent + " online")
                .atMost(Duration.ofSeconds(90))
                .until(() -> site.agent(agent).map(a -> a.online()).orElse(false));
        return process;
    }

    private Standby createShippingStandby(String name, String mode) {
        Standby standby = configure(name, mode, null);
        OperationView done = createStandbyAndWait(name, false);
        assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.steps().get(2).name()).isEqualTo("verify WAL shipping");
        return standby;
    }

    private OperationView createStandbyAndWait(String configuration, boolean replaceExisting) {
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
        await("standby created")
                .atMost(CREATION)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !site.api().operation(operationId.get()).state().equals("RUNNING"));
        return site.api().operation(operationId.get());
    }

    private MemberStatus standbyStatus(String configuration) {
        return site.api().status(configuration).standbys().get(0);
    }

    private WalShippingStatus shipping(String configuration) {
        WalShippingStatus shipping = standbyStatus(configuration).shipping();
        assertThat(shipping).as("the status of a WAL-shipping standby").isNotNull();
        return shipping;
    }

    @Test
    void aHotShippingStandbySeesThePrimarysRowsAfterTheSegmentSwitchAndTheArchiveTimeoutCanBeChanged()
            throws Exception {
        Standby standby = createShippingStandby("hot", "hot");
        assertThat(ApiClient.read(site.api().configurationJson("hot"), ConfigurationView.class)
                        .archiveTimeoutSeconds())
                .isEqualTo(60);
        assertThat(primary.sql("SHOW archive_mode")).isEqualTo("on");
        assertThat(primary.sql("SHOW archive_timeout")).isEqualTo("1min");
        assertThat(Files.readString(standby.dataDirectory().resolve("postgresql.auto.conf")))
                .contains("restore_command")
                .doesNotContain("password=");

        primary.execute("INSERT INTO orders (item) VALUES ('shipped')");
        String segment = primary.sql("SELECT pg_walfile_name(pg_current_wal_lsn())");
        String written = primary.sql("SELECT pg_current_wal_lsn()");
        primary.sql("SELECT pg_switch_wal()");

        await("row on the standby").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item = 'shipped'"))
                .as(
                        "written at %s in %s; the standby replayed %s",
                        written, segment, text(standby.jdbcUrl(), "SELECT pg_last_wal_replay_lsn()::text"))
                .isEqualTo(1));
        assertThat(Files.exists(standby.archive().resolve("archive").resolve(segment)))
                .isTrue();
        await("status in WAL-shipping terms").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MemberStatus status = standbyStatus("hot");
            assertThat(status.state()).isEqualTo(DatabaseState.HOT_STANDBY);
            assertThat(status.streaming()).isFalse();
            WalShippingStatus shipping = status.shipping();
            assertThat(shipping).isNotNull();
            assertThat(shipping.lastShippedWal()).isGreaterThanOrEqualTo(segment);
            assertThat(shipping.lastReceivedWal()).isGreaterThanOrEqualTo(segment);
            assertThat(shipping.lastAppliedWal()).isGreaterThanOrEqualTo(segment);
            assertThat(shipping.stopped()).isFalse();
            assertThat(status.inSync()).isTrue();
        });

        // A tighter bound on staleness: the primary's agent applies it with a reload.
        site.api().changeConfigurationJson("hot", new ConfigurationChange(1));
        await("archive_timeout applied").atMost(Duration.ofSeconds(15)).until(() -> "1s"
                .equals(primary.sql("SHOW archive_timeout")));
        primary.execute("INSERT INTO orders (item) VALUES ('shipped by the timeout')");
        await("row shipped without a switch")
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item = 'shipped by the timeout'")
                                == 1);
        assertThat(site.api().events("hot", 100).stream().map(EventView::kind)).contains("CONFIGURATION_CHANGED");
        assertThatThrownBy(() -> site.api().changeConfigurationJson("hot", new ConfigurationChange(0)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aWarmShippingStandbyKeepsReplayingAfterTheUserConfirmsReplacingHandSetArchiving() {
        primary.execute("ALTER SYSTEM SET archive_mode = on");
        primary.execute("ALTER SYSTEM SET archive_command = '/bin/true'");
        primary.stopFast();
        primary.start();
        Standby standby = configure("warm", "warm", 5);

        await("the hand-set archiving is seen and must be confirmed")
                .atMost(Duration.ofSeconds(15))
                .ignoreExceptionsMatching(
                        e -> e instanceof ApiException a && a.error().code().equals("target_not_inspected"))
                .untilAsserted(() -> assertThatThrownBy(() -> site.api().createStandby("warm", false))
                        .isInstanceOfSatisfying(ApiException.class, e -> {
                            assertThat(e.error().code()).isEqualTo("confirmation_required");
                            assertThat(e.getMessage())
                                    .contains("archives WAL already")
                                    .contains("archive_timeout 0 s → 5 s")
                                    .doesNotContain("/bin/true");
                        }));
        assertThat(primary.sql("SHOW archive_command")).isEqualTo("/bin/true");

        OperationView done = createStandbyAndWait("warm", true);
        assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThatThrownBy(() -> count(standby.jdbcUrl(), "SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(standbyStatus("warm").state()).isEqualTo(DatabaseState.WARM_STANDBY);

        for (int round = 0; round < 3; round++) {
            primary.execute("INSERT INTO orders (item) SELECT 'warm ' || g FROM generate_series(1, 1000) g");
            String segment = primary.sql("SELECT pg_walfile_name(pg_current_wal_lsn())");
            primary.sql("SELECT pg_switch_wal()");
            await("segment " + segment + " applied")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        String applied = shipping("warm").lastAppliedWal();
                        return applied != null && applied.compareTo(segment) >= 0;
                    });
        }
    }

    @Test
    void historyFilesNeverWaitSegmentsDoAndOldSegmentsAreCleanedUpOnlyBeforeTheRestartPoint() throws IOException {
        Standby standby = createShippingStandby("waits", "hot");
        Path script = standby.archive().resolve("restore-wal");
        Path scratch = site.ownedDirectory("scratch");

        long started = System.nanoTime();
        CommandResult history = PgCluster.commandRunner()
                .run(
                        List.of(
                                script.toString(),
                                "0000000F.history",
                                scratch.resolve("h").toString()),
                        Duration.ofSeconds(10));
        assertThat(history.exitCode()).as("a missing history file is not found").isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        assertThatThrownBy(() -> PgCluster.commandRunner()
                        .run(
                                List.of(
                                        script.toString(),
                                        "0000000100000000000000FF",
                                        scratch.resolve("s").toString()),
                                Duration.ofSeconds(2)))
                .as("a missing segment is waited for")
                .hasMessageContaining("did not finish within");

        // Cleanup keeps every segment from the restart point on.
        Path archive = standby.archive().resolve("archive");
        for (int round = 0; round < 3; round++) {
            primary.execute("INSERT INTO orders (item) VALUES ('round " + round + "')");
            primary.sql("SELECT pg_switch_wal()");
        }
        String last = primary.sql("SELECT pg_walfile_name(pg_current_wal_lsn())");
        await("received")
                .atMost(Duration.ofSeconds(30))
                .until(() -> segments(archive).size() >= 3);
        List<String> before = segments(archive);
        String keep = before.get(before.size() - 2);
        CommandResult cleanup =
                PgCluster.commandRunner().run(List.of(script.toString(), "--cleanup", keep), Duration.ofSeconds(10));
        assertThat(cleanup.exitCode()).isZero();
        assertThat(segments(archive)).allMatch(s -> s.compareTo(keep) >= 0).contains(keep);
        assertThat(last).isNotNull();
    }

    @Test
    void aStandbyAgentDownForAWhileThenBackCatchesUpWithNoGap() {
        Standby standby = createShippingStandby("outage", "hot");
        AgentProcess agent = site.startedAgent(standby.agent());
        agent.kill();
        agent.waitForExit(Duration.ofSeconds(30));

        // Writes go on during the outage, paced by PostgreSQL's own failed attempts to ship.
        long deadline = System.nanoTime() + OUTAGE.toNanos();
        int written = 0;
        do {
            long failures = failedArchiving();
            primary.execute("INSERT INTO orders (item) SELECT 'outage' FROM generate_series(1, 100)");
            written += 100;
            primary.sql("SELECT pg_switch_wal()");
            await("an attempt to ship failed").atMost(Duration.ofSeconds(90)).until(() -> failedArchiving() > failures);
        } while (System.nanoTime() - deadline < 0);
        await("shipping stopped, and said so").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        site.api().events("outage", 200))
                .anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo("WAL_SHIPPING_STOPPED");
                    assertThat(e.message()).contains("nothing is lost");
                }));
        assertThat(Long.parseLong(
                        primary.sql("SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'")))
                .as("PostgreSQL keeps what it could not ship")
                .isPositive();

        startStandbyAgent(standby.agent());
        int total = written;
        await("caught up with no gap")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    primary.sql("SELECT pg_switch_wal()"); // wakes the archiver, as new WAL would
                    return count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item = 'outage'") == total;
                });
        await("shipping resumed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(shipping("outage").stopped()).isFalse();
            assertThat(site.api().events("outage", 200).stream().map(EventView::kind))
                    .contains("WAL_SHIPPING_RESUMED");
        });
    }

    @Test
    void duplicatesAreSuccessDamagedOrForeignFilesAreRefusedAndOtherContentIsAnError() throws Exception {
        Standby standby = createShippingStandby("transfer", "hot");
        primary.execute("INSERT INTO orders (item) VALUES ('one')");
        primary.sql("SELECT pg_switch_wal()");
        Path archive = standby.archive().resolve("archive");
        await("received").atMost(Duration.ofSeconds(30)).until(() -> !segments(archive)
                .isEmpty());
        String name = segments(archive).get(0);
        byte[] stored = Files.readAllBytes(archive.resolve(name));
        String token = transferToken();

        assertThat(put(standby, name, stored, sha256(stored), token).statusCode())
                .as("the same content again")
                .isEqualTo(200);
        assertThat(put(standby, name, stored, sha256(stored), "Bearer wrong").statusCode())
                .as("without the transfer secret")
                .isEqualTo(401);

        String unshipped = "0000000100000000000000F0";
        byte[] damaged = stored.clone();
        damaged[damaged.length / 2] ^= 0x5a;
        HttpResponse<String> refused = put(standby, unshipped, damaged, sha256(stored), token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("damaged");
        assertThat(archive.resolve(unshipped)).doesNotExist();

        HttpResponse<String> conflict = put(standby, name, damaged, sha256(damaged), token);
        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
        assertThat(Files.readAllBytes(archive.resolve(name))).isEqualTo(stored);
        await("the refusal is an event").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        site.api().events("transfer", 200))
                .anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo("WAL_FILE_REFUSED");
                    assertThat(e.message()).contains(name).contains("other content");
                }));

        try (PgCluster other = PgCluster.create("other")) {
            other.sql("SELECT pg_switch_wal()");
            String otherSegment = other.sql("SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
            byte[] foreign =
                    Files.readAllBytes(other.dataDirectory().resolve("pg_wal").resolve(otherSegment));
            HttpResponse<String> wrongSystem = put(standby, unshipped, foreign, sha256(foreign), token);
            assertThat(wrongSystem.statusCode()).as(wrongSystem.body()).isEqualTo(422);
            assertThat(wrongSystem.body()).contains("another system");
            assertThat(archive.resolve(unshipped)).doesNotExist();
        }
    }

    @Test
    void thePartialLastSegmentOfAStoppedPrimaryIsShippedAndASmartEndOfRecoveryReplaysIt() throws Exception {
        Standby standby = createShippingStandby("failover", "hot");
        primary.execute("INSERT INTO orders (item) SELECT 'in the last segment' FROM generate_series(1, 10)");
        primary.stopImmediate(); // postgres down, its agent up
        String token = transferToken();

        HttpResponse<String> shipped = post(agentAddress("psql1"), "failover", "ship-partial", token);
        assertThat(shipped.statusCode()).as(shipped.body()).isEqualTo(200);
        assertThat(shipped.body()).contains(".partial");
        assertThat(count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item = 'in the last segment'"))
                .as("not replayed before the end of recovery")
                .isZero();

        HttpResponse<String> ended = post(agentAddress(standby.agent()), "failover", "end-recovery?mode=smart", token);
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item = 'in the last segment'"))
                .isEqualTo(10);
        assertThat(count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE pg_is_in_recovery()"))
                .isZero();
        assertThat(standby.archive().resolve("end-recovery")).doesNotExist();
    }

    @Test
    void aSwitchoverAndBackUnderASteadyWriterLoseNoAcknowledgedWrite() throws Exception {
        Standby standby = createShippingStandby("roles", "hot");
        int[] ports = {primary.port(), standby.port()};
        try (SteadyWriter writer = new SteadyWriter(ports).start(primary.jdbcUrl())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.acknowledgedCount() > 50);
            int primaryPort = primary.port();
            for (int round = 1; round <= 2; round++) {
                await("in sync before switching over")
                        .atMost(Duration.ofSeconds(90))
                        .untilAsserted(() -> assertThat(standbyStatus("roles").inSync())
                                .as("%s", standbyStatus("roles"))
                                .isTrue());
                OperationView done = moveThePrimaryRole("roles", "switchover");
                assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
                assertThat(done.steps().get(3).message()).contains("replays WAL shipped from");
                int newPrimaryPort = primaryPort == ports[0] ? ports[1] : ports[0];
                assertThat(site.api().status("roles").primary().database()).endsWith(":" + newPrimaryPort);
                int before = writer.acknowledgedCount();
                await("writes go on at the new primary")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> writer.acknowledgedCount() > before + 20);
                primaryPort = newPrimaryPort;
            }
            writer.close();
            assertThat(primaryPort).as("back where it started").isEqualTo(primary.port());
            assertThat(writer.missingOn(primary.jdbcUrl()))
                    .as("acknowledged writes missing on the primary after a switchover and back")
                    .isEmpty();
            primary.sql("SELECT pg_switch_wal()");
            await("the last acknowledged write is shipped to the standby")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> writer.missingOn(standby.jdbcUrl() + "?user=postgres")
                            .isEmpty());
        }
    }

    @Test
    void afterAFailoverWithTheOldPrimarysAgentAliveTheRowsOfItsLastPartialSegmentAreOnTheNewPrimary() throws Exception {
        Standby standby = createShippingStandby("fail", "hot");
        primary.execute("INSERT INTO orders (item) SELECT 'in the partial segment' FROM generate_series(1, 10)");
        primary.kill9(); // postgres gone, its agent alive

        OperationView done = moveThePrimaryRole("fail", "failover");

        assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE pg_is_in_recovery()"))
                .isZero();
        assertThat(count(standby.jdbcUrl(), "SELECT count(*) FROM orders WHERE item = 'in the partial segment'"))
                .isEqualTo(10);
    }

    // --- helpers

    private OperationView moveThePrimaryRole(String configuration, String action) {
        String id = site.api().moveThePrimaryRole(configuration, action, true).operationId();
        await(action + " ended")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !site.api().operation(id).state().equals("RUNNING"));
        return site.api().operation(id);
    }

    private long failedArchiving() {
        return Long.parseLong(String.valueOf(primary.sql("SELECT failed_count FROM pg_stat_archiver")));
    }

    /** The transfer secret, as the primary's archive command presents it: {@code Bearer ...}. */
    private String transferToken() throws IOException {
        Path header = primary.dataDirectory()
                .resolveSibling(primary.dataDirectory().getFileName() + ".wal-shipping")
                .resolve("agent-header");
        String line = Files.readString(header, StandardCharsets.UTF_8).strip();
        return line.substring("Authorization: ".length());
    }

    private String agentAddress(String agent) {
        return site.agent(agent).orElseThrow().address();
    }

    private HttpResponse<String> put(Standby standby, String name, byte[] body, String sha256, String token)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + agentAddress(standby.agent())
                        + "/api/v1/shipping/" + standby.configuration() + "/wal/" + name))
                .header("Authorization", token)
                .header("X-Understudy-Sha256", sha256)
                .header("X-Understudy-System-Identifier", "1")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String address, String configuration, String action, String token)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + address + "/api/v1/shipping/" + configuration + "/" + action))
                .header("Authorization", token)
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> segments(Path archive) throws IOException {
        try (Stream<Path> files = Files.list(archive)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("[0-9A-F]{24}"))
                    .sorted()
                    .toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String text(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
