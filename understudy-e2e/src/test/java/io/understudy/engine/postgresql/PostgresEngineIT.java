package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.understudy.core.database.Lsn;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.StopMode;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL engine against real clusters, through the engine only: observe, start, stop,
 * query. The tests run as root in CI, so the engine runs PostgreSQL's programs as the database
 * owner ({@link PgCluster#commandRunner()}); the agent, in production, runs as that owner itself.
 */
class PostgresEngineIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);

    private static final PostgresEngine engine = new PostgresEngine(PgCluster.commandRunner());
    private static PgCluster db;

    private PostgresInstance instance;

    @BeforeAll
    static void createCluster() {
        db = PgCluster.create("engine");
    }

    @AfterAll
    static void closeCluster() {
        db.close();
    }

    @BeforeEach
    void openRunningInstance() {
        db.start();
        instance = engine.open(db.instanceConfig());
    }

    @AfterEach
    void closeInstance() {
        instance.close();
    }

    @Test
    void observesARunningPrimary() {
        DatabaseObservation seen = instance.observe();

        assertThat(seen.up()).isTrue();
        assertThat(seen.reason()).isNull();
        assertThat(seen.role()).isEqualTo(Role.PRIMARY);
        assertThat(seen.dataDirectory()).isEqualTo(db.dataDirectory().toString());
        assertThat(seen.port()).isEqualTo(db.port());
        assertThat(seen.majorVersion()).isEqualTo(db.sql("select current_setting('server_version_num')::int / 10000"));
        assertThat(seen.serverVersion()).startsWith(seen.majorVersion() + ".").doesNotContain(" ");
        assertThat(seen.systemIdentifier()).isEqualTo(db.sql("select system_identifier from pg_control_system()"));
        assertThat(seen.currentLsn()).isNotNull();
        assertThat(seen.receivedLsn()).isNull();
        assertThat(seen.replayedLsn()).isNull();
    }

    @Test
    void reportsTheCurrentLsnAdvancingAfterWrites() {
        Lsn before = currentLsn(instance.observe());

        db.execute("create table lsn_moves (i int)");
        db.execute("insert into lsn_moves select generate_series(1, 1000)");

        assertThat(currentLsn(instance.observe())).isGreaterThan(before);
    }

    @Test
    void keepsOneConnectionAcrossObservations() {
        for (int i = 0; i < 5; i++) {
            assertThat(instance.observe().up()).isTrue();
        }

        assertThat(db.sql("select count(*) from pg_stat_activity where application_name = '"
                        + PostgresQueries.APPLICATION_NAME + "'"))
                .isEqualTo("1");
    }

    @Test
    void reportsDownWithReasonWhenStopped() {
        assertThat(instance.observe().up()).isTrue();

        db.stopFast();

        DatabaseObservation seen = awaitDown();
        assertThat(seen.reason()).isEqualTo("not running: no postmaster.pid");
        assertThat(seen.port()).isEqualTo(db.port());
        assertThat(seen.role()).isEqualTo(Role.PRIMARY);
        assertThat(seen.systemIdentifier()).isNotNull();
    }

    @Test
    void reportsDownWithReasonWhenKilled() {
        long postmaster = PostmasterPid.read(db.dataDirectory()).orElseThrow().pid();
        assertThat(instance.observe().up()).isTrue();

        db.kill9();

        assertThat(awaitDown().reason())
                .isEqualTo("not running: postmaster.pid names process " + postmaster + " which is gone");
    }

    @Test
    void reconnectsAfterTheServerRestarted() {
        assertThat(instance.observe().up()).isTrue();

        db.stopFast();
        db.start();

        assertThat(instance.observe().up()).isTrue();
    }

    @Test
    void startBringsTheDatabaseUpAndIsIdempotent() {
        db.stopFast();
        assertThat(instance.observe().up()).isFalse();

        instance.start(TIMEOUT);
        assertThat(instance.observe().up()).isTrue();

        long postmaster = PostmasterPid.read(db.dataDirectory()).orElseThrow().pid();
        instance.start(TIMEOUT);
        assertThat(instance.observe().up()).isTrue();
        assertThat(PostmasterPid.read(db.dataDirectory()).orElseThrow().pid()).isEqualTo(postmaster);
    }

    @Test
    void startsAfterAKill() {
        db.kill9();

        instance.start(TIMEOUT);

        assertThat(instance.observe().up()).isTrue();
    }

    @Test
    void stopTakesTheDatabaseDownAndIsIdempotent() {
        instance.stop(StopMode.FAST, TIMEOUT);
        assertThat(instance.observe().up()).isFalse();
        assertThat(db.isRunning()).isFalse();

        instance.stop(StopMode.FAST, TIMEOUT);
        instance.stop(StopMode.IMMEDIATE, TIMEOUT);
        assertThat(instance.observe().reason()).isEqualTo("not running: no postmaster.pid");
    }

    @Test
    void restartReplacesThePostmaster() {
        long before = PostmasterPid.read(db.dataDirectory()).orElseThrow().pid();

        instance.restart(TIMEOUT);

        assertThat(instance.observe().up()).isTrue();
        assertThat(PostmasterPid.read(db.dataDirectory()).orElseThrow().pid()).isNotEqualTo(before);
    }

    @Test
    void failsToStartWithTheServerLogWhenASettingIsBad() throws IOException {
        Path autoConf = db.dataDirectory().resolve("postgresql.auto.conf");
        String original = Files.readString(autoConf);
        instance.stop(StopMode.FAST, TIMEOUT);
        Files.writeString(autoConf, "shared_buffers = 'plenty'\n", StandardOpenOption.APPEND);
        try {
            assertThatThrownBy(() -> instance.start(TIMEOUT))
                    .isInstanceOfSatisfying(
                            EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                    .hasMessageStartingWith("start " + db.dataDirectory() + ": pg_ctl exited 1: ")
                    .hasMessageContaining("shared_buffers");
        } finally {
            Files.writeString(autoConf, original, StandardOpenOption.TRUNCATE_EXISTING);
        }
        instance.start(TIMEOUT);
        assertThat(instance.observe().up()).isTrue();
    }

    @Test
    void reportsAnUnknownUserAsAnAuthenticationFailure() {
        InstanceConfig asNobody = new InstanceConfig(
                db.dataDirectory(), "127.0.0.1", "nobody", null, InstanceConfig.DEFAULT_PROBE_TIMEOUT);
        try (PostgresInstance stranger = engine.open(asNobody)) {
            DatabaseObservation seen = stranger.observe();

            assertThat(seen.up()).isFalse();
            assertThat(seen.reason()).isEqualTo("authentication failed for user nobody (28000)");
            assertThatThrownBy(() -> stranger.query("select 1"))
                    .isInstanceOfSatisfying(
                            EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT));
        }
    }

    @Test
    void isFoundForItsDataDirectory() {
        assertThat(DatabaseEngine.forDataDirectory(db.dataDirectory())).get().satisfies(found -> assertThat(found.id())
                .isEqualTo("postgresql"));
    }

    @Test
    void refusesToOpenADirectoryThatIsNotADataDirectory(@TempDir Path notData) {
        assertThatThrownBy(() -> engine.open(InstanceConfig.local(notData)))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessage(notData + " is not a PostgreSQL data directory: no PG_VERSION file");
    }

    @Test
    void queriesAndExecutesWithParametersReturningRowsInColumnOrder() {
        instance.execute("create table people (id int primary key, name text, note text)");

        assertThat(instance.execute("insert into people values (?, ?, ?), (?, ?, ?)", 1, "Ada", "x", 2, "Bo", "y"))
                .isEqualTo(2);
        assertThat(instance.query("select note, name, id from people where id = ?", 1))
                .singleElement()
                .satisfies(row ->
                        assertThat(row).containsExactly(entry("note", "x"), entry("name", "Ada"), entry("id", 1)));
    }

    @Test
    void reportsABadStatementAsPermanent() {
        assertThatThrownBy(() -> instance.query("selec 1"))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageContaining(db.dataDirectory().toString())
                .hasMessageEndingWith("(42601)");
        assertThat(instance.query("select 1 as one")).containsExactly(Map.of("one", 1));
    }

    @Test
    void reportsAQueryOnAStoppedDatabaseAsTransient() {
        db.stopFast();

        assertThatThrownBy(() -> instance.query("select 1"))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT));
    }

    @Test
    void observesAStandbyWithReceivedAndReplayedLsn() {
        try (PgCluster standbyDb =
                        PgCluster.builder().namePrefix("standby").standbyOf(db).create();
                PostgresInstance standby = engine.open(standbyDb.instanceConfig())) {
            DatabaseObservation seen = standby.observe();
            assertThat(seen.up()).isTrue();
            assertThat(seen.role()).isEqualTo(Role.STANDBY);
            assertThat(seen.port()).isEqualTo(standbyDb.port());
            assertThat(seen.currentLsn()).isNull();
            assertThat(seen.replayedLsn()).isNotNull();
            // the WAL receiver may connect a moment after the standby accepts connections
            await("WAL received").atMost(TIMEOUT).until(() -> standby.observe().receivedLsn() != null);
            assertThat(seen.systemIdentifier()).isEqualTo(instance.observe().systemIdentifier());

            db.execute("create table to_standby (i int)");
            Lsn written = currentLsn(instance.observe());
            await("standby replays up to " + written)
                    .atMost(TIMEOUT)
                    .until(
                            () -> Lsn.parse(
                                    Objects.requireNonNull(standby.observe().replayedLsn())),
                            replayed -> replayed.compareTo(written) >= 0);

            standbyDb.stopFast();
            DatabaseObservation down = standby.observe();
            assertThat(down.up()).isFalse();
            assertThat(down.role()).isEqualTo(Role.STANDBY);
        }
    }

    private DatabaseObservation awaitDown() {
        return await("database reported down").atMost(FEW_SECONDS).until(instance::observe, seen -> !seen.up());
    }

    private static Lsn currentLsn(DatabaseObservation seen) {
        return Lsn.parse(Objects.requireNonNull(seen.currentLsn(), "currentLsn"));
    }
}
