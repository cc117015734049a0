package io.understudy.center.orchestrator;

import static io.understudy.center.orchestrator.Snapshots.EARLIER_OPERATION;
import static io.understudy.center.orchestrator.Snapshots.NOW;
import static io.understudy.center.orchestrator.Snapshots.OPERATION;
import static io.understudy.center.orchestrator.Snapshots.PRIMARY_DB;
import static io.understudy.center.orchestrator.Snapshots.STANDBY_DB;
import static io.understudy.center.orchestrator.Snapshots.replica;
import static io.understudy.core.state.NodeState.CATCHINGUP;
import static io.understudy.core.state.NodeState.PRIMARY;
import static io.understudy.core.state.NodeState.SECONDARY;
import static io.understudy.core.state.NodeState.SINGLE;
import static io.understudy.core.state.NodeState.WAIT_PRIMARY;
import static io.understudy.core.state.NodeState.WAIT_STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.center.orchestrator.Decision.Kind;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepState;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.state.NodeState;
import org.junit.jupiter.api.Test;

/** The rules of CREATE_STANDBY, against snapshots. Asserts kinds, goals and steps, not prose. */
class GroupStateMachineTest {
    private final GroupStateMachine machine = new GroupStateMachine();

    @Test
    void decidesNothingWhenNoOperationRuns() {
        Decision d = machine.decide(Snapshots.idle().build(), NOW);

        assertThat(d.kind()).isEqualTo(Kind.NOTHING);
        assertThat(d.goals()).isEmpty();
        assertThat(d.steps()).isEmpty();
        assertThat(d.operationOutcome()).isNull();
    }

