package io.understudy.center.orchestrator;

import static io.understudy.center.orchestrator.Snapshots.EARLIER_OPERATION;
import static io.understudy.center.orchestrator.Snapshots.NOW;
import static io.understudy.center.orchestrator.Snapshots.OPERATION;
import static io.understudy.center.orchestrator.Snapshots.PRIMARY_DB;
import static io.understudy.center.orchestrator.Snapshots.STANDBY_DB;
import static io.understudy.center.orchestrator.Snapshots.replica;
import static io.understudy.core.state.NodeState.CATCHINGUP;
import static io.understudy.core.state.NodeState.DEMOTED;
import static io.understudy.core.state.NodeState.PRIMARY;
import static io.understudy.core.state.NodeState.SECONDARY;
import static io.understudy.core.state.NodeState.WAIT_PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.understudy.center.orchestrator.Decision.Kind;
import io.understudy.center.orchestrator.Decision.RoleChange;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepState;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.state.NodeState;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of SWITCHOVER, FAILOVER and REINSTATE, against snapshots. psql1 ({@code PRIMARY_DB})
 * is the primary when a switchover or a failover starts, psql2 ({@code STANDBY_DB}) its standby.
 * Asserts kinds, goals, steps, outcomes, epochs and roles, not prose.
 */
class PrimaryChangesTest {
    private static final String CHECKPOINT = "0/3000028";

    private final GroupStateMachine machine = new GroupStateMachine();

    @Nested
    class Switchover {
        /** Step 2 runs: psql1 stopped cleanly, psql2 is the PRIMARY member with its promotion goal, in epoch 2. */
        private Snapshots promoting() {
            return Snapshots.switchingOver()
                    .atStep(PrimaryChanges.PROMOTE)
                    .rolesMoved(Role.STANDBY)
                    .primaryGoal(DEMOTED, OPERATION)
                    .primaryDemoted(OPERATION, CHECKPOINT)
                    .primaryDown()
                    .standbyGoal(WAIT_PRIMARY, OPERATION);
        }

        /** Step 3 runs: psql2 promoted, psql1 to restart as its standby. */
        private Snapshots rejoining() {
            return promoting()
                    .atStep(PrimaryChanges.REJOIN)
                    .standbyReported(WAIT_PRIMARY, OPERATION)
                    .standbyObserved(Role.PRIMARY, true, true, null)
                    .primaryGoal(CATCHINGUP, OPERATION);
        }

        /** Step 4 runs: psql1 runs as a standby of psql2. */
        private Snapshots verifying() {
            return rejoining()
                    .atStep(PrimaryChanges.VERIFY)
                    .primaryReported(CATCHINGUP, OPERATION)
                    .primaryObservedAs(Role.STANDBY);
        }

        @Test
        void startsByStoppingThePrimaryCleanly() {
            Decision d = machine.decide(Snapshots.switchingOver().build(), NOW);

            assertThat(d.kind()).isEqualTo(Kind.STOP_PRIMARY);
            assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, DEMOTED, OPERATION));
            assertThat(d.steps()).containsExactly(new StepChange(1, StepState.RUNNING, null));
            assertThat(d.operationOutcome()).isNull();
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void waitsWhileThePrimaryStops() {
            Decision d = machine.decide(
                    Snapshots.switchingOver()
                            .atStep(1)
                            .primaryGoal(DEMOTED, OPERATION)
                            .build(),
                    NOW.plus(Duration.ofMinutes(2)).minusMillis(1));

            assertThat(d.kind()).isEqualTo(Kind.WAITING);
            assertThat(d.steps()).isEmpty();
            assertThat(d.newEpoch()).isNull();
        }

