package io.understudy.agent;

import static io.understudy.core.state.NodeState.CATCHINGUP;
import static io.understudy.core.state.NodeState.DEMOTED;
import static io.understudy.core.state.NodeState.PRIMARY;
import static io.understudy.core.state.NodeState.SECONDARY;
import static io.understudy.core.state.NodeState.SINGLE;
import static io.understudy.core.state.NodeState.WAIT_PRIMARY;
import static io.understudy.core.state.NodeState.WAIT_STANDBY;

import io.understudy.core.state.NodeState;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the agent gets a database from the state it has reached to the goal the Control Center
 * gave it: a table of transitions, after pg_auto_failover's {@code KeeperFSM[]} (STYLE.md 2.1).
 * A pair that has no row fails loudly; the agent never improvises a way between two states.
 * The same state as reported and as goal is not a transition: there is nothing to do.
 *
 * <p>The "why" of each row is data: it is logged at INFO when the row runs, and printed in the
 * diagram ({@link #mermaid()}).
 */
final class NodeFsm {
    private static final Logger log = LoggerFactory.getLogger(NodeFsm.class);

    private NodeFsm() {}

    /** Where a step runs. */
    enum Runs {
        /** In the tick itself: a check or nothing, never a change to a database. */
        IN_TICK,
        /** As the agent's one long action ({@link LongAction}); the loop keeps reporting meanwhile. */
        AS_LONG_ACTION
    }

    /** What a step does; throws when it cannot get there. */
    @FunctionalInterface
    interface Work {
        void run(StepContext context);
    }

    /**
     * What a transition does to reach its state.
     *
     * @param name what it does in a few words, e.g. {@code create the standby}
     * @param runs in the tick or as a long action
     * @param work the work itself
     */
    record Step(String name, Runs runs, Work work) {}

    /**
     * One row of the table.
     *
     * @param from the state reached; null when the agent holds no state for the data directory
     *     (a new target, or an agent that lost its state file)
     * @param to the goal state
     * @param why why this row does what it does, logged as {@code from → to: why}
     * @param step how it gets there
     */
    record Transition(@Nullable NodeState from, NodeState to, String why, Step step) {}

    /** Every transition the agent knows. */
    static final List<Transition> TABLE = List.of(
            row(null, SINGLE, "adopt the primary; nothing to do", Steps.NOTHING),
            row(SINGLE, WAIT_PRIMARY, "prepare the primary for a standby", Steps.PREPARE_PRIMARY),
            row(null, WAIT_PRIMARY, "prepare the primary for a standby", Steps.PREPARE_PRIMARY),
            row(
                    WAIT_PRIMARY,
                    PRIMARY,
                    "the standby streams, or the operation ended with a standby in place; nothing to do",
                    Steps.NOTHING),
            row(WAIT_PRIMARY, SINGLE, "the operation failed or was cancelled; nothing to undo", Steps.NOTHING),
            row(PRIMARY, WAIT_PRIMARY, "a standby is created again; prepare again (idempotent)", Steps.PREPARE_PRIMARY),
            row(null, PRIMARY, "adopt the primary, only when it runs as one", Steps.ADOPT_PRIMARY),
            row(null, WAIT_STANDBY, "standby target; inspect only, change nothing", Steps.NOTHING),
            row(WAIT_STANDBY, CATCHINGUP, "the primary is prepared; create the standby", Steps.CREATE_STANDBY),
            row(null, CATCHINGUP, "create the standby; the creation is safe to run again", Steps.CREATE_STANDBY),
            row(CATCHINGUP, SECONDARY, "streaming confirmed by the Control Center; nothing to do", Steps.NOTHING),
            row(CATCHINGUP, WAIT_STANDBY, "the creation failed a later check; wait for a retry", Steps.NOTHING),
            row(SECONDARY, WAIT_STANDBY, "the standby is to be created again; wait for the primary", Steps.NOTHING),
            row(
                    SECONDARY,
                    CATCHINGUP,
                    "create the standby again; the creation is safe to run again",
                    Steps.CREATE_STANDBY),
            row(null, SECONDARY, "adopt the standby, only when it runs as one", Steps.ADOPT_STANDBY),
            row(PRIMARY, DEMOTED, "switchover or fence: checkpoint, then a clean shutdown", Steps.DEMOTE),
            row(WAIT_PRIMARY, DEMOTED, "switchover or fence: checkpoint, then a clean shutdown", Steps.DEMOTE),
            row(SINGLE, DEMOTED, "fenced: checkpoint, then a clean shutdown", Steps.DEMOTE),
            row(SECONDARY, DEMOTED, "fenced: stop it", Steps.DEMOTE),
            row(CATCHINGUP, DEMOTED, "fenced, or its rejoin failed: stop it", Steps.DEMOTE),
            row(null, DEMOTED, "fenced, with no state here: stop it if it runs", Steps.DEMOTE),
            row(
                    DEMOTED,
                    PRIMARY,
                    "the switchover stopped before any promotion: start again as the primary",
                    Steps.START_PRIMARY),
            row(
                    SECONDARY,
                    WAIT_PRIMARY,
                    "promote (in a switchover, after replaying the old primary's shutdown checkpoint);"
                            + " then prepare for the old primary as standby",
                    Steps.PROMOTE),
            row(CATCHINGUP, WAIT_PRIMARY, "failover: promote whatever it replayed", Steps.PROMOTE),
            row(
                    DEMOTED,
                    CATCHINGUP,
                    "rejoin as a standby of the new primary (rewound first when reinstated)",
                    Steps.REJOIN));

    private static Transition row(@Nullable NodeState from, NodeState to, String why, Step step) {
        return new Transition(from, to, why, step);
    }

    /**
     * The row from {@code current} to {@code goal}.
     *
     * @throws IllegalStateException {@code no transition from X to Y} when the table has none
     */
    static Transition find(@Nullable NodeState current, NodeState goal) {
        return TABLE.stream()
                .filter(t -> t.from() == current && t.to() == goal)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no transition from " + name(current) + " to " + goal));
    }

    /**
     * Finds the row from {@code current} to {@code goal}, logs {@code from → to: why} at INFO and
     * runs its step. Blocks as long as the step does.
     *
     * @throws IllegalStateException when the table has no such row
     * @throws RuntimeException whatever the step throws; then the state is not reached
     */
    static void reach(@Nullable NodeState current, NodeState goal, StepContext context) {
        Transition transition = find(current, goal);
        log.info("{} → {}: {} ({})", name(current), goal, transition.why(), context.dataDirectory());
        transition.step().work().run(context);
    }

    /** The table as a Mermaid state diagram; {@code [*]} stands for "no state yet". */
    static String mermaid() {
        return TABLE.stream()
                .map(t -> "    " + Objects.toString(t.from(), "[*]") + " --> " + t.to() + " : " + t.why()
                        + (t.step().runs() == Runs.AS_LONG_ACTION ? " (long action)" : ""))
                .collect(Collectors.joining("\n", "stateDiagram-v2\n", "\n"));
    }

    private static String name(@Nullable NodeState state) {
        return Objects.toString(state, "(no state)");
    }
}