    @Test
    void aNewOperationStartsByPreparingThePrimary() {
        Decision d = machine.decide(Snapshots.creatingStandby().build(), NOW);

        assertThat(d.kind()).isEqualTo(Kind.PREPARE_PRIMARY);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, WAIT_PRIMARY, OPERATION));
        assertThat(d.steps()).containsExactly(new StepChange(1, StepState.RUNNING, null));
        assertThat(d.operationOutcome()).isNull();
    }

    @Test
    void waitsWhileThePrimaryHasNotReachedWaitPrimary() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(1)
                        .primaryGoal(WAIT_PRIMARY, OPERATION)
                        .primaryReported(SINGLE, null)
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, WAIT_PRIMARY, OPERATION));
        assertThat(d.steps()).isEmpty();
    }

    @Test
    void aPrimaryPreparedForAnEarlierOperationDoesNotCount() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(1)
                        .primaryReported(WAIT_PRIMARY, EARLIER_OPERATION)
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
    }

    @Test
    void aPreparedPrimaryStartsTheStandbysCreation() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(1)
                        .primaryGoal(WAIT_PRIMARY, OPERATION)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.CREATE_STANDBY);
        assertThat(d.goals())
                .containsExactly(goal(PRIMARY_DB, WAIT_PRIMARY, OPERATION), goal(STANDBY_DB, CATCHINGUP, OPERATION));
        assertThat(d.steps())
                .extracting(StepChange::step, StepChange::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, StepState.DONE),
                        org.assertj.core.groups.Tuple.tuple(2, StepState.RUNNING));
    }

    @Test
    void waitsWhileTheStandbyIsBeingCopied() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(2)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .standbyReported(WAIT_STANDBY, OPERATION)
                        .standbyProgress("copying files")
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
        assertThat(d.goals())
                .containsExactly(goal(PRIMARY_DB, WAIT_PRIMARY, OPERATION), goal(STANDBY_DB, CATCHINGUP, OPERATION));
    }

    @Test
    void aStandbyCatchingUpStartsTheVerification() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(2)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .standbyReported(CATCHINGUP, OPERATION)
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.VERIFY_STREAMING);
        assertThat(d.steps())
                .extracting(StepChange::step, StepChange::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, StepState.DONE),
                        org.assertj.core.groups.Tuple.tuple(3, StepState.RUNNING));
        assertThat(d.operationOutcome()).isNull();
    }

    @Test
    void aStreamingStandbyEndsTheOperationWithPrimaryAndSecondary() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(3)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .standbyReported(CATCHINGUP, OPERATION)
                        .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.STANDBY_CREATED);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, PRIMARY, null), goal(STANDBY_DB, SECONDARY, null));
        assertThat(d.steps())
                .extracting(StepChange::step, StepChange::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, StepState.DONE));
        assertThat(d.operationOutcome()).isEqualTo(OperationState.SUCCEEDED);
    }

    @Test
    void aStandbyStillInCatchupKeepsTheVerificationWaiting() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(3)
                        .standbyReported(CATCHINGUP, OPERATION)
                        .primarySees(replica("catchup", "0/5000000", "0/4000000", "0/4000000", null))
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
        assertThat(d.operationOutcome()).isNull();
    }

    @Test
    void anotherApplicationStreamingDoesNotCount() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(3)
                        .primarySees(new io.understudy.core.protocol.ReplicaConnection(
                                "walreceiver", null, "streaming", null, null, null, null, null, "async"))
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
    }

    @Test
    void aStreamingRowLastSeenByAnOfflinePrimaryAgentDoesNotCount() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(3)
                        .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                        .primaryAgentOffline()
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
    }

    @Test
    void aFailureReportedForTheOperationFailsTheRunningStepAndSendsTheStandbyBackToWaitStandby() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(2)
                        .primaryGoal(WAIT_PRIMARY, OPERATION)
                        .standbyGoal(CATCHINGUP, OPERATION)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .standbyFailed(OPERATION, "pg_basebackup exited 1: could not connect")
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.OPERATION_FAILED);
        assertThat(d.goals()).containsExactly(goal(STANDBY_DB, WAIT_STANDBY, null));
        assertThat(d.steps())
                .containsExactly(new StepChange(2, StepState.FAILED, "pg_basebackup exited 1: could not connect"));
        assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
        assertThat(d.operationMessage()).startsWith("create standby failed at step 2: ");
    }

    @Test
    void aFailureOfThePrimaryFailsStepOne() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(1)
                        .primaryFailed(OPERATION, "ALTER SYSTEM failed")
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.OPERATION_FAILED);
        assertThat(d.steps()).extracting(StepChange::step).containsExactly(1);
        assertThat(d.goals()).noneMatch(a -> a.database().equals(PRIMARY_DB));
    }

    @Test
    void aRetryIgnoresTheFailureOfTheEarlierOperationAndPreparesThePrimaryAgain() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .primaryGoal(WAIT_PRIMARY, EARLIER_OPERATION)
                        .primaryReported(WAIT_PRIMARY, EARLIER_OPERATION)
                        .standbyFailed(EARLIER_OPERATION, "pg_basebackup exited 1")
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.PREPARE_PRIMARY);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, WAIT_PRIMARY, OPERATION));
    }

    @Test
    void anOfflineAgentMakesTheOperationWaitAndItsMessageSaysSo() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(2)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .standbyAgentOffline()
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
        assertThat(d.goals())
                .containsExactly(goal(PRIMARY_DB, WAIT_PRIMARY, OPERATION), goal(STANDBY_DB, CATCHINGUP, OPERATION));
        assertThat(d.operationMessage()).contains("psql2").contains("offline");
        assertThat(d.operationOutcome()).isNull();
    }

    @Test
    void progressMadeWhileAnotherAgentIsOfflineStillCounts() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(2)
                        .standbyReported(CATCHINGUP, OPERATION)
                        .primaryAgentOffline()
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.VERIFY_STREAMING);
        assertThat(d.operationMessage()).contains("psql1").contains("offline");
    }

    private static Assignment goal(DatabaseId database, NodeState state, String operationId) {
        return new Assignment(database, state, operationId);
    }
}
