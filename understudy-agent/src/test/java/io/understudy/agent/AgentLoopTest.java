package io.understudy.agent;

import static io.understudy.core.state.NodeState.CATCHINGUP;
import static io.understudy.core.state.NodeState.PRIMARY;
import static io.understudy.core.state.NodeState.SECONDARY;
import static io.understudy.core.state.NodeState.SINGLE;
import static io.understudy.core.state.NodeState.WAIT_PRIMARY;
import static io.understudy.core.state.NodeState.WAIT_STANDBY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    private AgentLoop loop;

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
        loop = new AgentLoop(
                "psql1", databases, center, stateFile, longAction, List.of("16"), InstantSource.fixed(FakeEngine.NOW));
    }

    @AfterEach
    void stopAgent() {
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

        engine.creationGate = new CountDownLatch(1);
        center.sends(goal(standbyDir, CATCHINGUP));
        loop.runOnce();
        await().atMost(Duration.ofSeconds(10)).until(() -> longAction
                .running()
                .map(r -> r.progress().phase().equals("copying files"))
                .orElse(false));
        loop.runOnce();
        NodeStatus copying = center.lastNode(standbyDir.toString());
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
                .as("only the running primary is asked")
                .extracting(ReplicationObservation::dataDirectory)
                .containsExactly(primaryDir.toString());
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
}
