package io.understudy.center.orchestrator;

import io.understudy.center.store.OperationState;
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
 */
public record Decision(
        Kind kind,
        List<Assignment> goals,
        List<StepChange> steps,
        @Nullable OperationState operationOutcome,
        @Nullable String operationMessage,
        String reason) {

    public Decision {
        goals = List.copyOf(goals);
        steps = List.copyOf(steps);
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
        OPERATION_CANCELLED
    }

    /** Nothing to do, and why. */
    public static Decision nothing(String reason) {
        return new Decision(Kind.NOTHING, List.of(), List.of(), null, null, reason);
    }
}
