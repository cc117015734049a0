/**
 * The states a managed Database moves through inside a Configuration. The Control Center assigns
 * a goal state; the agent reaches it through its transition table and reports the state it has
 * reached. Goal and reported state are kept apart everywhere.
 *
 * <p>Key type: {@link io.understudy.core.state.NodeState}. Values only.
 */
@NullMarked
package io.understudy.core.state;

import org.jspecify.annotations.NullMarked;
