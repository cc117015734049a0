package io.understudy.agent.shipping;

import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.WalShippingSpec;
import io.understudy.core.state.NodeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The WAL-shipping goals an agent holds, and which of them a request of the file-transfer channel
 * is for. Pure.
 */
final class ShippingGoals {
    /**
     * The goal states of a database that archives: a Configuration's primary, and an old primary
     * being stopped (DEMOTED), whose shutdown archives its last complete segment.
     */
    static final Set<NodeState> PRIMARY_STATES =
            Set.of(NodeState.SINGLE, NodeState.WAIT_PRIMARY, NodeState.PRIMARY, NodeState.DEMOTED);

    /** The goal states of a Configuration's standby (or standby target). */
    static final Set<NodeState> STANDBY_STATES =
            Set.of(NodeState.WAIT_STANDBY, NodeState.CATCHINGUP, NodeState.SECONDARY);

    /**
     * One WAL-shipping goal of this agent.
     *
     * @param dataDirectory the database's data directory
     * @param goal the goal
     * @param shipping its shipping settings
     */
    record Held(Path dataDirectory, Goal goal, WalShippingSpec shipping) {
        boolean isPrimary() {
            return PRIMARY_STATES.contains(goal.state());
        }
    }

    private ShippingGoals() {}

    /**
     * The goal of Configuration {@code configuration} on the primary's side ({@code primary}) or
     * the standby's, fed by WAL shipping; empty when this agent holds none.
     */
    static Optional<Held> find(Map<Path, Goal> goals, String configuration, boolean primary) {
        return find(goals, configuration, primary ? PRIMARY_STATES : STANDBY_STATES);
    }

    /**
     * The goal of Configuration {@code configuration} fed by WAL shipping, preferably on the
     * standby's side, else on the primary's (a standby being promoted already holds a primary's
     * goal, and still takes the files shipped to it); empty when this agent holds none.
     */
    static Optional<Held> findStandbyFirst(Map<Path, Goal> goals, String configuration) {
        return find(goals, configuration, STANDBY_STATES).or(() -> find(goals, configuration, true));
    }

    private static Optional<Held> find(Map<Path, Goal> goals, String configuration, Set<NodeState> side) {
        for (Map.Entry<Path, Goal> e : goals.entrySet()) {
            Goal goal = e.getValue();
            ReplicationSpec spec = goal.replication();
            if (!goal.configuration().equals(configuration) || spec == null || !spec.shipsWal()) {
                continue;
            }
            WalShippingSpec shipping = spec.shipping();
            if (shipping != null && side.contains(goal.state())) {
                return Optional.of(new Held(e.getKey(), goal, shipping));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code authorization} is {@code Bearer <the configuration's transfer secret>}, in constant time. */
    static boolean authorizes(WalShippingSpec shipping, String authorization) {
        Secret secret = shipping.transferSecret();
        byte[] expected = ("Bearer " + secret.reveal()).getBytes(StandardCharsets.UTF_8);
        byte[] given = authorization.getBytes(StandardCharsets.UTF_8);
        return !secret.isEmpty() && MessageDigest.isEqual(expected, given);
    }
}
