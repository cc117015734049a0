package io.understudy.center.orchestrator;

import static io.understudy.center.orchestrator.GroupStateMachine.goal;
import static io.understudy.center.orchestrator.GroupStateMachine.ranFor;
import static io.understudy.center.orchestrator.GroupStateMachine.reached;
import static io.understudy.center.orchestrator.GroupStateMachine.text;

import io.understudy.center.monitor.Liveness;
import io.understudy.center.orchestrator.Decision.Kind;
import io.understudy.center.orchestrator.Decision.RoleChange;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.OperationKind;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepRecord;
import io.understudy.center.store.StepState;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.state.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the operations that move the primary role: SWITCHOVER, FAILOVER and REINSTATE.
 * Pure, like {@link GroupStateMachine}, which calls them.
 *
 * <p>The epoch grows, and the members' roles change, in the decision that gives a standby its
 * promotion goal: stored before any promotion, in the same transaction as that goal. From then on
 * the snapshot's primary is the new primary and its other member the old one.
 *
 * <p>SWITCHOVER, with the primary P and the standby S:
 *
 * <ol>
 *   <li>"stop P cleanly": P's goal is DEMOTED (a checkpoint, then a clean shutdown, whose
 *       checkpoint P's agent reports). A failure or {@link #STOP_LIMIT} rolls back: P starts again
 *       as the primary; nothing was promoted.
 *   <li>"promote S": the epoch grows, S becomes the PRIMARY member and P the STANDBY one; S's goal
 *       is WAIT_PRIMARY with P's shutdown checkpoint, which S replays before it is promoted. A
 *       failure S's agent reports while S is still a standby rolls back (P starts again, in yet
 *       another epoch); anything else stops the operation with P FENCED and S left to promote.
 *   <li>"restart P as a standby of S": P's goal is CATCHINGUP (configured as a standby, started).
 *   <li>"verify streaming": P streams from S; then S is PRIMARY and P SECONDARY.
 * </ol>
 *
 * A failure from step 3 on stops the operation with P FENCED (kept stopped) and S the primary:
 * the configuration is then failed over, and REINSTATE brings P back.
 *
 * <p>FAILOVER: the epoch grows, S becomes the PRIMARY member and P is FENCED (goal DEMOTED) at
 * once; step 1 waits, while the lease last granted to P may still run, for it to run out (P's
 * agent, if alive, fences P by then) or for P's agent to confirm the stop; without a lease, up to
 * {@link #FENCE_WAIT} for P's agent, when it is online, to stop P; step 2 promotes S. REINSTATE: step 1 rejoins P as a standby of S with a rewind (a new copy when it
 * cannot be rewound); step 2 verifies that it streams, and P becomes the STANDBY member again.
 */
final class PrimaryChanges {
    /** SWITCHOVER's steps. */
    static final int STOP = 1;

    static final int PROMOTE = 2;
    static final int REJOIN = 3;
    static final int VERIFY = 4;

    /** FAILOVER's steps. */
    static final int FENCE = 1;

    static final int FAILOVER_PROMOTE = 2;

    /** REINSTATE's steps. */
    static final int REWIND = 1;

    static final int REINSTATE_VERIFY = 2;

    /** How long the primary may take to stop cleanly in a switchover. */
    static final Duration STOP_LIMIT = Duration.ofMinutes(2);

    /** How long a standby may take to be promoted. */
    static final Duration PROMOTE_LIMIT = Duration.ofMinutes(2);

    /** How long the old primary may take to restart as a standby in a switchover. */
    static final Duration REJOIN_LIMIT = Duration.ofMinutes(5);

    /** How long a failover waits for the old primary's agent, when online, to stop it. */
    static final Duration FENCE_WAIT = Duration.ofSeconds(15);

    private PrimaryChanges() {}

    static List<String> switchoverSteps(DatabaseId primary, DatabaseId standby) {
        return List.of(
                "stop the primary " + primary + " cleanly (checkpoint, clean shutdown)",
                "promote " + standby + " once it has replayed " + primary + "'s shutdown checkpoint (new epoch)",
                "restart " + primary + " as a standby of " + standby,
                "verify streaming");
    }

