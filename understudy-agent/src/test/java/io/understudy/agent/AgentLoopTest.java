package io.understudy.agent;

import static io.understudy.core.state.NodeState.CATCHINGUP;
import static io.understudy.core.state.NodeState.DEMOTED;
import static io.understudy.core.state.NodeState.PRIMARY;
import static io.understudy.core.state.NodeState.SECONDARY;
import static io.understudy.core.state.NodeState.SINGLE;
import static io.understudy.core.state.NodeState.WAIT_PRIMARY;
import static io.understudy.core.state.NodeState.WAIT_STANDBY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.core.state.NodeState;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopTest {
    private static final ReplicationSpec REPLICATION = new ReplicationSpec(
            ReplicationMethod.WAL_STREAMING,
            StandbyMode.HOT,
            "understudy_sales",
            "understudy_replication",
            Secret.of("s3cret-Pa55"),
            "127.0.0.1",
            5432,
            "127.0.0.1",
            "sales_psql2");

    @TempDir
    Path tmp;

    private Path primaryDir;
    private Path standbyDir;
    private Path stateDir;
    private FakeInstance primary;
    private FakeEngine engine;
    private FakeCenter center;
    private StateFile stateFile;
    private LongAction longAction;
    private Databases databases;
    private MutableClock clock;
    private AgentLoop loop;
    /** The waits of the long steps' retries, which this fake does not wait unless the gate is shut. */
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    private volatile CountDownLatch pauseGate = new CountDownLatch(0);

    @BeforeEach
    void startAgent() {
        primaryDir = tmp.resolve("db1");
        standbyDir = tmp.resolve("db2");
        stateDir = tmp.resolve("state");
        primary = FakeInstance.primary(primaryDir, 5432);
        engine = new FakeEngine().with(primary, primaryDir);
        center = new FakeCenter();
        stateFile = StateFile.open(stateDir);
        longAction = new LongAction(InstantSource.fixed(FakeEngine.NOW));
        databases = Databases.open(List.of(engine), List.of(primaryDir), InstanceConfig::local);
        clock = new MutableClock(FakeEngine.NOW);
        Backoff backoff = new Backoff(Backoff.STANDARD.delays(), delay -> {
            pauses.add(delay);
            FakeInstance.await(pauseGate, "the retry's wait");
        });
        loop = new AgentLoop("psql1", databases, center, stateFile, longAction, List.of("16"), clock, backoff);
    }

    @AfterEach
    void stopAgent() {
        pauseGate.countDown();
        engine.creationGate.countDown();
        engine.inspectionGate.countDown();
        primary.prepareGate.countDown();
        longAction.close();
        databases.close();
    }

    private static Goal goal(Path dir, NodeState state, String operationId, boolean replaceExisting) {
        return new Goal(
                "sales",
                1,
                dir.toString(),
                dir.getFileName().toString().equals("db1") ? 5432 : 5433,
                state,
                operationId,
                state == SINGLE || state == WAIT_STANDBY ? null : REPLICATION,
                replaceExisting);
    }

    private static Goal goal(Path dir, NodeState state) {
        return goal(dir, state, "op-1", false);
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(10)).until(() -> longAction.running().isEmpty());
    }

    private @Nullable NodeState recorded(Path dir) {
        return StateFile.open(stateDir)
                .entry(dir)
                .map(StateFile.Entry::reportedState)
                .orElse(null);
    }

    @Test
    void createsTheStandbyThenStartsItReportingProgressMeanwhileAndRecordsCatchingUpBeforeReportingIt() {
        List<@Nullable NodeState> onDiskWhenReportedCatchingUp = new CopyOnWriteArrayList<>();
        center.onReport = report -> report.nodes().stream()
                .filter(n -> n.reportedState() == CATCHINGUP)
                .forEach(n -> onDiskWhenReportedCatchingUp.add(recorded(standbyDir)));
        center.sends(goal(standbyDir, WAIT_STANDBY));
        loop.runOnce();
        loop.runOnce();
        NodeStatus waiting = center.lastNode(standbyDir.toString());
        assertThat(waiting.reportedState()).isEqualTo(WAIT_STANDBY);
        assertThat(waiting.target()).isNotNull();
        assertThat(waiting.target().holdsCluster()).isFalse();
        assertThat(engine.creations).isEmpty();
        assertThat(engine.inspected).containsExactly(standbyDir);

        engine.creationGate = new CountDownLatch(1);
        center.sends(goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        await().atMost(Duration.ofSeconds(10)).until(() -> longAction
                .running()
                .map(r -> r.progress().phase().equals("copying files"))
                .orElse(false));
        clock.advance(Duration.ofSeconds(10));
        loop.runOnce();
        NodeStatus copying = center.lastNode(standbyDir.toString());
        assertThat(copying.target())
                .as("never inspected while the copy works on it")
                .isNull();
        assertThat(copying.reportedState()).isEqualTo(WAIT_STANDBY);
        assertThat(copying.progress()).isNotNull();
        assertThat(copying.progress().bytesDone()).isEqualTo(10);
        assertThat(copying.progress().bytesTotal()).isEqualTo(100);
        assertThat(copying.operationId()).isEqualTo("op-1");
        assertThat(engine.creations).hasSize(1);

        engine.creationGate.countDown();
        awaitIdle();
        assertThat(engine.creations.get(0).dataDirectory()).isEqualTo(standbyDir);
        assertThat(engine.creations.get(0).port()).isEqualTo(5433);
        assertThat(engine.creations.get(0).replication()).isEqualTo(REPLICATION);
        assertThat(engine.creations.get(0).replaceExisting()).isFalse();
        assertThat(engine.creations.get(0).timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(engine.clusters.get(standbyDir).startCalls).hasValue(1);

        loop.runOnce();
        NodeStatus caughtUp = center.lastNode(standbyDir.toString());
        assertThat(caughtUp.reportedState()).isEqualTo(CATCHINGUP);
        assertThat(caughtUp.progress()).isNull();
        assertThat(caughtUp.failure()).isNull();
        assertThat(caughtUp.epoch()).isEqualTo(1);
        assertThat(onDiskWhenReportedCatchingUp).isNotEmpty().containsOnly(CATCHINGUP);
        assertThat(center.lastReport().databases())
                .as("the new standby is observed like the others")
                .extracting(o -> o.dataDirectory())
                .containsExactly(primaryDir.toString(), standbyDir.toString());
        assertThat(engine.creations).as("created once").hasSize(1);
        assertThat(engine.inspected)
                .as("inspected while it waited only, not during the copy nor once it holds the standby")
                .containsExactly(standbyDir);
    }

    @Test
    void reportsAFailureAndTriesAgainOnlyWhenTheGoalIsSentAgain() {
        stateFile.record(new StateFile.Entry("sales", standbyDir.toString(), WAIT_STANDBY, 1, "op-1"));
        engine.creationFailure =
                new EngineException(Failure.PERMANENT, standbyDir + " holds a cluster; replacing it was not confirmed");
        center.sends(goal(standbyDir, CATCHINGUP, "op-1", false));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        NodeStatus failed = center.lastNode(standbyDir.toString());
        assertThat(failed.reportedState()).isEqualTo(WAIT_STANDBY);
        assertThat(failed.progress()).isNull();
        assertThat(failed.failure())
                .isEqualTo("create the standby failed (permanent): " + standbyDir
                        + " holds a cluster; replacing it was not confirmed");
        assertThat(longAction.running())
                .as("the same goal again is not a new attempt")
                .isEmpty();
        loop.runOnce();
        assertThat(longAction.running()).isEmpty();
        assertThat(engine.creations).hasSize(1);
        assertThat(recorded(standbyDir)).isEqualTo(WAIT_STANDBY);
        assertThat(pauses)
                .as("a permanent failure is reported at once, never retried")
                .isEmpty();

        engine.creationFailure = null;
        center.sends(goal(standbyDir, CATCHINGUP, "op-2", true));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        NodeStatus created = center.lastNode(standbyDir.toString());
        assertThat(created.reportedState()).isEqualTo(CATCHINGUP);
        assertThat(created.failure()).isNull();
        assertThat(created.operationId()).isEqualTo("op-2");
        assertThat(engine.creations).hasSize(2);
        assertThat(engine.creations.get(1).replaceExisting()).isTrue();
    }

    @Test
    void neverReportsTheReplicationPasswordInAFailure() {
        engine.creationFailure =
                new EngineException(Failure.PERMANENT, "password s3cret-Pa55 refused for understudy_replication");
        center.sends(goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        assertThat(center.lastNode(standbyDir.toString()).failure())
                .doesNotContain("s3cret-Pa55")
                .contains("password ******** refused");
    }

    @Test
    void preparesThePrimaryOnceOnItsWayFromSingleToWaitPrimary() {
        center.sends(goal(primaryDir, SINGLE));
        loop.runOnce();
        assertThat(recorded(primaryDir)).isEqualTo(SINGLE);

        primary.restartNotice = "restarting the primary to apply wal_log_hints";
        primary.prepareGate = new CountDownLatch(1);
        center.sends(goal(primaryDir, WAIT_PRIMARY));
        loop.runOnce();
        await().atMost(Duration.ofSeconds(10)).until(() -> longAction
                .running()
                .map(r -> r.progress().phase().equals("restarting the primary to apply wal_log_hints"))
                .orElse(false));
        loop.runOnce();
        assertThat(center.lastNode(primaryDir.toString()).progress().phase())
                .isEqualTo("restarting the primary to apply wal_log_hints");
        assertThat(center.lastReport().databases())
                .as("the primary is still observed while it is prepared")
                .hasSize(1);

        primary.prepareGate.countDown();
        awaitIdle();
        loop.runOnce();
        loop.runOnce();
        assertThat(primary.prepareCalls).hasValue(1);
        assertThat(primary.preparedFor).isEqualTo(REPLICATION);
        assertThat(center.lastNode(primaryDir.toString()).reportedState()).isEqualTo(WAIT_PRIMARY);
        assertThat(recorded(primaryDir)).isEqualTo(WAIT_PRIMARY);
    }

    @Test
    void reachesPrimaryFromWaitPrimaryWithoutTouchingTheDatabase() {
        stateFile.record(new StateFile.Entry("sales", primaryDir.toString(), WAIT_PRIMARY, 1, "op-1"));
        center.sends(goal(primaryDir, PRIMARY));
        loop.runOnce();
        loop.runOnce();
        assertThat(center.lastNode(primaryDir.toString()).reportedState()).isEqualTo(PRIMARY);
        assertThat(primary.prepareCalls).hasValue(0);
        assertThat(longAction.lastOutcome()).isEmpty();
    }

    @Test
    void adoptsARunningPrimaryAfterARestartWithoutStateButNotOneThatIsDown() {
        primary.runs(false);
        center.sends(goal(primaryDir, PRIMARY));
        loop.runOnce();
        loop.runOnce();
        NodeStatus refused = center.lastNode(primaryDir.toString());
        assertThat(refused.reportedState()).isNull();
        assertThat(refused.failure()).contains("cannot adopt " + primaryDir + " as the primary: it does not run");

        primary.runs(true);
        loop.runOnce();
        loop.runOnce();
        NodeStatus adopted = center.lastNode(primaryDir.toString());
        assertThat(adopted.reportedState()).isEqualTo(PRIMARY);
        assertThat(adopted.failure()).isNull();
    }

    @Test
    void reportsAGoalTheTableHasNoRowForAndDoesNothing() {
        stateFile.record(new StateFile.Entry("sales", primaryDir.toString(), SINGLE, 1, "op-1"));
        center.sends(goal(primaryDir, SECONDARY));
        loop.runOnce();
        loop.runOnce();
        NodeStatus status = center.lastNode(primaryDir.toString());
        assertThat(status.reportedState()).isEqualTo(SINGLE);
        assertThat(status.failure()).isEqualTo("no transition from SINGLE to SECONDARY");
        assertThat(longAction.running()).isEmpty();
    }

    @Test
    void keepsTheLastGoalsAndKeepsReportingWhileTheControlCenterIsUnreachable() {
        center.sends(goal(standbyDir, WAIT_STANDBY));
        loop.runOnce();
        center.reachable = false;
        loop.runOnce();
        loop.runOnce();
        assertThat(loop.latestNodes())
                .extracting(NodeStatus::dataDirectory, NodeStatus::reportedState)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(standbyDir.toString(), WAIT_STANDBY));

        center.reachable = true;
        loop.runOnce();
        assertThat(center.lastNode(standbyDir.toString()).reportedState()).isEqualTo(WAIT_STANDBY);
    }

    @Test
    void reportsReplicationAndTheInstalledVersionsAndForgetsADirectoryNoGoalNamesAnyMore() {
        primary.replicationIs(new ReplicationObservation(
                primaryDir.toString(),
                List.of(new ReplicaConnection(
                        "sales_psql2",
                        "127.0.0.1",
                        "streaming",
                        "0/3000060",
                        "0/3000060",
                        "0/3000060",
                        "0/3000060",
                        0L,
                        "async")),
                List.of(),
                null,
                null,
                null));
        engine.with(FakeInstance.stoppedStandby(standbyDir, 5433), standbyDir);
        stateFile.record(new StateFile.Entry("sales", standbyDir.toString(), CATCHINGUP, 1, "op-1"));
        center.sends(goal(primaryDir, SINGLE), goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        loop.runOnce();
        assertThat(center.lastReport().installedMajorVersions()).containsExactly("16");
        assertThat(center.lastReport().replication())
                .as("the running primary is asked; the stopped standby replicates nothing")
                .containsExactly(primary.observeReplication(), ReplicationObservation.none(standbyDir.toString()));
        assertThat(center.lastReport().replication().get(0).replicas()).hasSize(1);
        assertThat(center.lastReport().databases()).hasSize(2);

        center.sends(goal(primaryDir, SINGLE));
        loop.runOnce();
        loop.runOnce();
        assertThat(recorded(standbyDir))
                .as("the configuration no longer names it")
                .isNull();
        assertThat(center.lastReport().databases())
                .extracting(o -> o.dataDirectory())
                .containsExactly(primaryDir.toString());
        assertThat(engine.clusters.get(standbyDir).stopCalls)
                .as("never stopped")
                .hasValue(0);
    }

    @Test
    void saysADatabaseThatStoppedReplicatesNothingSoItsLastStreamingRowGoes() {
        ReplicationObservation streaming = new ReplicationObservation(
                primaryDir.toString(),
                List.of(new ReplicaConnection(
                        "sales_psql2",
                        "127.0.0.1",
                        "streaming",
                        "0/3000060",
                        "0/3000060",
                        "0/3000060",
                        "0/3000060",
                        0L,
                        "async")),
                List.of(),
                null,
                null,
                null);
        primary.replicationIs(streaming);
        center.sends(goal(primaryDir, SINGLE));
        loop.runOnce();
        assertThat(center.lastReport().replication()).containsExactly(streaming);

        primary.runs(false);
        loop.runOnce();
        assertThat(center.lastReport().databases())
                .singleElement()
                .extracting(o -> o.running())
                .isEqualTo(false);
        assertThat(center.lastReport().replication())
                .containsExactly(ReplicationObservation.none(primaryDir.toString()));
    }

    @Test
    void retriesATransientFailureOfTheCopyInPlaceSayingSoThenCreatesTheStandby() {
        engine.creationFailures.add(new EngineException(Failure.TRANSIENT, "the primary did not answer"));
        engine.creationFailures.add(new EngineException(Failure.TRANSIENT, "the copy broke off"));
        pauseGate = new CountDownLatch(1);
        center.sends(goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        await().atMost(Duration.ofSeconds(10)).until(() -> longAction
                .running()
                .map(r -> r.progress().phase().equals("retrying in 2 s after: the primary did not answer"))
                .orElse(false));
        loop.runOnce();
        NodeStatus retrying = center.lastNode(standbyDir.toString());
        assertThat(retrying.progress().phase()).isEqualTo("retrying in 2 s after: the primary did not answer");
        assertThat(retrying.failure()).as("not failed yet").isNull();

        pauseGate.countDown();
        awaitIdle();
        loop.runOnce();
        NodeStatus created = center.lastNode(standbyDir.toString());
        assertThat(created.reportedState()).isEqualTo(CATCHINGUP);
        assertThat(created.failure()).isNull();
        assertThat(engine.creations).hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void reportsATransientFailureAfterThreeRetriesAndThenWaitsForANewGoal() {
        engine.creationFailure = new EngineException(
                Failure.TRANSIENT, "pg_basebackup exited 1: could not connect with password s3cret-Pa55");
        center.sends(goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        loop.runOnce();
        assertThat(center.lastNode(standbyDir.toString()).failure())
                .isEqualTo("create the standby failed (transient) after 3 retries:"
                        + " pg_basebackup exited 1: could not connect with password ********");
        assertThat(engine.creations).as("the first attempt and three retries").hasSize(4);
        assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertThat(recorded(standbyDir)).isNull();
    }

    @Test
    void stopsRetryingWhenTheGoalChanges() {
        engine.creationFailure = new EngineException(Failure.TRANSIENT, "the primary did not answer");
        pauseGate = new CountDownLatch(1);
        center.sends(goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        await().atMost(Duration.ofSeconds(10)).until(() -> pauses.size() == 1);
        center.sends(goal(standbyDir, WAIT_STANDBY, "op-2", false)); // the operation was cancelled
        loop.runOnce();
        pauseGate.countDown();
        awaitIdle();
        loop.runOnce();
        assertThat(engine.creations)
                .as("not tried again for a goal that no longer holds")
                .hasSize(1);
        assertThat(recorded(standbyDir)).isEqualTo(WAIT_STANDBY);
        assertThat(center.lastNode(standbyDir.toString()).failure()).isNull();
    }

    @Test
    void recordsAnErrorInALongStepAsAFailureAndDoesNotRunTheStepAgainEveryTick() {
        engine.creationFailure = new AssertionError("a bug in the copy");
        center.sends(goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        loop.runOnce();
        awaitIdle();
        NodeStatus failed = center.lastNode(standbyDir.toString());
        assertThat(failed.failure())
                .isEqualTo("create the standby failed unexpectedly: AssertionError: a bug in the copy");
        assertThat(failed.reportedState()).isNull();
        assertThat(recorded(standbyDir)).as("never taken for success").isNull();
        assertThat(engine.creations).as("run once, not every tick").hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void preparesThePrimaryAgainWhenACreationIsRetriedAfterTheControlCenterSentItBackToSingle() {
        stateFile.record(new StateFile.Entry("sales", primaryDir.toString(), SINGLE, 1, "op-1"));
        primary.prepareFailure = new EngineException(Failure.PERMANENT, "pg_hba.conf is not writable");
        center.sends(goal(primaryDir, WAIT_PRIMARY));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        assertThat(center.lastNode(primaryDir.toString()).failure())
                .isEqualTo("prepare the primary failed (permanent): pg_hba.conf is not writable");

        primary.prepareFailure = null;
        center.sends(goal(primaryDir, WAIT_PRIMARY, "op-2", false));
        loop.runOnce();
        awaitIdle();
        assertThat(recorded(primaryDir)).isEqualTo(WAIT_PRIMARY);

        center.sends(goal(primaryDir, SINGLE, "op-2", false)); // the creation failed on the standby's side
        loop.runOnce();
        loop.runOnce();
        assertThat(recorded(primaryDir)).isEqualTo(SINGLE);
        assertThat(center.lastNode(primaryDir.toString()).failure()).isNull();
        assertThat(longAction.running()).as("nothing to undo").isEmpty();

        center.sends(goal(primaryDir, WAIT_PRIMARY, "op-3", false));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        assertThat(recorded(primaryDir)).isEqualTo(WAIT_PRIMARY);
        assertThat(primary.prepareCalls).as("prepared again on the retry").hasValue(3);
    }

    @Test
    void inspectsAWaitingTargetWhenItsGoalChangesAndOtherwiseAtMostEveryFiveSeconds() {
        center.sends(goal(standbyDir, WAIT_STANDBY));
        loop.runOnce();
        loop.runOnce();
        assertThat(engine.inspected).hasSize(1);
        assertThat(center.lastNode(standbyDir.toString()).target()).isNotNull();

        loop.runOnce();
        assertThat(center.lastNode(standbyDir.toString()).target())
                .as("an inspection is reported until delivered; the Control Center keeps it")
                .isNull();
        clock.advance(Duration.ofSeconds(4));
        loop.runOnce();
        assertThat(engine.inspected).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        loop.runOnce();
        assertThat(engine.inspected).hasSize(2);
        assertThat(center.lastNode(standbyDir.toString()).target()).isNotNull();

        center.sends(goal(standbyDir, WAIT_STANDBY, "op-2", true));
        loop.runOnce();
        loop.runOnce();
        assertThat(engine.inspected).as("the goal changed").hasSize(3);
        assertThat(center.lastNode(standbyDir.toString()).target()).isNotNull();

        center.sends(goal(primaryDir, SINGLE));
        loop.runOnce();
        clock.advance(Duration.ofSeconds(10));
        loop.runOnce();
        loop.runOnce();
        assertThat(engine.inspected).as("neither a former target nor a primary").hasSize(3);
    }

    @Test
    void aSlowInspectionDelaysNoReportAndTheCopyWaitsForIt() {
        engine.inspectionGate = new CountDownLatch(1);
        center.sends(goal(standbyDir, WAIT_STANDBY));
        loop.runOnce();
        assertTimeout(Duration.ofSeconds(3), loop::runOnce, "the report waits the probes' deadline at most");
        assertThat(engine.inspected).hasSize(1);
        assertThat(center.lastNode(standbyDir.toString()).target())
                .as("not inspected yet")
                .isNull();

        center.sends(goal(standbyDir, CATCHINGUP));
        assertTimeout(Duration.ofSeconds(3), loop::runOnce);
        assertThat(longAction.running()).as("the copy waits for the inspection").isEmpty();
        assertThat(engine.creations).isEmpty();
        assertThat(engine.inspected).as("never two at once").hasSize(1);

        engine.inspectionGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.inspectionsEnded.get() == 1);
        loop.runOnce();
        awaitIdle();
        loop.runOnce();
        assertThat(engine.creations).hasSize(1);
        assertThat(center.lastNode(standbyDir.toString()).reportedState()).isEqualTo(CATCHINGUP);
    }

    @Test
    void stopsARunningPrimaryForAGoalDemotedAndReportsItsShutdownCheckpoint() {
        stateFile.record(new StateFile.Entry("sales", primaryDir.toString(), PRIMARY, 1, "op-0"));
        center.sends(goal(primaryDir, DEMOTED));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();

        NodeStatus demoted = center.lastNode(primaryDir.toString());
        assertThat(demoted.reportedState()).isEqualTo(DEMOTED);
        assertThat(demoted.failure()).isNull();
        assertThat(demoted.checkpointLsn()).isEqualTo(FakeInstance.SHUTDOWN_CHECKPOINT);
        assertThat(primary.executed)
                .as("a checkpoint first, so that the shutdown is short")
                .containsExactly("CHECKPOINT");
        assertThat(primary.stopCalls).hasValue(1);
        assertThat(recorded(primaryDir)).isEqualTo(DEMOTED);
        assertThat(center.lastReport().databases()).extracting(o -> o.running()).containsExactly(false);
    }

    @Test
    void promotesASecondaryOnceItReplayedTheOldPrimarysShutdownCheckpointThenPreparesItAsAPrimary() {
        FakeInstance standby = FakeInstance.stoppedStandby(standbyDir, 5433);
        standby.runs(true);
        engine.with(standby, standbyDir);
        stateFile.record(new StateFile.Entry("sales", standbyDir.toString(), SECONDARY, 1, "op-0"));
        center.sends(new Goal(
                "sales", 2, standbyDir.toString(), 5433, WAIT_PRIMARY, "op-1", REPLICATION, false, "0/3000028", false));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();

        assertThat(standby.promoteCalls).hasValue(1);
        assertThat(standby.promotedAfter).isEqualTo("0/3000028");
        assertThat(standby.prepareCalls)
                .as("prepared for the old primary as its standby")
                .hasValue(1);
        NodeStatus promoted = center.lastNode(standbyDir.toString());
        assertThat(promoted.reportedState()).isEqualTo(WAIT_PRIMARY);
        assertThat(promoted.epoch()).isEqualTo(2);
        assertThat(promoted.failure()).isNull();
    }

    @Test
    void rejoinsADemotedDatabaseAsAStandbyWithARewindAndStartsIt() {
        primary.runs(false);
        stateFile.record(new StateFile.Entry("sales", primaryDir.toString(), DEMOTED, 2, "op-1"));
        center.sends(
                new Goal("sales", 2, primaryDir.toString(), 5432, CATCHINGUP, "op-2", REPLICATION, false, null, true));
        loop.runOnce();
        awaitIdle();
        loop.runOnce();

        assertThat(engine.rejoins).hasSize(1);
        assertThat(engine.rejoins.get(0).rewind()).isTrue();
        assertThat(engine.rejoins.get(0).dataDirectory()).isEqualTo(primaryDir);
        assertThat(engine.rejoins.get(0).replication()).isEqualTo(REPLICATION);
        assertThat(primary.startCalls).hasValue(1);
        NodeStatus rejoined = center.lastNode(primaryDir.toString());
        assertThat(rejoined.reportedState()).isEqualTo(CATCHINGUP);
        assertThat(rejoined.failure()).isNull();
        assertThat(rejoined.checkpointLsn()).isNull();
        assertThat(primary.observe().role()).isEqualTo(io.understudy.core.database.Role.STANDBY);
        assertThat(primary.observe().running()).isTrue();
    }

    @Test
    void refusesAGoalFromAnOlderEpochThanTheOneItServesAndRunsNothing() {
        stateFile.record(new StateFile.Entry("sales", primaryDir.toString(), PRIMARY, 3, "op-2"));
        center.sends(
                new Goal("sales", 2, primaryDir.toString(), 5432, DEMOTED, "op-1", REPLICATION, false, null, false));
        loop.runOnce();
        loop.runOnce();

        NodeStatus refused = center.lastNode(primaryDir.toString());
        assertThat(refused.reportedState()).isEqualTo(PRIMARY);
        assertThat(refused.epoch()).isEqualTo(3);
        assertThat(refused.failure()).contains("epoch 2").contains("epoch 3").contains("older");
        assertThat(longAction.lastOutcome()).as("no step ran").isEmpty();
        assertThat(primary.stopCalls).hasValue(0);
        assertThat(primary.observe().running()).isTrue();
        assertThat(recorded(primaryDir)).isEqualTo(PRIMARY);
    }
}
