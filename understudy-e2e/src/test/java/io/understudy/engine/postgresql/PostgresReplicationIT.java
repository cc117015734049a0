package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.Lsn;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.PreparedPrimary;
import io.understudy.engine.StandbyCreation;
import io.understudy.engine.StopMode;
import io.understudy.engine.process.OsUser;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming replication through the engine against real clusters on one host: a primary made
 * with settings that need a restart (wal_log_hints off, max_wal_senders 5) and every statement
 * logged, prepared for standbys; standbys created next to it, hot and warm, over an existing
 * cluster, over an unfinished copy and over a finished copy of their own that was not started.
 * Each standby runs on its own free port and shares the primary's socket directory.
 */
class PostgresReplicationIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String USER = "understudy_repl";
    /** Quotes, a backslash and a space: proves the quoting in primary_conninfo end to end. */
    private static final Secret PASSWORD = Secret.of("p'a\\ss w0rd");

    private static final PostgresEngine engine = new PostgresEngine(PgCluster.commandRunner());

    private static PgCluster primary;
    private static PostgresInstance primaryInstance;
    private static PreparedPrimary firstPreparation;
    private static final List<String> restartNotices = new ArrayList<>();
    private static String primaryLog;

    private Path root;
    private final List<PostgresInstance> standbys = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void createAndPreparePrimary() {
        primary = PgCluster.builder()
                .namePrefix("replpri")
                .setting("wal_log_hints", "off")
                .setting("max_wal_senders", "5")
                .setting("log_statement", "all")
                .create();
        primaryLog = primary.logFile().toString();
        primaryInstance = engine.open(primary.instanceConfig());
        primary.execute("create table t (id int primary key, note text)");
        firstPreparation = primaryInstance.prepareForStandby(
                spec("hot_one", "hot-standby", StandbyMode.HOT), restartNotices::add, TIMEOUT);
    }

    @AfterAll
    static void removePrimary() {
        if (primaryInstance != null) {
            primaryInstance.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createTempDirectory(Path.of("/tmp"), "us-standbys-");
        giveToDatabaseOwner(root);
    }

    @AfterEach
    void removeStandbys() {
        for (Process process : started) {
            process.destroyForcibly();
        }
        for (PostgresInstance standby : standbys) {
            try {
                standby.stop(StopMode.IMMEDIATE, TIMEOUT);
            } catch (RuntimeException e) {
                killPostmaster(standby.dataDirectory());
            }
            standby.close();
        }
        deleteRecursively(root);
    }

    @Test
    void preparesThePrimaryWithOneRestartForTheSettingsThatNeedIt() {
        assertThat(firstPreparation.changedSettings()).containsExactly("wal_log_hints", "max_wal_senders");
        assertThat(firstPreparation.restarted()).isTrue();
        assertThat(restartNotices)
                .singleElement()
                .asString()
                .startsWith("restarting PostgreSQL at " + primary.dataDirectory())
                .endsWith("wal_log_hints and max_wal_senders take effect only at a restart");
        assertThat(primary.sql("show wal_log_hints")).isEqualTo("on");
        assertThat(primary.sql("show max_wal_senders")).isEqualTo("10");
        assertThat(primary.sql("select slot_type || ' ' || (restart_lsn is not null)"
                        + " from pg_replication_slots where slot_name = 'hot_one'"))
                .isEqualTo("physical true");
        assertThat(primary.sql("select rolcanlogin and rolreplication from pg_roles where rolname = '" + USER + "'"))
                .isEqualTo("true");
        assertThat(hbaLines())
                .contains(
                        "host    replication     understudy_repl     127.0.0.1/32     scram-sha-256"
                                + "  # understudy: hot_one",
                        "host    postgres     understudy_repl     127.0.0.1/32     scram-sha-256"
                                + "  # understudy: hot_one");
    }

    @Test
    void preparingAgainChangesNothingAndDoesNotRestart() {
        long postmaster =
                PostmasterPid.read(primary.dataDirectory()).orElseThrow().pid();
        List<String> hba = hbaLines();
        List<String> notices = new ArrayList<>();

        PreparedPrimary again = primaryInstance.prepareForStandby(
                spec("hot_one", "hot-standby", StandbyMode.HOT), notices::add, TIMEOUT);

        assertThat(again.changedSettings()).isEmpty();
        assertThat(again.restarted()).isFalse();
        assertThat(notices).isEmpty();
        assertThat(PostmasterPid.read(primary.dataDirectory()).orElseThrow().pid())
                .isEqualTo(postmaster);
        assertThat(hbaLines()).isEqualTo(hba);
    }

    @Test
    void neverLogsThePasswordThoughTheServerLogsEveryStatement() throws IOException {
        primary.sql("select 'a statement the server logs'");
        String logs =
                Files.readString(Path.of(primaryLog)) + Files.readString(PgCtl.defaultLogFile(primary.dataDirectory()));

        assertThat(logs).contains("a statement the server logs");
        assertThat(logs).doesNotContain(PASSWORD.reveal()).doesNotContain("SCRAM-SHA-256$");
    }

    @Test
    void listsTheInstalledMajorVersionOfThePrimaryFirst() {
        assertThat(engine.installedMajorVersions())
                .first()
                .isEqualTo(primary.sql("select current_setting('server_version_num')::int / 10000"));
    }

    @Test
    void theReplicationRoleLogsInWithItsPasswordOnly() throws SQLException {
        try (Connection c = replicationConnection(PASSWORD.reveal());
                Statement s = c.createStatement();
                ResultSet system = s.executeQuery("IDENTIFY_SYSTEM")) {
            assertThat(system.next()).isTrue();
        }
        assertThatThrownBy(() -> replicationConnection("wrong").close())
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void aHotStandbyReplaysAndRefusesWrites() {
        ReplicationSpec spec = spec("hot_one", "hot-standby", StandbyMode.HOT);
        Path dir = root.resolve("hot");
        List<ActionProgress> progress = new ArrayList<>();

        engine.createStandby(new StandbyCreation(dir, FreePorts.next(), spec, false, TIMEOUT), progress::add);

        assertThat(progress)
                .extracting(ActionProgress::phase)
                .containsSubsequence("copying (base backup)", "configuring the standby");
        assertThat(progress).extracting(ActionProgress::phase).doesNotContain("moving the old cluster aside");
        assertThat(progress)
                .extracting(ActionProgress::action)
                .containsOnly("base backup from 127.0.0.1:" + primary.port());
        assertThat(progress)
                .extracting(ActionProgress::startedAt)
                .containsOnly(progress.get(0).startedAt());
        List<Long> copied = progress.stream().map(ActionProgress::bytesDone).toList();
        assertThat(copied).isSorted().first().isEqualTo(0L);
        ActionProgress last = progress.get(progress.size() - 1);
        assertThat(last.bytesDone()).isGreaterThan(1_000_000L).isEqualTo(last.bytesTotal());
        assertThat(new TargetDirectory(dir).marker()).doesNotExist();

        PostgresInstance standby = start(dir);
        primary.execute("insert into t values (1, 'to the hot standby')");
        await("the row on the hot standby").atMost(TIMEOUT).untilAsserted(() -> assertThat(
                        standby.query("select note from t where id = 1"))
                .containsExactly(Map.of("note", "to the hot standby")));

        assertThatThrownBy(() -> standby.execute("insert into t values (2, 'refused')"))
                .isInstanceOf(EngineException.class)
                .hasMessageEndingWith("(25006)");

        assertThatThrownBy(() -> standby.prepareForStandby(spec, notice -> {}, TIMEOUT))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageContaining("not a primary");

        DatabaseObservation seen = standby.observe();
        assertThat(seen.up()).isTrue();
        assertThat(seen.running()).isTrue();
        assertThat(seen.role()).isEqualTo(Role.STANDBY);
        await("the standby's WAL receiver streaming").atMost(TIMEOUT).untilAsserted(() -> {
            ReplicationObservation replication = standby.observeReplication();
            assertThat(replication.walReceiverStatus()).isEqualTo("streaming");
            assertThat(replication.replayPaused()).isFalse();
        });
        await("the primary seeing the standby stream through its slot")
                .atMost(TIMEOUT)
                .untilAsserted(() -> {
                    ReplicationObservation replication = primaryInstance.observeReplication();
                    assertThat(replication.replicas())
                            .filteredOn(r -> r.applicationName().equals("hot-standby"))
                            .singleElement()
                            .satisfies(r -> {
                                assertThat(r.state()).isEqualTo("streaming");
                                assertThat(r.clientAddress()).isEqualTo("127.0.0.1");
                                assertThat(r.replayLsn()).isNotNull();
                                assertThat(r.syncState()).isEqualTo("async");
                            });
                    assertThat(replication.slots())
                            .filteredOn(s -> s.slotName().equals("hot_one"))
                            .singleElement()
                            .satisfies(s -> {
                                assertThat(s.active()).isTrue();
                                assertThat(s.retainedBytes()).isNotNull().isNotNegative();
                            });
                });
    }

    @Test
    void aWarmStandbyRunsWithoutTakingConnectionsAndKeepsReplaying() {
        ReplicationSpec spec = spec("warm_one", "warm-standby", StandbyMode.WARM);
        assertThat(primaryInstance.prepareForStandby(spec, notice -> {}, TIMEOUT))
                .isEqualTo(new PreparedPrimary(List.of(), false));
        Path dir = root.resolve("warm");

        engine.createStandby(new StandbyCreation(dir, FreePorts.next(), spec, false, TIMEOUT), p -> {});
        PostgresInstance standby = start(dir);

        DatabaseObservation seen = standby.observe();
        assertThat(seen.running()).isTrue();
        assertThat(seen.up()).isFalse();
        assertThat(seen.role()).isEqualTo(Role.STANDBY);
        assertThatThrownBy(() -> standby.query("select 1"))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT));
        assertThat(standby.observeReplication()).isEqualTo(ReplicationObservation.none(dir.toString()));
        assertThatThrownBy(() -> standby.prepareForStandby(spec, notice -> {}, TIMEOUT))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageContaining("not a primary");

        Lsn before = await("the warm standby connected")
                .atMost(TIMEOUT)
                .until(() -> replayLsn("warm-standby"), Optional::isPresent)
                .orElseThrow();
        primary.execute("insert into t select g, 'warm' from generate_series(1000, 1999) g");
        Lsn written = Lsn.parse(Objects.requireNonNull(primary.sql("select pg_current_wal_lsn()")));
        await("the warm standby replaying past " + written).atMost(TIMEOUT).until(() -> replayLsn("warm-standby")
                .filter(lsn -> lsn.compareTo(written) >= 0)
                .isPresent());
        assertThat(written).isGreaterThan(before);
    }

    @Test
    void replacesAnExistingClusterOnlyWhenConfirmedAndMovesItAside() throws IOException {
        ReplicationSpec spec = spec("replace_one", "replace-standby", StandbyMode.HOT);
        primaryInstance.prepareForStandby(spec, notice -> {}, TIMEOUT);
        try (PgCluster victim = PgCluster.create("victim")) {
            victim.execute("create table mine (i int)");
            String victimSystem = victim.sql("select system_identifier from pg_control_system()");
            String major = primary.sql("select current_setting('server_version_num')::int / 10000");
            Path dir = victim.dataDirectory();
            int port = FreePorts.next();
            assertThat(engine.inspect(dir))
                    .isEqualTo(new TargetInspection(true, false, true, major, true, victimSystem));

            assertThatThrownBy(
                            () -> engine.createStandby(new StandbyCreation(dir, port, spec, false, TIMEOUT), p -> {}))
                    .isInstanceOfSatisfying(
                            EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                    .hasMessage("create standby at " + dir + ": " + dir + " holds a PostgreSQL " + major
                            + " cluster (running); confirm replacing it");
            assertThat(victim.isRunning()).isTrue();
            assertThat(victim.sql("select count(*) from mine")).isEqualTo("0");

            List<ActionProgress> progress = new ArrayList<>();
            engine.createStandby(new StandbyCreation(dir, port, spec, true, TIMEOUT), progress::add);

            assertThat(progress.get(0).phase()).isEqualTo("moving the old cluster aside");
            Path aside;
            try (Stream<Path> siblings = Files.list(victim.directory())) {
                aside = siblings.filter(p -> p.getFileName().toString().startsWith("data.replaced-"))
                        .collect(onlyOne());
            }
            assertThat(engine.inspect(aside).systemIdentifier()).isEqualTo(victimSystem);
            assertThat(engine.inspect(aside).running()).isFalse();

            PostgresInstance standby = start(dir);
            primary.execute("insert into t values (3, 'replaced')");
            await("the row on the replacing standby").atMost(TIMEOUT).untilAsserted(() -> assertThat(
                            standby.query("select note from t where id = 3"))
                    .containsExactly(Map.of("note", "replaced")));
            assertThat(standby.observe().systemIdentifier())
                    .isEqualTo(primaryInstance.observe().systemIdentifier());
            standby.stop(StopMode.FAST, TIMEOUT);
        }
    }

    @Test
    void redoesAnUnfinishedCopyKillingTheCopyStillRunning() throws IOException {
        ReplicationSpec spec = spec("redo_one", "redo-standby", StandbyMode.HOT);
        primaryInstance.prepareForStandby(spec, notice -> {}, TIMEOUT);
        Path dir = root.resolve("redo");
        TargetDirectory target = new TargetDirectory(dir);
        target.writeMarker("left by an agent killed mid-copy\n", ownerIfRoot());
        // An agent killed with -9 leaves its pg_basebackup running; this one copies very slowly.
        Process stray = startSlowCopy(dir, spec);
        await("the stray copy holding the slot").atMost(TIMEOUT).until(() -> "true"
                .equals(primary.sql("select active from pg_replication_slots where slot_name = 'redo_one'")));

        engine.createStandby(new StandbyCreation(dir, FreePorts.next(), spec, false, TIMEOUT), p -> {});

        assertThat(stray.isAlive()).isFalse();
        assertThat(target.hasMarker()).isFalse();
        try (Stream<Path> siblings = Files.list(root)) {
            assertThat(siblings).containsExactly(dir);
        }
        PostgresInstance standby = start(dir);
        primary.execute("insert into t values (4, 'redone')");
        await("the row on the redone standby").atMost(TIMEOUT).untilAsserted(() -> assertThat(
                        standby.query("select note from t where id = 4"))
                .containsExactly(Map.of("note", "redone")));
    }

    @Test
    void resumesItsOwnCopyThatWasNotStartedWithoutCopyingAgain() throws IOException {
        ReplicationSpec spec = spec("resume_one", "resume-standby", StandbyMode.HOT);
        primaryInstance.prepareForStandby(spec, notice -> {}, TIMEOUT);
        Path dir = root.resolve("resume");
        engine.createStandby(new StandbyCreation(dir, FreePorts.next(), spec, false, TIMEOUT), p -> {});
        // The agent died, or the standby failed to start, before it ran: a finished copy, not started.
        Path dropped = dir.resolve("dropped-after-the-first-copy");
        Files.writeString(dropped, "still here");
        Object directoryKey = fileKey(dir);

        TargetInspection seen = engine.inspect(dir);
        assertThat(seen.holdsCluster()).isTrue();
        assertThat(seen.running()).isFalse();
        assertThat(seen.unfinishedCopy()).isTrue();
        assertThat(seen.needsConfirmation()).isFalse();

        int port = FreePorts.next();
        List<ActionProgress> progress = new ArrayList<>();
        engine.createStandby(new StandbyCreation(dir, port, spec, false, TIMEOUT), progress::add);

        assertThat(progress).extracting(ActionProgress::phase).containsExactly("configuring the standby");
        assertThat(dropped).hasContent("still here");
        assertThat(fileKey(dir)).isEqualTo(directoryKey);
        assertThat(new DataDirectory(dir).configuredPort()).isEqualTo(port);
        try (Stream<Path> siblings = Files.list(root)) {
            assertThat(siblings).containsExactly(dir);
        }
        PostgresInstance standby = start(dir);
        primary.execute("insert into t values (5, 'resumed')");
        await("the row on the resumed standby").atMost(TIMEOUT).untilAsserted(() -> assertThat(
                        standby.query("select note from t where id = 5"))
                .containsExactly(Map.of("note", "resumed")));
        await("the resumed standby streaming").atMost(TIMEOUT).untilAsserted(() -> assertThat(
                        standby.observeReplication().walReceiverStatus())
                .isEqualTo("streaming"));

        // Stopped after it ran (shut down in recovery), it is resumed too, and goes on streaming.
        standby.stop(StopMode.FAST, TIMEOUT);
        progress.clear();
        engine.createStandby(new StandbyCreation(dir, port, spec, false, TIMEOUT), progress::add);

        assertThat(progress).extracting(ActionProgress::phase).containsExactly("configuring the standby");
        assertThat(dropped).hasContent("still here");
        standby.start(TIMEOUT);
        primary.execute("insert into t values (6, 'resumed again')");
        await("the row on the standby resumed again").atMost(TIMEOUT).untilAsserted(() -> assertThat(
                        standby.query("select note from t where id = 6"))
                .containsExactly(Map.of("note", "resumed again")));
    }

    @Test
    void aWrongPasswordIsPermanentAndLeavesNothingBehind() throws IOException {
        ReplicationSpec good = spec("hot_one", "wrong-password", StandbyMode.HOT);
        ReplicationSpec bad = new ReplicationSpec(
                good.method(),
                good.mode(),
                good.slotName(),
                good.user(),
                Secret.of("wrong"),
                good.primaryHost(),
                good.primaryPort(),
                good.standbyHost(),
                good.applicationName());
        Path dir = root.resolve("never");

        assertThatThrownBy(() ->
                        engine.createStandby(new StandbyCreation(dir, FreePorts.next(), bad, false, TIMEOUT), p -> {}))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageContaining("password authentication failed")
                .hasMessageNotContaining("wrong");
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aMissingSlotIsPermanent() {
        ReplicationSpec spec = spec("no_such_slot", "no-slot", StandbyMode.HOT);

        assertThatThrownBy(() -> engine.createStandby(
                        new StandbyCreation(root.resolve("x"), FreePorts.next(), spec, false, TIMEOUT), p -> {}))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageEndingWith("has no replication slot no_such_slot");
    }

    private static ReplicationSpec spec(String slot, String applicationName, StandbyMode mode) {
        return new ReplicationSpec(
                ReplicationMethod.WAL_STREAMING,
                mode,
                slot,
                USER,
                PASSWORD,
                PgCluster.HOST,
                primary.port(),
                PgCluster.HOST,
                applicationName);
    }

    /** Opens the standby in {@code dir} through the engine and starts it; stopped after the test. */
    private PostgresInstance start(Path dir) {
        PostgresInstance standby = engine.open(InstanceConfig.local(dir));
        standbys.add(standby);
        standby.start(TIMEOUT);
        return standby;
    }

    private static Optional<Lsn> replayLsn(String applicationName) {
        return primaryInstance.observeReplication().replicas().stream()
                .filter(r -> r.applicationName().equals(applicationName))
                .map(ReplicaConnection::replayLsn)
                .filter(Objects::nonNull)
                .map(Lsn::parse)
                .findFirst();
    }

    private static List<String> hbaLines() {
        try {
            return Files.readAllLines(Path.of(Objects.requireNonNull(primary.sql("show hba_file"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Connection replicationConnection(String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", password);
        properties.setProperty("replication", "true");
        properties.setProperty("assumeMinServerVersion", "9.4");
        properties.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + PgCluster.HOST + ":" + primary.port() + "/postgres", properties);
    }

    /** A pg_basebackup at 32 kB/s into {@code dir}, as the database owner; killed after the test. */
    private Process startSlowCopy(Path dir, ReplicationSpec spec) throws IOException {
        List<String> command = List.of(
                primary.binaries().path("pg_basebackup").toString(),
                "-D",
                dir.toString(),
                "-h",
                spec.primaryHost(),
                "-p",
                Integer.toString(spec.primaryPort()),
                "-U",
                spec.user(),
                "-S",
                spec.slotName(),
                "-X",
                "stream",
                "-c",
                "fast",
                "--max-rate=32k",
                "--no-password");
        ProcessBuilder builder = new ProcessBuilder(OsUser.commandAs(OsUser.databaseOwner(), command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PGPASSWORD", spec.password().reveal());
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** What tells {@code path} from another file of the same name (device and inode). */
    private static Object fileKey(Path path) throws IOException {
        return Objects.requireNonNull(
                Files.readAttributes(path, BasicFileAttributes.class).fileKey());
    }

    private static Optional<String> ownerIfRoot() {
        return OsUser.isRoot() ? Optional.of(OsUser.databaseOwner()) : Optional.empty();
    }

    private static void giveToDatabaseOwner(Path path) {
        ownerIfRoot().ifPresent(owner -> OsUser.chown(path, owner));
    }

    private static void killPostmaster(Path dataDirectory) {
        try {
            PostmasterPid.read(dataDirectory)
                    .flatMap(pid -> ProcessHandle.of(pid.pid()))
                    .ifPresent(ProcessHandle::destroyForcibly);
        } catch (RuntimeException e) {
            // nothing left to kill
        }
    }

    private static <T> java.util.stream.Collector<T, ?, T> onlyOne() {
        return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.get(0);
        });
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
