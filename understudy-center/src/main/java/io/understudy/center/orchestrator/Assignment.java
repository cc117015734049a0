package io.understudy.center.orchestrator;

import io.understudy.core.database.DatabaseId;
import io.understudy.core.state.NodeState;
import org.jspecify.annotations.Nullable;

/**
 * A goal the rules want one database of the Configuration to have.
 *
 * @param database which member
 * @param state its goal state
 * @param operationId the operation the goal belongs to; null when none
 */
public record Assignment(DatabaseId database, NodeState state, @Nullable String operationId) {}
