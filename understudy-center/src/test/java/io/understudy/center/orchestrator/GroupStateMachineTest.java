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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.understudy.center.orchestrator.Decision.Kind;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepState;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.state.NodeState;
import java.time.Duration;
import java.util.List;
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
                        .standbyObserved(Role.STANDBY, true, true, "0/5000000")
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
    void aFailureReportedForTheOperationFailsTheRunningStepAndResetsTheGoals() {
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
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, SINGLE, null), goal(STANDBY_DB, WAIT_STANDBY, null));
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
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, SINGLE, null), goal(STANDBY_DB, WAIT_STANDBY, null));
    }

    @Test
    void afterAFailureAConfigurationWithAStandbySendsItsPrimaryBackToPrimary() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .standbyCreated()
                        .atStep(2)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .standbyFailed(OPERATION, "pg_basebackup exited 1")
                        .build(),
                NOW);

        assertThat(d.kind()).isEqualTo(Kind.OPERATION_FAILED);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, PRIMARY, null), goal(STANDBY_DB, WAIT_STANDBY, null));
    }

    @Test
    void preparingThePrimaryFailsAfterFiveMinutesSayingWhereItIs() {
        ConfigurationSnapshot s = Snapshots.creatingStandby()
                .atStep(1)
                .primaryGoal(WAIT_PRIMARY, OPERATION)
                .primaryReported(SINGLE, null)
                .build();

        assertThat(machine.decide(s, NOW.plus(Duration.ofMinutes(5)).minusMillis(1))
                        .kind())
                .isEqualTo(Kind.WAITING);
        Decision d = machine.decide(s, NOW.plus(Duration.ofMinutes(5)));

        assertThat(d.kind()).isEqualTo(Kind.STEP_TIMED_OUT);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, SINGLE, null), goal(STANDBY_DB, WAIT_STANDBY, null));
        assertThat(d.steps())
                .extracting(StepChange::step, StepChange::state)
                .containsExactly(tuple(1, StepState.FAILED));
        assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
        assertThat(d.operationMessage())
                .isEqualTo("create standby failed at step 1: the primary psql1:5432 was not prepared for a standby"
                        + " within 5 min: its agent reports it SINGLE (not yet for this operation), not WAIT_PRIMARY");
    }

    @Test
    void aPrimaryWhoseAgentIsOfflineFailsThePreparationAfterFiveMinutesSayingSo() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(1)
                        .primaryGoal(WAIT_PRIMARY, OPERATION)
                        .primaryAgentOffline()
                        .build(),
                NOW.plus(Duration.ofMinutes(5)));

        assertThat(d.kind()).isEqualTo(Kind.STEP_TIMED_OUT);
        assertThat(d.operationMessage()).contains("within 5 min: agent psql1 is offline");
    }

    @Test
    void aPreparationReachedLateStillCounts() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(1)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .build(),
                NOW.plus(Duration.ofMinutes(6)));

        assertThat(d.kind()).isEqualTo(Kind.CREATE_STANDBY);
    }

    @Test
    void theStandbysCreationHasNoFixedLimitWhileItsProgressMoves() {
        Decision d = machine.decide(
                Snapshots.creatingStandby()
                        .atStep(2)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .standbyReported(WAIT_STANDBY, OPERATION)
                        .standbyProgress("copying files", 10, NOW.plus(Duration.ofMinutes(25)))
                        .standbyProgress("copying files", 90, NOW.plus(Duration.ofMinutes(50)))
                        .build(),
                NOW.plus(Duration.ofMinutes(59)));

        assertThat(d.kind()).isEqualTo(Kind.WAITING);
        assertThat(d.operationOutcome()).isNull();
    }

    @Test
    void theStandbysCreationFailsAfterTenMinutesWithoutProgress() {
        ConfigurationSnapshot s = Snapshots.creatingStandby()
                .atStep(2)
                .primaryReported(WAIT_PRIMARY, OPERATION)
                .standbyReported(WAIT_STANDBY, OPERATION)
                .standbyProgress("copying files", 40, NOW.plus(Duration.ofMinutes(5)))
                // the same progress again is no progress
                .standbyProgress("copying files", 40, NOW.plus(Duration.ofMinutes(9)))
                .build();

        assertThat(machine.decide(s, NOW.plus(Duration.ofMinutes(14))).kind()).isEqualTo(Kind.WAITING);
        Decision d = machine.decide(s, NOW.plus(Duration.ofMinutes(15)));

        assertThat(d.kind()).isEqualTo(Kind.STEP_TIMED_OUT);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, SINGLE, null), goal(STANDBY_DB, WAIT_STANDBY, null));
        assertThat(d.steps())
                .extracting(StepChange::step, StepChange::state)
                .containsExactly(tuple(2, StepState.FAILED));
        assertThat(d.operationMessage())
                .isEqualTo("create standby failed at step 2: the creation of the standby at psql2:/pg/standby made"
                        + " no progress for 10 min: still \"copying files\", 40 of 100 bytes copied");
    }

    @Test
    void theStandbysCreationFailsAfterTenMinutesWithItsAgentOffline() {
        ConfigurationSnapshot s = Snapshots.creatingStandby()
                .atStep(2)
                .primaryReported(WAIT_PRIMARY, OPERATION)
                .standbyAgentOffline()
                .build();

        assertThat(machine.decide(s, NOW.plus(Duration.ofMinutes(9))).kind()).isEqualTo(Kind.WAITING);
        Decision d = machine.decide(s, NOW.plus(Duration.ofMinutes(10)));

        assertThat(d.kind()).isEqualTo(Kind.STEP_TIMED_OUT);
        assertThat(d.operationMessage())
                .startsWith("create standby failed at step 2: the standby at psql2:/pg/standby was not created:"
                        + " agent psql2 is offline")
                .endsWith("and has been for 10 min or more");
    }

    @Test
    void verifyingFailsAfterTwoMinutesSayingWhatTheWalReceiverAndThePrimaryShow() {
        ConfigurationSnapshot s = Snapshots.creatingStandby()
                .atStep(3)
                .primaryReported(WAIT_PRIMARY, OPERATION)
                .standbyReported(CATCHINGUP, OPERATION)
                .standbyObserved(Role.STANDBY, true, true, "0/4000000")
                .standbyWalReceiver("waiting")
                .build();

        assertThat(machine.decide(s, NOW.plus(Duration.ofSeconds(119))).kind()).isEqualTo(Kind.WAITING);
        Decision d = machine.decide(s, NOW.plus(Duration.ofMinutes(2)));

        assertThat(d.kind()).isEqualTo(Kind.STEP_TIMED_OUT);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, SINGLE, null), goal(STANDBY_DB, WAIT_STANDBY, null));
        assertThat(d.steps())
                .extracting(StepChange::step, StepChange::state)
                .containsExactly(tuple(3, StepState.FAILED));
        assertThat(d.operationMessage())
                .isEqualTo("create standby failed at step 3: the standby psql2:5433 runs but does not stream from"
                        + " psql1:5432 after 2 min: WAL receiver status waiting; the primary does not list it in"
                        + " pg_stat_replication");
    }

    @Test
    void verifyingFailsAfterTwoMinutesWhenThePrimaryGoesDownSayingSo() {
        ConfigurationSnapshot s = Snapshots.creatingStandby()
                .atStep(3)
                .standbyReported(CATCHINGUP, OPERATION)
                .standbyObserved(Role.STANDBY, true, true, "0/4000000")
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                .primaryDown()
                .build();

        assertThat(machine.decide(s, NOW).kind()).as("its last rows are stale").isEqualTo(Kind.WAITING);
        Decision d = machine.decide(s, NOW.plus(Duration.ofMinutes(2)));

        assertThat(d.kind()).isEqualTo(Kind.STEP_TIMED_OUT);
        assertThat(d.operationMessage())
                .endsWith("the standby psql2:5433 does not stream from psql1:5432 after 2 min: the primary is"
                        + " down: connection refused");
    }

    @Test
    void aStandbyThatIsDownDoesNotCompleteTheVerificationWhateverThePrimaryListed() {
        ConfigurationSnapshot s = Snapshots.creatingStandby()
                .atStep(3)
                .standbyReported(CATCHINGUP, OPERATION)
                .standbyObserved(Role.STANDBY, false, false, "0/4000000")
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                .build();

        assertThat(machine.decide(s, NOW).kind()).isEqualTo(Kind.WAITING);
        assertThat(machine.decide(s, NOW.plus(Duration.ofMinutes(2))).operationMessage())
                .endsWith("the standby psql2:5433 does not run as a standby after 2 min: connection refused");
    }

    @Test
    void cancellingFailsTheRunningStepWithTheUserAndResetsTheGoals() {
        Decision d = machine.cancel(
                Snapshots.creatingStandby()
                        .atStep(2)
                        .primaryGoal(WAIT_PRIMARY, OPERATION)
                        .standbyGoal(CATCHINGUP, OPERATION)
                        .primaryReported(WAIT_PRIMARY, OPERATION)
                        .build(),
                "alice");

        assertThat(d.kind()).isEqualTo(Kind.OPERATION_CANCELLED);
        assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, SINGLE, null), goal(STANDBY_DB, WAIT_STANDBY, null));
        assertThat(d.steps()).containsExactly(new StepChange(2, StepState.FAILED, "cancelled by alice"));
        assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
        assertThat(d.operationMessage()).isEqualTo("cancelled by alice");
    }

    @Test
    void thereIsNothingToCancelWithoutARunningOperation() {
        assertThatThrownBy(() -> machine.cancel(Snapshots.idle().build(), "alice"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theReplicationPasswordIsInNoDecision() {
        // Snapshots' replication password is "not-shown".
        List<Decision> decisions = List.of(
                machine.decide(Snapshots.creatingStandby().build(), NOW),
                machine.decide(
                        Snapshots.creatingStandby()
                                .atStep(1)
                                .primaryReported(WAIT_PRIMARY, OPERATION)
                                .build(),
                        NOW),
                machine.decide(Snapshots.creatingStandby().atStep(1).build(), NOW.plus(Duration.ofMinutes(5))),
                machine.decide(Snapshots.creatingStandby().atStep(2).build(), NOW.plus(Duration.ofMinutes(10))),
                machine.decide(Snapshots.creatingStandby().atStep(3).build(), NOW.plus(Duration.ofMinutes(2))),
                machine.decide(
                        Snapshots.creatingStandby()
                                .atStep(2)
                                .standbyFailed(OPERATION, "pg_basebackup exited 1")
                                .build(),
                        NOW),
                machine.cancel(Snapshots.creatingStandby().atStep(2).build(), "alice"));

        assertThat(decisions).allSatisfy(d -> assertThat(d.toString()).doesNotContain("not-shown"));
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