        @Test
        void aCleanStopPromotesTheStandbyInANewEpochWithTheRolesSwapped() {
            Decision d = machine.decide(
                    Snapshots.switchingOver()
                            .atStep(1)
                            .primaryGoal(DEMOTED, OPERATION)
                            .primaryDemoted(OPERATION, CHECKPOINT)
                            .build(),
                    NOW);

            assertThat(d.kind()).isEqualTo(Kind.PROMOTE);
            assertThat(d.goals())
                    .containsExactly(goal(STANDBY_DB, WAIT_PRIMARY, OPERATION), goal(PRIMARY_DB, DEMOTED, OPERATION));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(1, StepState.DONE), tuple(2, StepState.RUNNING));
            assertThat(d.operationOutcome()).isNull();
            assertThat(d.newEpoch()).isEqualTo(2L);
            assertThat(d.roles()).containsExactly(role(STANDBY_DB, Role.PRIMARY), role(PRIMARY_DB, Role.STANDBY));
        }

        @Test
        void aStopWithoutAShutdownCheckpointRollsBackWithoutANewEpoch() {
            Decision d = machine.decide(
                    Snapshots.switchingOver()
                            .atStep(1)
                            .primaryGoal(DEMOTED, OPERATION)
                            .primaryDemoted(OPERATION, null)
                            .build(),
                    NOW);

            assertRolledBack(d, Kind.OPERATION_FAILED, 1, null);
        }

        @Test
        void aDemotionReportedForAnEarlierOperationDoesNotCount() {
            Decision d = machine.decide(
                    Snapshots.switchingOver()
                            .atStep(1)
                            .primaryDemoted(EARLIER_OPERATION, CHECKPOINT)
                            .build(),
                    NOW);

            assertThat(d.kind()).isEqualTo(Kind.WAITING);
            assertThat(d.newEpoch()).isNull();
        }

        @Test
        void aFailureToStopRollsBack() {
            Decision d = machine.decide(
                    Snapshots.switchingOver()
                            .atStep(1)
                            .primaryGoal(DEMOTED, OPERATION)
                            .primaryFailed(OPERATION, "stop it and keep it stopped failed (transient): timeout")
                            .build(),
                    NOW);

            assertRolledBack(d, Kind.OPERATION_FAILED, 1, null);
        }

        @Test
        void aPrimaryThatDoesNotStopWithinTwoMinutesRollsBack() {
            Decision d = machine.decide(
                    Snapshots.switchingOver()
                            .atStep(1)
                            .primaryGoal(DEMOTED, OPERATION)
                            .build(),
                    NOW.plus(Duration.ofMinutes(2)));

            assertRolledBack(d, Kind.STEP_TIMED_OUT, 1, null);
        }

        @Test
        void aPromotionThatFailsWhileTheStandbyStillRunsAsOneRollsBackInYetAnotherEpoch() {
            Decision d = machine.decide(
                    promoting()
                            .standbyObserved(Role.STANDBY, true, true, "0/3000000")
                            .standbyFailed(OPERATION, "promote the standby failed (transient): not replayed")
                            .build(),
                    NOW);

            assertRolledBack(d, Kind.OPERATION_FAILED, 2, 3L);
        }

        @Test
        void aPromotionThatFailsWhenTheStandbyMayHaveBeenPromotedStopsWithTheOldPrimaryFenced() {
            assertStopped(
                    machine.decide(
                            promoting()
                                    .standbyObserved(Role.PRIMARY, true, true, null)
                                    .standbyFailed(OPERATION, "prepare the primary failed (permanent): pg_hba")
                                    .build(),
                            NOW),
                    Kind.OPERATION_FAILED,
                    2);
            assertStopped(
                    machine.decide(
                            promoting()
                                    .standbyObserved(Role.STANDBY, true, true, "0/3000000")
                                    .standbyFailed(OPERATION, "promote the standby failed")
                                    .standbyAgentOffline()
                                    .build(),
                            NOW),
                    Kind.OPERATION_FAILED,
                    2);
            assertStopped(
                    machine.decide(
                            promoting()
                                    .standbyObserved(Role.STANDBY, false, false, "0/3000000")
                                    .standbyFailed(OPERATION, "promote the standby failed")
                                    .build(),
                            NOW),
                    Kind.OPERATION_FAILED,
                    2);
        }

        @Test
        void aPromotionNotDoneWithinTwoMinutesStopsWithTheOldPrimaryFenced() {
            ConfigurationSnapshot s = promoting().build();

            assertThat(machine.decide(s, NOW.plus(Duration.ofSeconds(119))).kind())
                    .isEqualTo(Kind.WAITING);
            assertStopped(machine.decide(s, NOW.plus(Duration.ofMinutes(2))), Kind.STEP_TIMED_OUT, 2);
        }

        @Test
        void aPromotedStandbyHasTheOldPrimaryRestartAsItsStandby() {
            Decision d = machine.decide(
                    promoting().standbyReported(WAIT_PRIMARY, OPERATION).build(), NOW);

            assertThat(d.kind()).isEqualTo(Kind.REJOIN);
            assertThat(d.goals())
                    .containsExactly(
                            goal(STANDBY_DB, WAIT_PRIMARY, OPERATION), goal(PRIMARY_DB, CATCHINGUP, OPERATION));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(2, StepState.DONE), tuple(3, StepState.RUNNING));
            assertThat(d.operationOutcome()).isNull();
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void anOldPrimaryRunningAsAStandbyStartsTheVerification() {
            Decision d = machine.decide(
                    rejoining().primaryReported(CATCHINGUP, OPERATION).build(), NOW);

            assertThat(d.kind()).isEqualTo(Kind.VERIFY_STREAMING);
            assertThat(d.goals()).isEmpty();
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(3, StepState.DONE), tuple(4, StepState.RUNNING));
            assertThat(d.operationOutcome()).isNull();
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void aFailedRestartAsAStandbyStopsWithTheOldPrimaryFenced() {
            Decision d = machine.decide(
                    rejoining()
                            .primaryFailed(OPERATION, "rejoin as a standby failed (permanent): no cluster")
                            .build(),
                    NOW);

            assertStopped(d, Kind.OPERATION_FAILED, 3);
        }

        @Test
        void anOldPrimaryStreamingFromTheNewOneEndsTheSwitchover() {
            Decision d = machine.decide(
                    verifying()
                            .newPrimarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                            .build(),
                    NOW);

            assertThat(d.kind()).isEqualTo(Kind.SWITCHED_OVER);
            assertThat(d.goals()).containsExactly(goal(STANDBY_DB, PRIMARY, null), goal(PRIMARY_DB, SECONDARY, null));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(4, StepState.DONE));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.SUCCEEDED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void anOldPrimaryNotStreamingWithinTwoMinutesIsFenced() {
            ConfigurationSnapshot s = verifying()
                    .newPrimarySees(replica("catchup", "0/5000000", "0/4000000", "0/4000000", null))
                    .build();

            assertThat(machine.decide(s, NOW.plus(Duration.ofSeconds(119))).kind())
                    .isEqualTo(Kind.WAITING);
            assertStopped(machine.decide(s, NOW.plus(Duration.ofMinutes(2))), Kind.STEP_TIMED_OUT, 4);
        }

        @Test
        void aCancelBeforeThePromotionRollsBack() {
            Decision d = machine.cancel(
                    Snapshots.switchingOver()
                            .atStep(1)
                            .primaryGoal(DEMOTED, OPERATION)
                            .build(),
                    "alice");

            assertRolledBack(d, Kind.OPERATION_CANCELLED, 1, null);
            assertThat(d.steps()).containsExactly(new StepChange(1, StepState.FAILED, "cancelled by alice"));
        }

        @Test
        void aCancelOnceThePromotionGoalIsOutStopsWithTheOldPrimaryFencedEvenWhileTheStandbyStillRunsAsOne() {
            // Unlike a failure its agent reports, a cancel says nothing of whether the standby is promoting.
            Decision d = machine.cancel(
                    promoting()
                            .standbyObserved(Role.STANDBY, true, true, "0/3000000")
                            .build(),
                    "alice");

            assertStopped(d, Kind.OPERATION_CANCELLED, 2);
            assertThat(d.steps()).containsExactly(new StepChange(2, StepState.FAILED, "cancelled by alice"));
        }

        @Test
        void aCancelAfterThePromotionStopsWithTheOldPrimaryFenced() {
            assertStopped(machine.cancel(rejoining().build(), "alice"), Kind.OPERATION_CANCELLED, 3);
            assertStopped(machine.cancel(verifying().build(), "alice"), Kind.OPERATION_CANCELLED, 4);
        }

        /** psql1 starts again as the primary, psql2 stays its standby; the epoch and roles as {@code epoch} says. */
        private void assertRolledBack(Decision d, Kind kind, int step, @Nullable Long epoch) {
            assertThat(d.kind()).isEqualTo(kind);
            assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, PRIMARY, null), goal(STANDBY_DB, SECONDARY, null));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(step, StepState.FAILED));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
            assertThat(d.newEpoch()).isEqualTo(epoch);
            if (epoch == null) {
                assertThat(d.roles()).isEmpty();
            } else {
                assertThat(d.roles()).containsExactly(role(PRIMARY_DB, Role.PRIMARY), role(STANDBY_DB, Role.STANDBY));
            }
        }

        /** psql1 FENCED and kept stopped; psql2 the primary, left to finish its promotion. */
        private void assertStopped(Decision d, Kind kind, int step) {
            assertThat(d.kind()).isEqualTo(kind);
            assertThat(d.goals())
                    .containsExactly(goal(PRIMARY_DB, DEMOTED, null), goal(STANDBY_DB, WAIT_PRIMARY, null));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(step, StepState.FAILED));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).containsExactly(role(PRIMARY_DB, Role.FENCED));
        }
    }

    @Nested
    class Failover {
        /** Step 1 runs: psql2 is the PRIMARY member in epoch 2, psql1 FENCED with its goal DEMOTED. */
        private Snapshots fencing() {
            return Snapshots.failingOver()
                    .atStep(PrimaryChanges.FENCE)
                    .rolesMoved(Role.FENCED)
                    .primaryGoal(DEMOTED, OPERATION);
        }

        /** Step 2 runs: psql2 has its promotion goal. */
        private Snapshots promoting() {
            return fencing().atStep(PrimaryChanges.FAILOVER_PROMOTE).standbyGoal(WAIT_PRIMARY, OPERATION);
        }

        @Test
        void startsByFencingTheOldPrimaryAndMakingTheStandbyThePrimaryInANewEpoch() {
            Decision d = machine.decide(Snapshots.failingOver().build(), NOW);

            assertThat(d.kind()).isEqualTo(Kind.FENCE);
            assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, DEMOTED, OPERATION));
            assertThat(d.steps()).containsExactly(new StepChange(1, StepState.RUNNING, null));
            assertThat(d.operationOutcome()).isNull();
            assertThat(d.newEpoch()).isEqualTo(2L);
            assertThat(d.roles()).containsExactly(role(STANDBY_DB, Role.PRIMARY), role(PRIMARY_DB, Role.FENCED));
        }

        @Test
        void waitsUpToFifteenSecondsForTheOnlineAgentOfTheOldPrimaryToStopIt() {
            ConfigurationSnapshot s = fencing().build();

            Decision waiting =
                    machine.decide(s, NOW.plus(Duration.ofSeconds(15)).minusMillis(1));
            assertThat(waiting.kind()).isEqualTo(Kind.WAITING);
            assertThat(waiting.goals())
                    .as("the step's goal, assigned again: idempotent")
                    .containsExactly(goal(PRIMARY_DB, DEMOTED, OPERATION));

            assertPromoting(machine.decide(s, NOW.plus(Duration.ofSeconds(15))));
        }

        @Test
        void promotesAtOnceWhenTheOldPrimarysAgentIsOffline() {
            assertPromoting(machine.decide(fencing().primaryAgentOffline().build(), NOW));
        }

        @Test
        void promotesAtOnceWhenTheOldPrimaryIsStopped() {
            assertPromoting(machine.decide(
                    fencing().primaryDemoted(OPERATION, null).primaryDown().build(), NOW));
        }

        @Test
        void aPromotedStandbyEndsTheFailover() {
            Decision d = machine.decide(
                    promoting().standbyReported(WAIT_PRIMARY, OPERATION).build(), NOW);

            assertThat(d.kind()).isEqualTo(Kind.FAILED_OVER);
            assertThat(d.goals())
                    .containsExactly(goal(STANDBY_DB, WAIT_PRIMARY, null), goal(PRIMARY_DB, DEMOTED, null));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(2, StepState.DONE));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.SUCCEEDED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void aFailedPromotionStopsWithTheOldPrimaryStillFenced() {
            Decision d = machine.decide(
                    promoting()
                            .standbyFailed(OPERATION, "promote the standby failed (permanent): not a standby")
                            .build(),
                    NOW);

            assertThat(d.kind()).isEqualTo(Kind.OPERATION_FAILED);
            assertThat(d.goals())
                    .containsExactly(goal(PRIMARY_DB, DEMOTED, null), goal(STANDBY_DB, WAIT_PRIMARY, null));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(2, StepState.FAILED));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).as("FENCED already").isEmpty();
        }

        @Test
        void aFailoverStartedAgainAfterOneThatStoppedBeforeThePromotionKeepsTheEpoch() {
            Decision d = machine.decide(
                    Snapshots.failingOver()
                            .rolesMoved(Role.FENCED)
                            .primaryGoal(DEMOTED, null)
                            .primaryDemoted(EARLIER_OPERATION, null)
                            .build(),
                    NOW);

            assertThat(d.kind()).isEqualTo(Kind.FENCE);
            assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, DEMOTED, OPERATION));
            assertThat(d.steps()).containsExactly(new StepChange(1, StepState.RUNNING, null));
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void aCancelWhileFencingKeepsTheOldPrimaryFencedAndPromotesNothing() {
            Decision d = machine.cancel(fencing().build(), "alice");

            assertThat(d.kind()).isEqualTo(Kind.OPERATION_CANCELLED);
            assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, DEMOTED, null), goal(STANDBY_DB, SECONDARY, null));
            assertThat(d.steps()).containsExactly(new StepChange(1, StepState.FAILED, "cancelled by alice"));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void aCancelWhilePromotingIsTheSameAsAFailedPromotion() {
            Decision d = machine.cancel(promoting().build(), "alice");

            assertThat(d.kind()).isEqualTo(Kind.OPERATION_CANCELLED);
            assertThat(d.goals())
                    .containsExactly(goal(PRIMARY_DB, DEMOTED, null), goal(STANDBY_DB, WAIT_PRIMARY, null));
            assertThat(d.steps()).containsExactly(new StepChange(2, StepState.FAILED, "cancelled by alice"));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        private void assertPromoting(Decision d) {
            assertThat(d.kind()).isEqualTo(Kind.PROMOTE);
            assertThat(d.goals())
                    .containsExactly(goal(PRIMARY_DB, DEMOTED, OPERATION), goal(STANDBY_DB, WAIT_PRIMARY, OPERATION));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(1, StepState.DONE), tuple(2, StepState.RUNNING));
            assertThat(d.operationOutcome()).isNull();
            assertThat(d.newEpoch()).as("it grew when the failover started").isNull();
            assertThat(d.roles()).isEmpty();
        }
    }

    @Nested
    class Reinstate {
        /** Step 1 runs: psql1 is rewound and started as a standby of psql2. */
        private Snapshots rewinding() {
            return Snapshots.reinstating().atStep(PrimaryChanges.REWIND).primaryGoal(CATCHINGUP, OPERATION);
        }

        /** Step 2 runs: psql1 runs as a standby. */
        private Snapshots verifying() {
            return rewinding()
                    .atStep(PrimaryChanges.REINSTATE_VERIFY)
                    .primaryReported(CATCHINGUP, OPERATION)
                    .primaryObservedAs(Role.STANDBY);
        }

        @Test
        void startsByRejoiningTheFencedDatabase() {
            Decision d = machine.decide(Snapshots.reinstating().build(), NOW);

            assertThat(d.kind()).isEqualTo(Kind.REJOIN);
            assertThat(d.goals()).containsExactly(goal(PRIMARY_DB, CATCHINGUP, OPERATION));
            assertThat(d.steps()).containsExactly(new StepChange(1, StepState.RUNNING, null));
            assertThat(d.operationOutcome()).isNull();
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).isEmpty();
        }

        @Test
        void aRejoinedDatabaseStartsTheVerification() {
            Decision d = machine.decide(
                    rewinding().primaryReported(CATCHINGUP, OPERATION).build(), NOW);

            assertThat(d.kind()).isEqualTo(Kind.VERIFY_STREAMING);
            assertThat(d.goals()).isEmpty();
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(1, StepState.DONE), tuple(2, StepState.RUNNING));
            assertThat(d.operationOutcome()).isNull();
        }

        @Test
        void aStreamingStandbyIsReinstated() {
            Decision d = machine.decide(
                    verifying()
                            .newPrimarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                            .build(),
                    NOW);

            assertThat(d.kind()).isEqualTo(Kind.REINSTATED);
            assertThat(d.goals()).containsExactly(goal(STANDBY_DB, PRIMARY, null), goal(PRIMARY_DB, SECONDARY, null));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(2, StepState.DONE));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.SUCCEEDED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).containsExactly(role(PRIMARY_DB, Role.STANDBY));
        }

        @Test
        void aFailedRewindKeepsTheDatabaseFencedAndStopped() {
            assertStoppedFenced(
                    machine.decide(
                            rewinding()
                                    .primaryFailed(OPERATION, "rejoin as a standby failed (permanent): pg_rewind")
                                    .build(),
                            NOW),
                    Kind.OPERATION_FAILED,
                    1);
        }

        @Test
        void aStandbyNotStreamingWithinTwoMinutesIsFencedAgain() {
            ConfigurationSnapshot s = verifying().build();

            assertThat(machine.decide(s, NOW.plus(Duration.ofSeconds(119))).kind())
                    .isEqualTo(Kind.WAITING);
            assertStoppedFenced(machine.decide(s, NOW.plus(Duration.ofMinutes(2))), Kind.STEP_TIMED_OUT, 2);
        }

        @Test
        void aCancelKeepsTheDatabaseFencedAndStopped() {
            assertStoppedFenced(machine.cancel(rewinding().build(), "alice"), Kind.OPERATION_CANCELLED, 1);
            assertStoppedFenced(machine.cancel(verifying().build(), "alice"), Kind.OPERATION_CANCELLED, 2);
        }

        private void assertStoppedFenced(Decision d, Kind kind, int step) {
            assertThat(d.kind()).isEqualTo(kind);
            assertThat(d.goals())
                    .containsExactly(goal(PRIMARY_DB, DEMOTED, null), goal(STANDBY_DB, WAIT_PRIMARY, null));
            assertThat(d.steps())
                    .extracting(StepChange::step, StepChange::state)
                    .containsExactly(tuple(step, StepState.FAILED));
            assertThat(d.operationOutcome()).isEqualTo(OperationState.FAILED);
            assertThat(d.newEpoch()).isNull();
            assertThat(d.roles()).as("FENCED already").isEmpty();
        }
    }

    private static Assignment goal(DatabaseId database, NodeState state, @Nullable String operationId) {
        return new Assignment(database, state, operationId);
    }

    private static RoleChange role(DatabaseId database, Role role) {
        return new RoleChange(database, role);
    }
}