    static List<String> failoverSteps(DatabaseId primary, DatabaseId standby) {
        return List.of("fence the old primary " + primary, "promote " + standby + " (new epoch)");
    }

    static List<String> reinstateSteps(DatabaseId fenced, DatabaseId primary) {
        return List.of(
                "rewind " + fenced + " from " + primary + " (pg_rewind; a new copy if it cannot be rewound) and"
                        + " start it as a standby",
                "verify streaming");
    }

    // --- switchover

    static Decision switchover(ConfigurationSnapshot s, OperationSnapshot operation, Instant now) {
        String id = operation.id();
        Optional<StepRecord> running = operation.running();
        if (running.isEmpty()) {
            MemberSnapshot primary = s.primary();
            return new Decision(
                    Kind.STOP_PRIMARY,
                    List.of(goal(primary, NodeState.DEMOTED, id)),
                    List.of(new StepChange(STOP, StepState.RUNNING, null)),
                    null,
                    "step 1 waits for " + primary.id() + " to stop cleanly",
                    s.name() + ": switchover started: " + primary.id()
                            + " checkpoints, then shuts down cleanly; writes stop until "
                            + s.standby().id()
                            + " is promoted");
        }
        StepRecord step = running.get();
        if (step.number() == STOP) {
            MemberSnapshot oldPrimary = s.primary();
            MemberSnapshot standby = s.standby();
            @Nullable String failure = failureFor(oldPrimary, id);
            if (failure != null) {
                return rollBack(s, operation, oldPrimary, standby, false, failure, Kind.OPERATION_FAILED);
            }
            if (reached(oldPrimary, NodeState.DEMOTED, id)) {
                @Nullable String checkpoint = oldPrimary.member().checkpointLsn();
                if (checkpoint == null) {
                    return rollBack(
                            s,
                            operation,
                            oldPrimary,
                            standby,
                            false,
                            oldPrimary.id() + " stopped without a clean shutdown checkpoint",
                            Kind.OPERATION_FAILED);
                }
                long epoch = s.configuration().epoch() + 1;
                return new Decision(
                                Kind.PROMOTE,
                                List.of(
                                        goal(standby, NodeState.WAIT_PRIMARY, id),
                                        goal(oldPrimary, NodeState.DEMOTED, id)),
                                List.of(
                                        new StepChange(
                                                STOP,
                                                StepState.DONE,
                                                oldPrimary.id() + " stopped cleanly; shutdown checkpoint "
                                                        + checkpoint),
                                        new StepChange(PROMOTE, StepState.RUNNING, null)),
                                null,
                                "step 2 waits for " + standby.id() + " to replay up to " + checkpoint
                                        + " and be promoted",
                                s.name() + ": " + oldPrimary.id() + " stopped cleanly at " + checkpoint
                                        + "; epoch " + epoch + ": " + standby.id() + " is promoted once it has"
                                        + " replayed that far")
                        .withRoles(
                                epoch,
                                List.of(
                                        new RoleChange(standby.id(), Role.PRIMARY),
                                        new RoleChange(oldPrimary.id(), Role.STANDBY)));
            }
            if (ranFor(step, now, STOP_LIMIT)) {
                return rollBack(
                        s,
                        operation,
                        oldPrimary,
                        standby,
                        false,
                        oldPrimary.id() + " did not stop within " + text(STOP_LIMIT) + ": "
                                + GroupStateMachine.whyDown(oldPrimary),
                        Kind.STEP_TIMED_OUT);
            }
            return waiting(
                    s, STOP, "for " + oldPrimary.id() + " to stop cleanly", goal(oldPrimary, NodeState.DEMOTED, id));
        }
        // From step 2 on, the roles are swapped.
        MemberSnapshot newPrimary = s.primary();
        MemberSnapshot oldPrimary = s.standby();
        switch (step.number()) {
            case PROMOTE -> {
                @Nullable String failure = failureFor(newPrimary, id);
                if (failure != null && stillAStandby(newPrimary)) {
                    return rollBack(s, operation, oldPrimary, newPrimary, true, failure, Kind.OPERATION_FAILED);
                }
                if (reached(newPrimary, NodeState.WAIT_PRIMARY, id)) {
                    return new Decision(
                            Kind.REJOIN,
                            List.of(
                                    goal(newPrimary, NodeState.WAIT_PRIMARY, id),
                                    goal(oldPrimary, NodeState.CATCHINGUP, id)),
                            List.of(
                                    new StepChange(
                                            PROMOTE,
                                            StepState.DONE,
                                            newPrimary.id() + " is the primary in epoch "
                                                    + s.configuration().epoch()),
                                    new StepChange(REJOIN, StepState.RUNNING, null)),
                            null,
                            "step 3 waits for " + oldPrimary.id() + " to restart as a standby of " + newPrimary.id(),
                            s.name() + ": " + newPrimary.id() + " promoted; " + oldPrimary.id()
                                    + " restarts as its standby");
                }
                if (failure != null) {
                    return stop(s, operation, PROMOTE, failure, Kind.OPERATION_FAILED);
                }
                if (ranFor(step, now, PROMOTE_LIMIT)) {
                    return stop(
                            s,
                            operation,
                            PROMOTE,
                            newPrimary.id() + " was not promoted within " + text(PROMOTE_LIMIT) + ": "
                                    + stateOf(newPrimary),
                            Kind.STEP_TIMED_OUT);
                }
                return waiting(
                        s,
                        PROMOTE,
                        "for " + newPrimary.id() + " to be promoted",
                        goal(newPrimary, NodeState.WAIT_PRIMARY, id),
                        goal(oldPrimary, NodeState.DEMOTED, id));
            }
            case REJOIN -> {
                @Nullable String failure = failureFor(oldPrimary, id);
                if (failure != null) {
                    return stop(s, operation, REJOIN, failure, Kind.OPERATION_FAILED);
                }
                if (reached(oldPrimary, NodeState.CATCHINGUP, id)) {
                    return verifyNext(s, REJOIN, VERIFY, oldPrimary.id() + " runs as a standby of " + newPrimary.id());
                }
                if (ranFor(step, now, REJOIN_LIMIT)) {
                    return stop(
                            s,
                            operation,
                            REJOIN,
                            oldPrimary.id() + " did not restart as a standby within " + text(REJOIN_LIMIT) + ": "
                                    + stateOf(oldPrimary),
                            Kind.STEP_TIMED_OUT);
                }
                return waiting(
                        s,
                        REJOIN,
                        "for " + oldPrimary.id() + " to restart as a standby",
                        goal(newPrimary, NodeState.WAIT_PRIMARY, id),
                        goal(oldPrimary, NodeState.CATCHINGUP, id));
            }
            case VERIFY -> {
                if (streamsAndReplays(s)) {
                    return new Decision(
                            Kind.SWITCHED_OVER,
                            List.of(
                                    goal(newPrimary, NodeState.PRIMARY, null),
                                    goal(oldPrimary, NodeState.SECONDARY, null)),
                            List.of(new StepChange(
                                    VERIFY, StepState.DONE, oldPrimary.id() + feeds(s) + newPrimary.id())),
                            OperationState.SUCCEEDED,
                            "switched over: " + newPrimary.id() + " is the primary in epoch "
                                    + s.configuration().epoch() + "; " + oldPrimary.id() + feeds(s) + "it",
                            s.name() + ": switched over to " + newPrimary.id());
                }
                if (ranFor(step, now, GroupStateMachine.VERIFY_LIMIT)) {
                    return stop(s, operation, VERIFY, notFed(s, GroupStateMachine.VERIFY_LIMIT), Kind.STEP_TIMED_OUT);
                }
                return waiting(
                        s,
                        VERIFY,
                        "for " + oldPrimary.id() + toFeed(s) + newPrimary.id(),
                        goal(newPrimary, NodeState.WAIT_PRIMARY, id),
                        goal(oldPrimary, NodeState.CATCHINGUP, id));
            }
            default -> {
                return Decision.nothing(s.name() + ": operation " + id + " runs step " + step.number()
                        + ", which a switchover does not have");
            }
        }
    }

