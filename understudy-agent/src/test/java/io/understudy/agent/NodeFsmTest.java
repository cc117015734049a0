package io.understudy.agent;

import static io.understudy.core.state.NodeState.CATCHINGUP;
import static io.understudy.core.state.NodeState.DEMOTED;
import static io.understudy.core.state.NodeState.PRIMARY;
import static io.understudy.core.state.NodeState.SECONDARY;
import static io.understudy.core.state.NodeState.SINGLE;
import static io.understudy.core.state.NodeState.WAIT_PRIMARY;
import static io.understudy.core.state.NodeState.WAIT_STANDBY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.core.state.NodeState;
import io.understudy.engine.EngineException;
import io.understudy.engine.InstanceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class NodeFsmTest {
    /** The diagram in the docs, which must match the table. */
    private static final Path DIAGRAM = Path.of("docs", "node-fsm.md");

    /**
     * Every (reported, goal) pair the Control Center can emit: the goal, and the states it is sent
     * from (null: no state yet). After a failed or cancelled creation the primary is sent back to
     * SINGLE (no standby yet) or PRIMARY, so that a retry prepares it again. A switchover or a
     * failover stops the old primary (DEMOTED) from wherever it is and promotes the standby
     * (WAIT_PRIMARY); the old primary then restarts as the primary (a rollback) or rejoins as a
     * standby (CATCHINGUP).
     */
    private static final Map<NodeState, List<@Nullable NodeState>> EMITTED = Map.of(
            SINGLE, Arrays.asList(null, WAIT_PRIMARY),
            WAIT_PRIMARY, Arrays.asList(null, SINGLE, PRIMARY, SECONDARY, CATCHINGUP),
            PRIMARY, Arrays.asList(null, WAIT_PRIMARY, DEMOTED),
            WAIT_STANDBY, Arrays.asList((NodeState) null),
            CATCHINGUP, Arrays.asList(null, WAIT_STANDBY, DEMOTED),
            SECONDARY, Arrays.asList(null, CATCHINGUP),
            DEMOTED, Arrays.asList(null, PRIMARY, WAIT_PRIMARY, SINGLE, SECONDARY, CATCHINGUP));

    private static final ReplicationSpec REPLICATION = new ReplicationSpec(
            ReplicationMethod.WAL_STREAMING,
            StandbyMode.WARM,
            "understudy_sales",
            "understudy_replication",
            Secret.of("secret"),
            "127.0.0.1",
            5432,
            "127.0.0.1",
            "sales_psql2");

    @Test
    void hasARowForEveryPairTheControlCenterEmits() {
        List<String> missing = new ArrayList<>();
        EMITTED.forEach((goal, froms) -> froms.forEach(from -> {
            try {
                NodeFsm.find(from, goal);
            } catch (IllegalStateException e) {
                missing.add(e.getMessage());
            }
        }));
        assertThat(missing).isEmpty();
    }

    @Test
    void failsLoudlyForAPairWithoutARow() {
        assertThatThrownBy(() -> NodeFsm.find(SECONDARY, SINGLE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no transition from SECONDARY to SINGLE");
        assertThatThrownBy(() -> NodeFsm.find(PRIMARY, WAIT_STANDBY))
                .hasMessage("no transition from PRIMARY to WAIT_STANDBY");
    }

    @Test
    void holdsNoRowToTheSameStateAndOneRowPerPair() {
        Set<String> pairs = new HashSet<>();
        for (NodeFsm.Transition t : NodeFsm.TABLE) {
            assertThat(t.from()).as("same state is nothing to do, never a row").isNotEqualTo(t.to());
            assertThat(pairs.add(t.from() + "→" + t.to()))
                    .as("one row for " + t.from() + " → " + t.to())
                    .isTrue();
        }
    }

    @Test
    void changesDatabasesOnlyInLongActions() {
        assertThat(NodeFsm.find(SINGLE, WAIT_PRIMARY).step().runs()).isEqualTo(NodeFsm.Runs.AS_LONG_ACTION);
        assertThat(NodeFsm.find(WAIT_STANDBY, CATCHINGUP).step().runs()).isEqualTo(NodeFsm.Runs.AS_LONG_ACTION);
        assertThat(NodeFsm.find(null, CATCHINGUP).step())
                .isSameAs(NodeFsm.find(WAIT_STANDBY, CATCHINGUP).step());
        assertThat(NodeFsm.find(null, WAIT_STANDBY).step()).isSameAs(Steps.NOTHING);
        assertThat(NodeFsm.find(CATCHINGUP, SECONDARY).step()).isSameAs(Steps.NOTHING);
    }

    @Test
    void sendsThePrimaryBackWithoutUndoingAnythingAndPreparesItAgainOnARetry() {
        assertThat(NodeFsm.find(WAIT_PRIMARY, SINGLE).step()).isSameAs(Steps.NOTHING);
        assertThat(NodeFsm.find(WAIT_PRIMARY, SINGLE).why())
                .isEqualTo("the operation failed or was cancelled; nothing to undo");
        assertThat(NodeFsm.find(WAIT_PRIMARY, PRIMARY).step()).isSameAs(Steps.NOTHING);
        assertThat(NodeFsm.find(SINGLE, WAIT_PRIMARY).step()).isSameAs(Steps.PREPARE_PRIMARY);
        assertThat(NodeFsm.find(PRIMARY, WAIT_PRIMARY).step()).isSameAs(Steps.PREPARE_PRIMARY);
    }

    @Test
    void stopsADatabaseFromAnyStateWithACleanShutdown() {
        for (NodeState from : Arrays.asList(null, PRIMARY, WAIT_PRIMARY, SINGLE, SECONDARY, CATCHINGUP)) {
            assertThat(NodeFsm.find(from, DEMOTED).step())
                    .as("%s → DEMOTED", from)
                    .isSameAs(Steps.DEMOTE);
        }
        assertThat(Steps.DEMOTE.runs()).isEqualTo(NodeFsm.Runs.AS_LONG_ACTION);
    }

    @Test
    void startsADemotedPrimaryAgainPromotesAStandbyAndRejoinsADemotedDatabase() {
        assertThat(NodeFsm.find(DEMOTED, PRIMARY).step()).isSameAs(Steps.START_PRIMARY);
        assertThat(NodeFsm.find(SECONDARY, WAIT_PRIMARY).step()).isSameAs(Steps.PROMOTE);
        assertThat(NodeFsm.find(CATCHINGUP, WAIT_PRIMARY).step()).isSameAs(Steps.PROMOTE);
        assertThat(NodeFsm.find(DEMOTED, CATCHINGUP).step()).isSameAs(Steps.REJOIN);
        assertThat(List.of(Steps.START_PRIMARY, Steps.PROMOTE, Steps.REJOIN))
                .extracting(NodeFsm.Step::runs)
                .containsOnly(NodeFsm.Runs.AS_LONG_ACTION);
    }

    @Test
    void diagramInTheDocsMatchesTheTable() throws IOException {
        String doc = Files.readString(DIAGRAM, StandardCharsets.UTF_8);
        int start = doc.indexOf("```mermaid\n") + "```mermaid\n".length();
        String checkedIn = doc.substring(start, doc.indexOf("```", start));
        assertThat(checkedIn)
                .as("%s is out of date: paste the output of `understudy agent fsm --mermaid`", DIAGRAM)
                .isEqualTo(NodeFsm.mermaid());
    }

    @Test
    void createsTheStandbyThenStartsIt() {
        Path dir = Path.of("/srv/db2");
        FakeEngine engine = new FakeEngine();
        List<ActionProgress> progress = new ArrayList<>();
        NodeFsm.reach(
                WAIT_STANDBY,
                CATCHINGUP,
                context(engine, dir, new Goal("sales", 1, dir.toString(), 5433, CATCHINGUP, "op-1", REPLICATION, true))
                        .withProgress(progress::add));
        assertThat(engine.creations).hasSize(1);
        assertThat(engine.creations.get(0).replaceExisting()).isTrue();
        assertThat(engine.clusters.get(dir).startCalls).hasValue(1);
        assertThat(progress)
                .extracting(ActionProgress::phase)
                .containsExactly("copying files", "done", "starting the standby");
    }

    @Test
    void refusesAGoalThatNeedsReplicationSettingsWithoutThem() {
        Path dir = Path.of("/srv/db2");
        FakeEngine engine = new FakeEngine();
        assertThatThrownBy(() -> NodeFsm.reach(
                        null,
                        CATCHINGUP,
                        context(
                                engine,
                                dir,
                                new Goal("sales", 1, dir.toString(), 5433, CATCHINGUP, null, null, false))))
                .hasMessage("the goal CATCHINGUP of configuration sales carries no replication settings");
        assertThat(engine.creations).isEmpty();
    }

    @Test
    void adoptsAStandbyOnlyWhenItRunsAsOne() {
        Path dir = Path.of("/srv/db2");
        FakeInstance standby = FakeInstance.stoppedStandby(dir, 5433);
        FakeEngine engine = new FakeEngine().with(standby, dir);
        Goal goal = new Goal("sales", 1, dir.toString(), 5433, SECONDARY, null, REPLICATION, false);
        assertThatThrownBy(() -> NodeFsm.reach(null, SECONDARY, context(engine, dir, goal, standby)))
                .isInstanceOf(EngineException.class)
                .hasMessage("cannot adopt /srv/db2 as the standby: it does not run (not running)");
        standby.runs(true);
        assertThatCode(() -> NodeFsm.reach(null, SECONDARY, context(engine, dir, goal, standby)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> NodeFsm.reach(null, PRIMARY, context(engine, dir, goal, standby)))
                .hasMessage("cannot adopt /srv/db2 as the primary: it runs as STANDBY");
    }

    @Test
    void demotesARunningPrimaryWithACheckpointThenAFastShutdown() {
        Path dir = Path.of("/srv/db1");
        FakeInstance primary = FakeInstance.primary(dir, 5432);
        FakeEngine engine = new FakeEngine().with(primary, dir);
        NodeFsm.reach(
                PRIMARY,
                DEMOTED,
                context(
                        engine,
                        dir,
                        new Goal("sales", 2, dir.toString(), 5432, DEMOTED, "op-1", REPLICATION, false),
                        primary));
        assertThat(primary.executed).containsExactly("CHECKPOINT");
        assertThat(primary.stopCalls).hasValue(1);
        assertThat(primary.shutdownCheckpoint()).hasValue(FakeInstance.SHUTDOWN_CHECKPOINT);
    }

    @Test
    void startsAgainAsThePrimaryOnlyADirectoryThatHoldsOne() {
        Path dir = Path.of("/srv/db1");
        FakeInstance rejoined = FakeInstance.stoppedStandby(dir, 5432);
        FakeEngine engine = new FakeEngine().with(rejoined, dir);
        Goal goal = new Goal("sales", 3, dir.toString(), 5432, PRIMARY, null, REPLICATION, false);
        assertThatThrownBy(() -> NodeFsm.reach(DEMOTED, PRIMARY, context(engine, dir, goal, rejoined)))
                .isInstanceOf(EngineException.class)
                .hasMessage("cannot start /srv/db1 as the primary again: it is configured as a STANDBY");
        assertThat(rejoined.startCalls).hasValue(0);
    }

    private static StepContext context(FakeEngine engine, Path dir, Goal goal) {
        return new StepContext(
                goal, dir, null, engine, InstanceConfig.local(dir), "test", FakeEngine.NOW, progress -> {});
    }

    private static StepContext context(FakeEngine engine, Path dir, Goal goal, FakeInstance seen) {
        return new StepContext(
                goal, dir, seen.observe(), engine, InstanceConfig.local(dir), "test", FakeEngine.NOW, progress -> {});
    }

    @Test
    void timeoutsAreTheOnesAgreed() {
        assertThat(Steps.CREATE_TIMEOUT).isEqualTo(Duration.ofMinutes(30));
        assertThat(Steps.PREPARE_TIMEOUT).isEqualTo(Duration.ofMinutes(2));
        assertThat(Steps.START_TIMEOUT).isEqualTo(Duration.ofMinutes(2));
    }
}
