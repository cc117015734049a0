package io.understudy.center.orchestrator;

import io.understudy.center.store.OperationState;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the rules decided for one Configuration: every goal they want (applied only where it
 * differs from the current goal), the step changes of the running operation, how it ended if it
 * did, what it waits for, and why, in one line for the log.
 *
 * @param kind what sort of decision; tests assert this and the goals, not the prose
 * @param goals the goals the rules want, one per member at most
 * @param steps step changes of the running operation, in order
 * @param operationOutcome {@code SUCCEEDED} or {@code FAILED} when the operation ends; null while it
 *     runs (or when none runs)
 * @param operationMessage what the running operation waits for, or how it ended; null to leave it
 * @param reason why, in one line
 * @param newEpoch the Configuration's new epoch, stored with the goals (before any promotion they
 *     carry); null to keep it
 * @param roles members whose role changes: a new primary, a fenced old primary
 */
public record Decision(
        Kind kind,
        List<Assignment> goals,
        List<StepChange> steps,
        @Nullable OperationState operationOutcome,
        @Nullable String operationMessage,
        String reason,
        @Nullable Long newEpoch,
        List<RoleChange> roles) {

    /** A member's new role. */
    public record RoleChange(DatabaseId database, Role role) {}

    /** A decision that changes neither the epoch nor any role. */
    public Decision(
            Kind kind,
            List<Assignment> goals,
            List<StepChange> steps,
            @Nullable OperationState operationOutcome,
            @Nullable String operationMessage,
            String reason) {
        this(kind, goals, steps, operationOutcome, operationMessage, reason, null, List.of());
    }

    public Decision {
        goals = List.copyOf(goals);
        steps = List.copyOf(steps);
        roles = List.copyOf(roles);
        if (operationOutcome == OperationState.RUNNING) {
            throw new IllegalArgumentException("an outcome is SUCCEEDED or FAILED, not RUNNING");
        }
    }

    /** What sort of decision. */
    public enum Kind {
        /** No operation runs: goals stay as they are. */
        NOTHING,
        /** The running step waits for an agent; the goals are what they were. */
        WAITING,
        /** Create standby, step 1: the primary is to prepare for a standby (WAIT_PRIMARY). */
        PREPARE_PRIMARY,
        /** Create standby, step 2: the primary is prepared; the standby is to be created (CATCHINGUP). */
        CREATE_STANDBY,
        /** Create standby, step 3: the standby runs; wait for it to stream. */
        VERIFY_STREAMING,
        /** Create standby is done: the standby streams (PRIMARY and SECONDARY). */
        STANDBY_CREATED,
        /** An agent reported a failure for the running operation: it ends FAILED. */
        OPERATION_FAILED,
        /** The running step ran past its deadline: the operation ends FAILED. */
        STEP_TIMED_OUT,
        /** A user cancelled the running operation: it ends FAILED. */
        OPERATION_CANCELLED,
        /** Switchover, step 1: the primary is to stop cleanly (DEMOTED). */
        STOP_PRIMARY,
        /** A standby is to be promoted, in a new epoch. */
        PROMOTE,
        /** The old primary is to rejoin as the standby of the new one. */
        REJOIN,
        /** Switchover is done: roles swapped, the old primary streams from the new one. */
        SWITCHED_OVER,
        /** Failover, step 1: the old primary is FENCED, and the standby made the primary, in a new epoch. */
        FENCE,
        /** Failover is done: the standby was promoted; the old primary stays FENCED until reinstated. */
        FAILED_OVER,
        /** Reinstate is done: the old primary streams from the new one as its standby. */
        REINSTATED
    }

    /** Nothing to do, and why. */
    public static Decision nothing(String reason) {
        return new Decision(Kind.NOTHING, List.of(), List.of(), null, null, reason);
    }

    /** This decision with the Configuration moved to {@code epoch} and members in new roles. */
    public Decision withRoles(@Nullable Long epoch, List<RoleChange> changes) {
        return new Decision(kind, goals, steps, operationOutcome, operationMessage, reason, epoch, changes);
    }
}
