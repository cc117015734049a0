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
 */
public record Goal(
        String configuration,
        long epoch,
        String dataDirectory,
        int port,
        NodeState state,
        @Nullable String operationId,
        @Nullable ReplicationSpec replication,
        boolean replaceExisting) {}
