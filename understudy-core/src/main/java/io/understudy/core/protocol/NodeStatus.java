package io.understudy.core.protocol;

import io.understudy.core.state.NodeState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The agent's side of a {@link Goal}: the state it has reached for one data directory.
 *
 * @param configuration the Configuration's name
 * @param dataDirectory the data directory
 * @param reportedState the last state the agent reached (and recorded on disk)
 * @param epoch the epoch of the goal it last reached
 * @param operationId the operation of the goal it works on or last reached
 * @param progress the long action running towards the goal; null when none runs
 * @param failure why the last attempt to reach the goal failed; null when it did not
 * @param target what the directory holds, for a standby target (WAIT_STANDBY); else null
 * @param checkpointLsn for a database DEMOTED after a clean shutdown: the location of its shutdown
 *     checkpoint, which a standby must replay before it is promoted; else null
 * @param primaryView for a standby while automatic failover is on: what its agent sees of the
 *     primary; else null
 * @param selfFencedAt when the agent last fenced this database by itself because it could renew
 *     the primary's lease neither with the Control Center nor with the standby's agent; null when
 *     it has not since it started
 */
public record NodeStatus(
        String configuration,
        String dataDirectory,
        @Nullable NodeState reportedState,
        long epoch,
        @Nullable String operationId,
        @Nullable ActionProgress progress,
        @Nullable String failure,
        @Nullable TargetInspection target,
        @Nullable String checkpointLsn,
        @Nullable PrimaryView primaryView,
        @Nullable Instant selfFencedAt) {

    /** A status without the observer's facts. */
    public NodeStatus(
            String configuration,
            String dataDirectory,
            @Nullable NodeState reportedState,
            long epoch,
            @Nullable String operationId,
            @Nullable ActionProgress progress,
            @Nullable String failure,
            @Nullable TargetInspection target,
            @Nullable String checkpointLsn) {
        this(
                configuration,
                dataDirectory,
                reportedState,
                epoch,
                operationId,
                progress,
                failure,
                target,
                checkpointLsn,
                null,
                null);
    }

    /** A status without a shutdown checkpoint. */
    public NodeStatus(
            String configuration,
            String dataDirectory,
            @Nullable NodeState reportedState,
            long epoch,
            @Nullable String operationId,
            @Nullable ActionProgress progress,
            @Nullable String failure,
            @Nullable TargetInspection target) {
        this(
                configuration,
                dataDirectory,
                reportedState,
                epoch,
                operationId,
                progress,
                failure,
                target,
                null,
                null,
                null);
    }
}
