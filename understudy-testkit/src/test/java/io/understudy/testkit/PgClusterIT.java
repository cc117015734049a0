package io.understudy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.postgresql.PostmasterPid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PgClusterIT {

    @Test
    void createsARunningClusterThatAnswersSql() throws Exception {
        try (PgCluster db = PgCluster.create("it")) {
            assertThat(db.isRunning()).isTrue();
            assertThat(db.directory().getFileName().toString()).startsWith("us-it-");
            assertThat(db.sql("show server_version"))
                    .startsWith(
                            db.binaries().directory().getParent().getFileName().toString());
            assertThat(db.sql("show listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(db.sql("show wal_level")).isEqualTo("replica");
            assertThat(db.sql("show fsync")).isEqualTo("on");

            db.execute("create table t (i int primary key, s text)");
            assertThat(db.execute("insert into t values (1, 'one'), (2, null)")).isEqualTo(2);
            assertThat(db.query("select i, s from t order by i"))
                    .hasSize(2)
                    .first()
                    .satisfies(row -> assertThat(row).containsExactly(entry("i", 1), entry("s", "one")));
            assertThat(db.sql("select s from t where i = 2")).isNull();
            assertThat(db.sql("select s from t where i = 3")).isNull();

            try (Connection c = DriverManager.getConnection(db.jdbcUrl())) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void stopsFastAndStartsAgainKeepingData() {
        try (PgCluster db = PgCluster.create()) {
            db.execute("create table kept (i int)");
            db.execute("insert into kept values (42)");

            db.stopFast();
            assertThat(db.isRunning()).isFalse();
            assertThat(FreePorts.acceptsConnections(db.port())).isFalse();
            db.stopFast();

            db.start();
            assertThat(db.sql("select i from kept")).isEqualTo("42");
        }
    }

    @Test
    void killNineLeavesThePortRefusingAndTheServerRecoversOnStart() {
        try (PgCluster db = PgCluster.create()) {
            db.execute("create table survived (i int)");
            db.execute("insert into survived values (7)");

            db.kill9();

            assertThat(db.isRunning()).isFalse();
            assertThat(FreePorts.acceptsConnections(db.port())).isFalse();
            assertThat(Files.exists(db.dataDirectory().resolve("postmaster.pid")))
                    .isTrue();
            assertThatThrownBy(() -> db.sql("select 1"))
                    .isInstanceOfSatisfying(
                            EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT));

            db.start();
            assertThat(db.sql("select i from survived")).isEqualTo("7");
        }
    }

    @Test
    void closeStopsTheServerAndDeletesTheDirectoryEvenAfterAKill() {
        PgCluster db = PgCluster.create();
        Path directory = db.directory();
        int port = db.port();
        db.kill9();

        db.close();
        db.close();

        assertThat(directory).doesNotExist();
        assertThat(FreePorts.acceptsConnections(port)).isFalse();
    }

    @Test
    void closeOfARunningClusterLeavesNoServerAndNoDirectory() {
        PgCluster db = PgCluster.create();
        Path directory = db.directory();
        long postmaster = PostmasterPid.read(db.dataDirectory()).orElseThrow().pid();

        db.close();

        assertThat(directory).doesNotExist();
        await("postmaster " + postmaster + " gone")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> ProcessHandle.of(postmaster)
                                .map(ProcessHandle::isAlive)
                                .orElse(false),
                        alive -> !alive);
    }

    @Test
    void makesAStreamingStandby() {
        try (PgCluster primary = PgCluster.create("primary");
                PgCluster standby = PgCluster.builder()
                        .namePrefix("standby")
                        .standbyOf(primary)
                        .create()) {
            assertThat(standby.sql("select pg_is_in_recovery()")).isEqualTo("true");
            primary.execute("create table replicated (i int)");
            primary.execute("insert into replicated values (1)");

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(standby.sql("select count(*) from replicated"))
                            .isEqualTo("1"));
            assertThat(primary.sql("select application_name from pg_stat_replication"))
                    .isEqualTo(standby.name());
        }
    }

    @Test
    void appliesExtraSettingsQuoted() {
        try (PgCluster db = PgCluster.builder()
                .setting("cluster_name", "it's me")
                .setting("max_connections", "20")
                .create()) {
            assertThat(db.sql("show cluster_name")).isEqualTo("it's me");
            assertThat(db.sql("show max_connections")).isEqualTo("20");
        }
    }

    @Test
    void handsOutEachFreePortOnce() {
        int a = FreePorts.next();
        int b = FreePorts.next();

        assertThat(a).isNotEqualTo(b);
        assertThat(FreePorts.isFree(a)).isTrue();
    }
}
