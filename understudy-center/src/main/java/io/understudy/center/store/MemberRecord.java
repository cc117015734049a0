package io.understudy.center.store;

import io.understudy.core.api.DatabaseState;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One database of a Configuration, with its goal state (assigned by the Control Center) and its
 * reported state (what its agent last said) kept apart.
 *
 * @param configuration the Configuration's name
 * @param role its part in the Configuration: {@link Role#PRIMARY}, {@link Role#STANDBY}, or {@link
 *     Role#FENCED} (the old primary of a failover, until it is reinstated)
 * @param agent the agent that manages it
 * @param dataDirectory its data directory on the agent's host
 * @param port its port
 * @param goalState the goal state assigned to it
 * @param goalOperationId the operation its goal belongs to; null when none
 * @param goalChangedAt when its goal last changed
 * @param reportedState the state its agent last reached; null before the first report
 * @param reportedEpoch the epoch of the goal it last reached
 * @param reportedOperationId the operation of the goal it works on or last reached
 * @param failure why its agent's last attempt to reach the goal failed; null when it did not
 * @param reportedAt when its agent last reported on it, by the Control Center's clock
 * @param progress the long action running towards its goal, as last reported; null when none
 * @param progressChangedAt when its agent last reported a change of its progress (phase, bytes) or
 *     of its reported state or operation; null before the first report
 * @param target what the target directory held when last inspected (a standby target); null before
 * @param targetInspectedAt when that inspection arrived
 * @param seenState the monitor's last verdict on its state, to record each change once
 * @param seenStreaming the monitor's last verdict on whether it streams
 * @param checkpointLsn the shutdown checkpoint its agent reported with DEMOTED, after a clean
 *     shutdown; null otherwise
 */
public record MemberRecord(
        String configuration,
        Role role,
        String agent,
        String dataDirectory,
        int port,
        NodeState goalState,
        @Nullable String goalOperationId,
        Instant goalChangedAt,
        @Nullable NodeState reportedState,
        long reportedEpoch,
        @Nullable String reportedOperationId,
        @Nullable String failure,
        @Nullable Instant reportedAt,
        @Nullable ActionProgress progress,
        @Nullable Instant progressChangedAt,
        @Nullable TargetInspection target,
        @Nullable Instant targetInspectedAt,
        @Nullable DatabaseState seenState,
        boolean seenStreaming,
        @Nullable String checkpointLsn) {

    /** A new member with its first goal and nothing reported yet. */
    public static MemberRecord assigned(
            String configuration, Role role, String agent, String dataDirectory, int port, NodeState goal, Instant at) {
        return new MemberRecord(
                configuration,
                role,
                agent,
                dataDirectory,
                port,
                goal,
                null,
                at,
                null,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null);
    }

    /** How users name it: {@code AGENT:PORT}. */
    public DatabaseId id() {
        return new DatabaseId(agent, port);
    }

    public MemberRecord withGoal(NodeState state, @Nullable String operationId, Instant at) {
        return new MemberRecord(
                configuration,
                role,
                agent,
                dataDirectory,
                port,
                state,
                operationId,
                at,
                reportedState,
                reportedEpoch,
                reportedOperationId,
                failure,
                reportedAt,
                progress,
                progressChangedAt,
                target,
                targetInspectedAt,
                seenState,
                seenStreaming,
                checkpointLsn);
    }

    /** What its agent reported; a null {@code inspection} keeps the last one. */
    public MemberRecord withReport(
            @Nullable NodeState state,
            long epoch,
            @Nullable String operationId,
            @Nullable String failureReason,
            @Nullable ActionProgress currentProgress,
            @Nullable TargetInspection inspection,
            @Nullable String shutdownCheckpoint,
            Instant at) {
        return new MemberRecord(
                configuration,
                role,
                agent,
                dataDirectory,
                port,
                goalState,
                goalOperationId,
                goalChangedAt,
                state,
                epoch,
                operationId,
                failureReason,
                at,
                currentProgress,
                moved(state, operationId, currentProgress) ? at : progressChangedAt,
                inspection != null ? inspection : target,
                inspection != null ? at : targetInspectedAt,
                seenState,
                seenStreaming,
                shutdownCheckpoint);
    }

    /**
     * Whether a report of {@code state}, {@code operationId} and {@code currentProgress} moves on
     * from what was last reported: another state or operation, or another action, phase or byte
     * count (the action's start time is not compared: it is the agent's clock, stored rounded).
     */
    private boolean moved(
            @Nullable NodeState state, @Nullable String operationId, @Nullable ActionProgress currentProgress) {
        if (reportedAt == null || state != reportedState || !Objects.equals(operationId, reportedOperationId)) {
            return true;
        }
        if (currentProgress == null || progress == null) {
            return currentProgress != progress;
        }
        return !currentProgress.action().equals(progress.action())
                || !currentProgress.phase().equals(progress.phase())
                || currentProgress.bytesDone() != progress.bytesDone()
                || currentProgress.bytesTotal() != progress.bytesTotal();
    }

    /** The same member in another role: after a change of primary, or fenced by a failover. */
    public MemberRecord withRole(Role newRole) {
        return new MemberRecord(
                configuration,
                newRole,
                agent,
                dataDirectory,
                port,
                goalState,
                goalOperationId,
                goalChangedAt,
                reportedState,
                reportedEpoch,
                reportedOperationId,
                failure,
                reportedAt,
                progress,
                progressChangedAt,
                target,
                targetInspectedAt,
                seenState,
                seenStreaming,
                checkpointLsn);
    }

    public MemberRecord withSeen(@Nullable DatabaseState state, boolean streaming) {
        return new MemberRecord(
                configuration,
                role,
                agent,
                dataDirectory,
                port,
                goalState,
                goalOperationId,
                goalChangedAt,
                reportedState,
                reportedEpoch,
                reportedOperationId,
                failure,
                reportedAt,
                progress,
                progressChangedAt,
                target,
                targetInspectedAt,
                state,
                streaming,
                checkpointLsn);
    }
}