    /**
     * Ends a switchover that failed before anything was promoted: the old primary starts again as
     * the primary, the standby stays one. After the epoch grew (step 2), it grows again and the
     * roles go back.
     */
    private static Decision rollBack(
            ConfigurationSnapshot s,
            OperationSnapshot operation,
            MemberSnapshot oldPrimary,
            MemberSnapshot standby,
            boolean swapped,
            String why,
            Kind kind) {
        int step = operation.running().orElse(operation.current()).number();
        String message = "switchover failed at step " + step + ": " + why + "; nothing was promoted: " + oldPrimary.id()
                + " starts again as the primary";
        Decision decision = new Decision(
                kind,
                List.of(goal(oldPrimary, NodeState.PRIMARY, null), goal(standby, NodeState.SECONDARY, null)),
                List.of(new StepChange(step, StepState.FAILED, why)),
                OperationState.FAILED,
                message,
                s.name() + ": " + message);
        if (!swapped) {
            return decision;
        }
        long epoch = s.configuration().epoch() + 1;
        return decision.withRoles(
                epoch,
                List.of(new RoleChange(oldPrimary.id(), Role.PRIMARY), new RoleChange(standby.id(), Role.STANDBY)));
    }

    /**
     * Ends an operation that moves the primary role where resuming is unsafe or impossible, in a
     * state that names itself: for a switchover or a failover, the old primary FENCED (kept
     * stopped) and the new one left to finish its promotion; for a reinstate, the old primary
     * FENCED as it was. A cancel comes here too ({@code kind} OPERATION_CANCELLED).
     */
    static Decision stop(ConfigurationSnapshot s, OperationSnapshot operation, int step, String why, Kind kind) {
        OperationKind what = operation.operation().kind();
        if (what == OperationKind.SWITCHOVER && step == STOP) {
            return rollBack(s, operation, s.primary(), s.standby(), false, why, kind);
        }
        MemberSnapshot primary = s.primary();
        MemberSnapshot other = s.standby();
        List<Assignment> goals = new ArrayList<>();
        goals.add(goal(other, NodeState.DEMOTED, null));
        NodeState primaryGoal = primary.member().goalState();
        if (what == OperationKind.SWITCHOVER || primaryGoal == NodeState.WAIT_PRIMARY) {
            primaryGoal = NodeState.WAIT_PRIMARY; // promoted, or left to finish its promotion
        }
        goals.add(goal(primary, primaryGoal, null));
        String name = s.configuration().name();
        String message = what + " stopped at step " + step + ": " + why + "; " + other.id()
                + " is FENCED (kept stopped) and " + primary.id() + " is the primary in epoch "
                + s.configuration().epoch() + (primaryGoal == NodeState.WAIT_PRIMARY ? "" : " once promoted")
                + "; run `understudy "
                + (what == OperationKind.FAILOVER ? "failover " + name + " --yes" : "reinstate " + name)
                + "` to go on";
        Decision decision = new Decision(
                kind,
                goals,
                List.of(new StepChange(step, StepState.FAILED, why)),
                OperationState.FAILED,
                message,
                s.name() + ": " + message);
        return other.member().role() == Role.FENCED
                ? decision
                : decision.withRoles(null, List.of(new RoleChange(other.id(), Role.FENCED)));
    }

