package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.StandbyCreation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a standby target holds, and what createStandby does before it reaches the primary. */
class TargetDirectoryTest {
    @TempDir
    Path tmp;

    private final PostgresEngine engine = new PostgresEngine();

    private static ReplicationSpec spec() {
        return new ReplicationSpec(
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT,
                "understudy_sales",
                "repl",
                Secret.of("pw"),
                "127.0.0.1",
                1,
                "127.0.0.1",
                "sales");
    }

    @Test
    void inspectsAMissingDirectory() {
        assertThat(engine.inspect(tmp.resolve("missing")))
                .isEqualTo(new TargetInspection(false, false, false, null, false, null));
    }

    @Test
    void inspectsAnEmptyDirectory() {
        assertThat(engine.inspect(tmp)).isEqualTo(new TargetInspection(true, true, false, null, false, null));
    }

    @Test
    void inspectsADirectoryWithOtherFiles() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "mine");

        assertThat(engine.inspect(tmp)).isEqualTo(new TargetInspection(true, false, false, null, false, null));
    }

    @Test
    void inspectsAStoppedClusterWithoutThrowingWhenItsControlFileIsUnreadable() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");

        assertThat(engine.inspect(dir)).isEqualTo(new TargetInspection(true, false, true, "15", false, null));
    }

    @Test
    void inspectsARunningCluster() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "99");
        FakeDataDirectory.write(
                dir, PostmasterPid.FILE_NAME, ProcessHandle.current().pid() + "\n" + dir + "\n");

        TargetInspection seen = engine.inspect(dir);

        assertThat(seen.holdsCluster()).isTrue();
        assertThat(seen.running()).isTrue();
        assertThat(seen.majorVersion()).isEqualTo("99");
        assertThat(seen.systemIdentifier()).isNull();
    }

    @Test
    void refusesToReplaceAClusterWithoutConfirmationAndTouchesNothing() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        List<Object> progress = new ArrayList<>();

        assertThatThrownBy(() -> engine.createStandby(
                        new StandbyCreation(dir, 5433, spec(), false, Duration.ofSeconds(30)), progress::add))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessage("create standby at " + dir + ": " + dir
                        + " holds a PostgreSQL 15 cluster (stopped); confirm replacing it");
        assertThat(progress).isEmpty();
        assertThat(engine.recognizes(dir)).isTrue();
        assertThat(new TargetDirectory(dir).marker()).doesNotExist();
    }

    @Test
    void refusesToReplaceOtherFilesWithoutConfirmation() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> engine.createStandby(
                        new StandbyCreation(tmp, 5433, spec(), false, Duration.ofSeconds(30)), p -> {}))
                .isInstanceOf(EngineException.class)
                .hasMessageEndingWith(tmp + " is not empty and holds no PostgreSQL cluster; confirm replacing it");
        assertThat(tmp.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void saysAnUnreachablePrimaryIsTransientBeforeChangingAnything() throws IOException {
        Path dir = tmp.resolve("standby");

        assertThatThrownBy(() -> engine.createStandby(
                        new StandbyCreation(dir, 5433, spec(), false, Duration.ofSeconds(30)), p -> {}))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT))
                .hasMessageStartingWith("create standby at " + dir + ": cannot connect to the primary 127.0.0.1:1"
                        + " as repl for replication: ");
        assertThat(dir).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void refusesWalShippingWithoutItsShippingSettings() {
        ReplicationSpec shipping = new ReplicationSpec(
                ReplicationMethod.WAL_SHIPPING, StandbyMode.HOT, "s", "repl", Secret.of("pw"), "h", 1, "h", "a");

        assertThatThrownBy(() -> engine.createStandby(
                        new StandbyCreation(tmp, 5433, shipping, false, Duration.ofSeconds(30)), p -> {}))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageContaining("WAL_SHIPPING without its shipping settings");
    }

    @Test
    void movesAsideUnderATimestampedNameWithoutDeleting() throws IOException {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        Instant at = LocalDateTime.of(2026, 3, 4, 5, 6, 7)
                .atZone(ZoneId.systemDefault())
                .toInstant();

        Path first = new TargetDirectory(dir).moveAside(at);
        FakeDataDirectory.create(dir, "15");
        Path second = new TargetDirectory(dir).moveAside(at);

        assertThat(first).isEqualTo(tmp.resolve("d.replaced-20260304-050607"));
        assertThat(second).isEqualTo(tmp.resolve("d.replaced-20260304-050607-2"));
        assertThat(first.resolve("PG_VERSION")).exists();
        assertThat(dir).doesNotExist();
    }

    @Test
    void keepsItsMarkerBesideTheDirectory() {
        TargetDirectory target = new TargetDirectory(tmp.resolve("data"));

        target.writeMarker("creating", Optional.empty());

        assertThat(target.marker()).isEqualTo(tmp.resolve("data.understudy-creating"));
        assertThat(target.hasMarker()).isTrue();
        target.removeMarker();
        target.removeMarker();
        assertThat(target.hasMarker()).isFalse();
    }

    @Test
    void inspectsAStoppedStandbyItConfiguredAsItsOwnUnfinishedCopy() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        RecoveryConfig.write(dir, spec(), 5433, Optional.empty());

        assertThat(engine.inspect(dir)).isEqualTo(new TargetInspection(true, false, true, "15", false, null, true));
        assertThat(engine.inspect(dir).needsConfirmation()).isFalse();
    }

    @Test
    void aRunningStandbyItConfiguredStillNeedsConfirmation() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        RecoveryConfig.write(dir, spec(), 5433, Optional.empty());
        FakeDataDirectory.write(
                dir, PostmasterPid.FILE_NAME, ProcessHandle.current().pid() + "\n" + dir + "\n");
        TargetInspection seen = engine.inspect(dir);

        assertThat(seen.unfinishedCopy()).isFalse();
        assertThat(seen.needsConfirmation()).isTrue();
        assertThat(new TargetDirectory(dir).ownStandby(spec(), seen, PostgresEngine.commandRunner(null)))
                .isEqualTo(TargetDirectory.OwnStandby.NONE);
    }

    @Test
    void tellsItsOwnStandbyCopyByItsBackupLabelAndClusterState() throws IOException {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        RecoveryConfig.write(dir, spec(), 5433, Optional.empty());
        TargetDirectory target = new TargetDirectory(dir);
        var runner = PostgresEngine.commandRunner(null);

        FakeDataDirectory.write(dir, TargetDirectory.BACKUP_LABEL, "START WAL LOCATION: 0/2000028\n");
        assertThat(target.ownStandby(spec(), engine.inspect(dir), runner))
                .isEqualTo(TargetDirectory.OwnStandby.NEVER_STARTED);
        ReplicationSpec otherSlot = new ReplicationSpec(
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT,
                "understudy_other",
                "repl",
                Secret.of("pw"),
                "127.0.0.1",
                1,
                "127.0.0.1",
                "sales");
        assertThat(target.ownStandby(otherSlot, engine.inspect(dir), runner))
                .isEqualTo(TargetDirectory.OwnStandby.NONE);

        Files.delete(dir.resolve(TargetDirectory.BACKUP_LABEL));
        // the fake pg_control does not read: not a copy a standby can go on from
        assertThat(target.ownStandby(spec(), engine.inspect(dir), runner))
                .isEqualTo(TargetDirectory.OwnStandby.INCONSISTENT);
        assertThat(TargetDirectory.classify("in archive recovery")).isEqualTo(TargetDirectory.OwnStandby.STARTED);
        assertThat(TargetDirectory.classify("shut down in recovery")).isEqualTo(TargetDirectory.OwnStandby.STARTED);
        assertThat(TargetDirectory.classify("in production")).isEqualTo(TargetDirectory.OwnStandby.INCONSISTENT);
        assertThat(TargetDirectory.classify("shut down")).isEqualTo(TargetDirectory.OwnStandby.INCONSISTENT);
        assertThat(TargetDirectory.classify(null)).isEqualTo(TargetDirectory.OwnStandby.INCONSISTENT);
    }

    @Test
    void takesItsOwnStandbyCopyForTheSamePrimaryWithoutConfirmationButReachesThePrimaryFirst() throws IOException {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        RecoveryConfig.write(dir, spec(), 5433, Optional.empty());
        FakeDataDirectory.write(dir, TargetDirectory.BACKUP_LABEL, "START WAL LOCATION: 0/2000028\n");
        String before = Files.readString(dir.resolve(RecoveryConfig.AUTO_CONF));

        assertThatThrownBy(() -> engine.createStandby(
                        new StandbyCreation(dir, 5434, spec(), false, Duration.ofSeconds(30)), p -> {}))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT))
                .hasMessageContaining("cannot connect to the primary 127.0.0.1:1");
        assertThat(dir.resolve(RecoveryConfig.AUTO_CONF)).hasContent(before);
        assertThat(dir.resolve(TargetDirectory.BACKUP_LABEL)).exists();
    }

    @Test
    void refusesToReplaceItsOwnStandbyOfAnotherPrimaryWithoutConfirmation() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        ReplicationSpec other = new ReplicationSpec(
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT,
                "understudy_other",
                "repl",
                Secret.of("pw"),
                "127.0.0.1",
                1,
                "127.0.0.1",
                "other");
        RecoveryConfig.write(dir, other, 5433, Optional.empty());
        FakeDataDirectory.write(dir, TargetDirectory.BACKUP_LABEL, "START WAL LOCATION: 0/2000028\n");

        assertThatThrownBy(() -> engine.createStandby(
                        new StandbyCreation(dir, 5433, spec(), false, Duration.ofSeconds(30)), p -> {}))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageEndingWith(" holds a PostgreSQL 15 cluster (stopped); confirm replacing it");
        assertThat(RecoveryConfig.isStandbyOf(dir, other)).isTrue();
    }

    @Test
    void emptiesWhatAnUnfinishedCopyLeft() throws IOException {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        Files.createDirectories(dir.resolve("base/1"));
        Files.writeString(dir.resolve("base/1/1259"), "half");

        new TargetDirectory(dir).prepareEmpty(Optional.empty());

        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
        assertThat(engine.inspect(dir).empty()).isTrue();
    }
}
