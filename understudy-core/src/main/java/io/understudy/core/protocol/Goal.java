package io.understudy.core.protocol;

import io.understudy.core.state.NodeState;
import org.jspecify.annotations.Nullable;

/**
 * The state the Control Center wants one database of an agent to reach, with what it needs to
 * get there. A goal for a data directory the agent was not started with (a standby target) adds
 * that directory to what the agent observes.
 *
 * @param configuration the Configuration's name
 * @param epoch the Configuration's epoch
 * @param dataDirectory the database's data directory on the agent's host
 * @param port the port it listens on, or will
 * @param state the goal state
 * @param operationId the operation this goal belongs to; null when none runs
 * @param replication what both ends of the replication need; null for a database without one
 * @param replaceExisting for a standby target: whether a cluster already at the data directory
 *     may be replaced (the user confirmed it)
 * @param promoteAfterLsn for a standby to promote in a switchover: the old primary's shutdown
 *     checkpoint, which it must have replayed before it is promoted; null otherwise
 * @param rewind for a fenced old primary to rejoin as a standby (reinstate): rewind it from the new
 *     primary first (pg_rewind), or copy it again when it cannot be rewound
 * @param lease while automatic failover is on: the primary's lease, which the primary's agent
 *     holds and the standby's agent renews when the Control Center does not answer; null otherwise
 */
public record Goal(
        String configuration,
        long epoch,
        String dataDirectory,
        int port,
        NodeState state,
        @Nullable String operationId,
        @Nullable ReplicationSpec replication,
        boolean replaceExisting,
        @Nullable String promoteAfterLsn,
        boolean rewind,
        @Nullable LeaseSpec lease) {

    /** A goal without a lease. */
    public Goal(
            String configuration,
            long epoch,
            String dataDirectory,
            int port,
            NodeState state,
            @Nullable String operationId,
            @Nullable ReplicationSpec replication,
            boolean replaceExisting,
            @Nullable String promoteAfterLsn,
            boolean rewind) {
        this(
                configuration,
                epoch,
                dataDirectory,
                port,
                state,
                operationId,
                replication,
                replaceExisting,
                promoteAfterLsn,
                rewind,
                null);
    }

    /** A goal that promotes nothing and rewinds nothing. */
    public Goal(
            String configuration,
            long epoch,
            String dataDirectory,
            int port,
            NodeState state,
            @Nullable String operationId,
            @Nullable ReplicationSpec replication,
            boolean replaceExisting) {
        this(
                configuration,
                epoch,
                dataDirectory,
                port,
                state,
                operationId,
                replication,
                replaceExisting,
                null,
                false,
                null);
    }
}