    // --- failover

    static Decision failover(ConfigurationSnapshot s, OperationSnapshot operation, Instant now) {
        String id = operation.id();
        Optional<StepRecord> running = operation.running();
        if (running.isEmpty()) {
            boolean swapped = s.standby().member().role() == Role.FENCED; // a failover tried again
            MemberSnapshot oldPrimary = swapped ? s.standby() : s.primary();
            MemberSnapshot standby = swapped ? s.primary() : s.standby();
            long epoch = s.configuration().epoch() + (swapped ? 0 : 1);
            Decision decision = new Decision(
                    Kind.FENCE,
                    List.of(goal(oldPrimary, NodeState.DEMOTED, id)),
                    List.of(new StepChange(FENCE, StepState.RUNNING, null)),
                    null,
                    "step 1 waits for " + oldPrimary.id() + " to be fenced",
                    s.name() + ": failover started: epoch " + epoch + "; " + oldPrimary.id() + " is FENCED and "
                            + standby.id() + " is to be promoted");
            return swapped
                    ? decision
                    : decision.withRoles(
                            epoch,
                            List.of(
                                    new RoleChange(standby.id(), Role.PRIMARY),
                                    new RoleChange(oldPrimary.id(), Role.FENCED)));
        }
        MemberSnapshot newPrimary = s.primary();
        MemberSnapshot oldPrimary = s.standby();
        StepRecord step = running.get();
        switch (step.number()) {
            case FENCE -> {
                String done;
                if (reached(oldPrimary, NodeState.DEMOTED, id)) {
                    done = oldPrimary.id() + " is stopped";
                } else if (s.leaseRuns(oldPrimary, now)) {
                    // Its agent, if alive and cut off, fences it before the lease runs out.
                    return waiting(
                            s,
                            FENCE,
                            "for the lease of " + oldPrimary.id() + " to run out at "
                                    + Objects.requireNonNull(s.lease()).expiresAt()
                                    + " (its agent, if alive, fences it by then), or for its agent to stop it",
                            goal(oldPrimary, NodeState.DEMOTED, id));
                } else if (s.lease() != null
                        && s.lease().holder().equals(oldPrimary.id().toString())
                        && s.lease().epoch() == s.configuration().epoch() - 1) {
                    done = "its lease ran out at " + s.lease().expiresAt() + ": its agent, if alive, has fenced it;"
                            + " it is kept stopped";
                } else if (!oldPrimary.agentOnline()) {
                    done = "its " + Liveness.offlineReason(oldPrimary.member().agent(), oldPrimary.agentLastReportAt())
                            + "; it is kept stopped when it comes back";
                } else if (ranFor(step, now, FENCE_WAIT)) {
                    done = "its agent did not confirm the stop within " + text(FENCE_WAIT) + " (" + stateOf(oldPrimary)
                            + "); it keeps trying";
                } else {
                    return waiting(
                            s,
                            FENCE,
                            "for agent " + oldPrimary.member().agent() + " to stop " + oldPrimary.id(),
                            goal(oldPrimary, NodeState.DEMOTED, id));
                }
                return new Decision(
                        Kind.PROMOTE,
                        List.of(goal(oldPrimary, NodeState.DEMOTED, id), goal(newPrimary, NodeState.WAIT_PRIMARY, id)),
                        List.of(
                                new StepChange(FENCE, StepState.DONE, done),
                                new StepChange(FAILOVER_PROMOTE, StepState.RUNNING, null)),
                        null,
                        "step 2 waits for " + newPrimary.id() + " to be promoted",
                        s.name() + ": " + oldPrimary.id() + " fenced (" + done + "); " + newPrimary.id()
                                + " is promoted");
            }
            case FAILOVER_PROMOTE -> {
                if (reached(newPrimary, NodeState.WAIT_PRIMARY, id)) {
                    return new Decision(
                            Kind.FAILED_OVER,
                            List.of(
                                    goal(newPrimary, NodeState.WAIT_PRIMARY, null),
                                    goal(oldPrimary, NodeState.DEMOTED, null)),
                            List.of(new StepChange(
                                    FAILOVER_PROMOTE,
                                    StepState.DONE,
                                    newPrimary.id() + " is the primary in epoch "
                                            + s.configuration().epoch())),
                            OperationState.SUCCEEDED,
                            "failed over: " + newPrimary.id() + " is the primary in epoch "
                                    + s.configuration().epoch() + "; " + oldPrimary.id()
                                    + " is FENCED until `understudy reinstate " + s.name() + "`",
                            s.name() + ": failed over to " + newPrimary.id());
                }
                @Nullable String failure = failureFor(newPrimary, id);
                if (failure != null) {
                    return stop(s, operation, FAILOVER_PROMOTE, failure, Kind.OPERATION_FAILED);
                }
                if (ranFor(step, now, PROMOTE_LIMIT)) {
                    return stop(
                            s,
                            operation,
                            FAILOVER_PROMOTE,
                            newPrimary.id() + " was not promoted within " + text(PROMOTE_LIMIT) + ": "
                                    + stateOf(newPrimary),
                            Kind.STEP_TIMED_OUT);
                }
                return waiting(
                        s,
                        FAILOVER_PROMOTE,
                        "for " + newPrimary.id() + " to be promoted",
                        goal(oldPrimary, NodeState.DEMOTED, id),
                        goal(newPrimary, NodeState.WAIT_PRIMARY, id));
            }
            default -> {
                return Decision.nothing(s.name() + ": operation " + id + " runs step " + step.number()
                        + ", which a failover does not have");
            }
        }
    }

    // --- reinstate

    static Decision reinstate(ConfigurationSnapshot s, OperationSnapshot operation, Instant now) {
        String id = operation.id();
        MemberSnapshot primary = s.primary();
        MemberSnapshot fenced = s.standby();
        Optional<StepRecord> running = operation.running();
        if (running.isEmpty()) {
            return new Decision(
                    Kind.REJOIN,
                    List.of(goal(fenced, NodeState.CATCHINGUP, id)),
                    List.of(new StepChange(REWIND, StepState.RUNNING, null)),
                    null,
                    "step 1 waits for " + fenced.id() + " to be rewound and started as a standby",
                    s.name() + ": reinstate started: " + fenced.id() + " is rewound from " + primary.id()
                            + " and started as its standby");
        }
        StepRecord step = running.get();
        switch (step.number()) {
            case REWIND -> {
                @Nullable String failure = failureFor(fenced, id);
                if (failure != null) {
                    return stop(s, operation, REWIND, failure, Kind.OPERATION_FAILED);
                }
                if (reached(fenced, NodeState.CATCHINGUP, id)) {
                    return verifyNext(
                            s, REWIND, REINSTATE_VERIFY, fenced.id() + " runs as a standby of " + primary.id());
                }
                @Nullable String stalled = GroupStateMachine.stalled(s, step, now);
                if (stalled != null) {
                    return stop(s, operation, REWIND, stalled, Kind.STEP_TIMED_OUT);
                }
                return waiting(
                        s,
                        REWIND,
                        "for " + fenced.id() + " to be rewound and started as a standby",
                        goal(fenced, NodeState.CATCHINGUP, id));
            }
            case REINSTATE_VERIFY -> {
                if (streamsAndReplays(s)) {
                    return new Decision(
                                    Kind.REINSTATED,
                                    List.of(
                                            goal(primary, NodeState.PRIMARY, null),
                                            goal(fenced, NodeState.SECONDARY, null)),
                                    List.of(new StepChange(
                                            REINSTATE_VERIFY, StepState.DONE, fenced.id() + feeds(s) + primary.id())),
                                    OperationState.SUCCEEDED,
                                    "reinstated: " + fenced.id() + " is the standby of " + primary.id(),
                                    s.name() + ": " + fenced.id() + " reinstated as the standby of " + primary.id())
                            .withRoles(null, List.of(new RoleChange(fenced.id(), Role.STANDBY)));
                }
                if (ranFor(step, now, GroupStateMachine.VERIFY_LIMIT)) {
                    return stop(
                            s,
                            operation,
                            REINSTATE_VERIFY,
                            notFed(s, GroupStateMachine.VERIFY_LIMIT),
                            Kind.STEP_TIMED_OUT);
                }
                return waiting(
                        s,
                        REINSTATE_VERIFY,
                        "for " + fenced.id() + toFeed(s) + primary.id(),
                        goal(fenced, NodeState.CATCHINGUP, id));
            }
            default -> {
                return Decision.nothing(s.name() + ": operation " + id + " runs step " + step.number()
                        + ", which a reinstate does not have");
            }
        }
    }

    // --- shared

    private static Decision verifyNext(ConfigurationSnapshot s, int done, int verify, String message) {
        return new Decision(
                Kind.VERIFY_STREAMING,
                List.of(),
                List.of(new StepChange(done, StepState.DONE, message), new StepChange(verify, StepState.RUNNING, null)),
                null,
                "step " + verify + " waits for " + s.standby().id() + toFeed(s)
                        + s.primary().id(),
                s.name() + ": " + message + "; waiting for it to stream");
    }

    /** The standby is fed: it streams, or for WAL shipping it asks its archive for WAL; and it replays. */
    private static boolean streamsAndReplays(ConfigurationSnapshot s) {
        boolean fed = WalShippingRules.ships(s) ? WalShippingRules.restores(s) : GroupStateMachine.streams(s);
        return fed && ReplicationHealth.replays(ReplicationHealth.standbyState(s));
    }

    /** {@code " streams from "}, or for WAL shipping {@code " replays WAL shipped from "}. */
    private static String feeds(ConfigurationSnapshot s) {
        return WalShippingRules.ships(s) ? " replays WAL shipped from " : " streams from ";
    }

    /** {@code " to stream from "}, or for WAL shipping {@code " to replay WAL shipped from "}. */
    private static String toFeed(ConfigurationSnapshot s) {
        return WalShippingRules.ships(s) ? " to replay WAL shipped from " : " to stream from ";
    }

    /** Why the standby is not fed after {@code limit}: not streaming, or not restoring shipped WAL. */
    private static String notFed(ConfigurationSnapshot s, Duration limit) {
        return WalShippingRules.ships(s)
                ? WalShippingRules.notRestoring(s, limit)
                : GroupStateMachine.notStreaming(s, limit);
    }

    /** The failure {@code member}'s agent reported for operation {@code id}; null when none. */
    private static @Nullable String failureFor(MemberSnapshot member, String id) {
        return id.equals(member.member().reportedOperationId())
                ? member.member().failure()
                : null;
    }

    /** Whether {@code member} is, by a fresh observation of its online agent, still a standby (not promoted). */
    private static boolean stillAStandby(MemberSnapshot member) {
        @Nullable DatabaseRecord database = member.database();
        return member.agentOnline()
                && database != null
                && database.running()
                && database.role() == Role.STANDBY
                && member.member().reportedState() != NodeState.WAIT_PRIMARY;
    }

    /** What is known of {@code member}, in words, for a message. */
    private static String stateOf(MemberSnapshot member) {
        if (!member.agentOnline()) {
            return Liveness.offlineReason(member.member().agent(), member.agentLastReportAt());
        }
        @Nullable NodeState reported = member.member().reportedState();
        return "its agent reports " + (reported == null ? "nothing yet" : reported.name())
                + (member.member().progress() == null
                        ? ""
                        : ", at \"" + member.member().progress().phase() + "\"");
    }

    /**
     * Waits for the agents to reach the step's goals, which it assigns again: a goal is idempotent,
     * and one that was lost (it should not be) is given back rather than waited for forever.
     */
    private static Decision waiting(ConfigurationSnapshot s, int step, String what, Assignment... goals) {
        for (MemberSnapshot member : s.members()) {
            if (!member.agentOnline()) {
                String message = "step " + step + " waits " + what + "; "
                        + Liveness.offlineReason(member.member().agent(), member.agentLastReportAt());
                return new Decision(Kind.WAITING, List.of(goals), List.of(), null, message, s.name() + ": " + message);
            }
        }
        String message = "step " + step + " waits " + what;
        return new Decision(Kind.WAITING, List.of(goals), List.of(), null, message, s.name() + ": " + message);
    }
}
