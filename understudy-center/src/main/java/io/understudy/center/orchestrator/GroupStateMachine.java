package io.understudy.center.orchestrator;

import io.understudy.center.monitor.Liveness;
import io.understudy.center.orchestrator.Decision.Kind;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.center.store.OperationKind;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepRecord;
import io.understudy.center.store.StepState;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.state.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a Configuration: from a snapshot, the goals of its databases and the progress of
 * its running operation. Pure: no I/O, no clock reads; everything it needs is in the arguments
 * (STYLE.md 2.2). Thread-safe (stateless).
 *
 * <p>CREATE_STANDBY, with the primary P and the standby S:
 *
 * <ol>
 *   <li>"prepare primary P": P's goal is WAIT_PRIMARY; done when P reports WAIT_PRIMARY for this
 *       operation. Fails after {@link #PREPARE_LIMIT}.
 *   <li>"create standby at S (base backup)": S's goal is CATCHINGUP; done when S reports
 *       CATCHINGUP for this operation. No fixed limit while S's agent reports and its progress
 *       moves; fails after {@link #STALL_LIMIT} with S's agent offline or without a change of its
 *       progress.
 *   <li>"verify streaming": done when P, up with its agent online, shows S's application name
 *       streaming in {@code pg_stat_replication} and S replays (hot or warm); then P's goal is
 *       PRIMARY, S's SECONDARY, and the operation SUCCEEDED. Fails after {@link #VERIFY_LIMIT}.
 * </ol>
 *
 * A failure (one an agent reports for the operation, a step past its deadline, or a user's cancel)
 * fails the running step and the operation, and resets the goals so that a retry starts clean: S
 * goes back to WAIT_STANDBY, and P to SINGLE (PRIMARY once a standby has been created), which it
 * reaches without doing anything, so that the retry's WAIT_PRIMARY prepares it again. An agent that
 * is offline makes the operation wait until a deadline, and its message says so.
 */
public final class GroupStateMachine {
    /** Step numbers of CREATE_STANDBY. */
    static final int PREPARE = 1;

    static final int BASE_BACKUP = 2;
    static final int VERIFY = 3;

    /** How long "prepare primary" may take. */
    static final Duration PREPARE_LIMIT = Duration.ofMinutes(5);

    /** How long "create standby" may go with its agent offline, or without a change of its progress. */
    static final Duration STALL_LIMIT = Duration.ofMinutes(10);

    /** How long "verify streaming" may wait for the standby to stream. */
    static final Duration VERIFY_LIMIT = Duration.ofMinutes(2);

    /** The state of a standby in {@code pg_stat_replication} once it streams. */
    static final String STREAMING = "streaming";

    /**
     * Decides for {@code snapshot}.
     *
     * @param now the Control Center's time: for the steps' deadlines and for messages
     */
    public Decision decide(ConfigurationSnapshot snapshot, Instant now) {
        OperationSnapshot operation = snapshot.operation();
        if (operation == null || !operation.operation().isRunning()) {
            return Decision.nothing("no operation runs on " + snapshot.name());
        }
        return switch (operation.operation().kind()) {
            case CREATE_STANDBY -> createStandby(snapshot, operation, now);
            case SWITCHOVER -> PrimaryChanges.switchover(snapshot, operation, now);
            case FAILOVER -> PrimaryChanges.failover(snapshot, operation, now);
            case REINSTATE -> PrimaryChanges.reinstate(snapshot, operation, now);
        };
    }

    /**
     * Cancels the running operation of {@code snapshot} for {@code user}: its current step and the
     * operation fail with "cancelled by USER", and the goals are reset as after any failure.
     *
     * @throws IllegalStateException if no operation runs
     */
    public Decision cancel(ConfigurationSnapshot snapshot, String user) {
        OperationSnapshot operation = snapshot.operation();
        if (operation == null || !operation.operation().isRunning()) {
            throw new IllegalStateException("no operation runs on " + snapshot.name());
        }
        StepRecord step = operation.running().orElse(operation.current());
        String message = "cancelled by " + user;
        if (operation.operation().kind() != OperationKind.CREATE_STANDBY) {
            return PrimaryChanges.stop(snapshot, operation, step.number(), message, Kind.OPERATION_CANCELLED);
        }
        return new Decision(
                Kind.OPERATION_CANCELLED,
                resetGoals(snapshot),
                List.of(new StepChange(step.number(), StepState.FAILED, message)),
                OperationState.FAILED,
                message,
                snapshot.name() + ": " + operation.operation().kind() + " (operation " + operation.id() + ") "
                        + message + " at step " + step.number() + " \"" + step.name() + "\"; "
                        + resetSaying(snapshot));
    }

    /** The names of CREATE_STANDBY's steps, by number from 1. */
    public static List<String> createStandbySteps(DatabaseId primary, String standbyAgent, String dataDirectory) {
        return List.of(
                "prepare primary " + primary,
                "create standby at " + standbyAgent + ":" + dataDirectory + " (base backup)",
                "verify streaming");
    }

    private static Decision createStandby(ConfigurationSnapshot s, OperationSnapshot operation, Instant now) {
        String id = operation.id();
        MemberSnapshot primary = s.primary();
        MemberSnapshot standby = s.standby();
        for (MemberSnapshot member : s.members()) {
            @Nullable String failure = member.member().failure();
            if (failure != null && id.equals(member.member().reportedOperationId())) {
                int step = operation.current().number();
                String message = "create standby failed at step " + step + ": " + failure;
                return new Decision(
                        Kind.OPERATION_FAILED,
                        resetGoals(s),
                        List.of(new StepChange(step, StepState.FAILED, failure)),
                        OperationState.FAILED,
                        message,
                        s.name() + ": " + message + " (reported by agent "
                                + member.member().agent() + "); " + resetSaying(s));
            }
        }
        Optional<StepRecord> running = operation.running();
        if (running.isEmpty()) {
            return new Decision(
                    Kind.PREPARE_PRIMARY,
                    List.of(goal(primary, NodeState.WAIT_PRIMARY, id)),
                    List.of(new StepChange(PREPARE, StepState.RUNNING, null)),
                    null,
                    waiting(s, PREPARE),
                    s.name() + ": create standby started: " + primary.id()
                            + " prepares for a standby (replication role, pg_hba entry, slot "
                            + s.configuration().slotName() + ", settings)");
        }
        StepRecord step = running.get();
        List<Assignment> preparing = List.of(goal(primary, NodeState.WAIT_PRIMARY, id));
        List<Assignment> creating =
                List.of(goal(primary, NodeState.WAIT_PRIMARY, id), goal(standby, NodeState.CATCHINGUP, id));
        switch (step.number()) {
            case PREPARE -> {
                if (reached(primary, NodeState.WAIT_PRIMARY, id)) {
                    return new Decision(
                            Kind.CREATE_STANDBY,
                            creating,
                            List.of(
                                    new StepChange(
                                            PREPARE,
                                            StepState.DONE,
                                            primary.id() + " is prepared for a standby (slot "
                                                    + s.configuration().slotName() + ")"),
                                    new StepChange(BASE_BACKUP, StepState.RUNNING, null)),
                            null,
                            waiting(s, BASE_BACKUP),
                            s.name() + ": " + primary.id() + " reached WAIT_PRIMARY; " + standby.id()
                                    + " is created from it (base backup)");
                }
                if (ranFor(step, now, PREPARE_LIMIT)) {
                    return timedOut(s, PREPARE, notPrepared(s, id));
                }
                return waitFor(s, PREPARE, preparing);
            }
            case BASE_BACKUP -> {
                if (reached(standby, NodeState.CATCHINGUP, id)) {
                    return new Decision(
                            Kind.VERIFY_STREAMING,
                            creating,
                            List.of(
                                    new StepChange(
                                            BASE_BACKUP,
                                            StepState.DONE,
                                            standby.id() + " is created and started as a standby"),
                                    new StepChange(VERIFY, StepState.RUNNING, null)),
                            null,
                            waiting(s, VERIFY),
                            s.name() + ": " + standby.id() + " reached CATCHINGUP; waiting for it to stream");
                }
                @Nullable String stalled = stalled(s, step, now);
                if (stalled != null) {
                    return timedOut(s, BASE_BACKUP, stalled);
                }
                return waitFor(s, BASE_BACKUP, creating);
            }
            case VERIFY -> {
                if (streams(s) && ReplicationHealth.replays(ReplicationHealth.standbyState(s))) {
                    return new Decision(
                            Kind.STANDBY_CREATED,
                            List.of(goal(primary, NodeState.PRIMARY, null), goal(standby, NodeState.SECONDARY, null)),
                            List.of(new StepChange(
                                    VERIFY, StepState.DONE, standby.id() + " streams from " + primary.id())),
                            OperationState.SUCCEEDED,
                            "standby " + standby.id() + " created; it streams from " + primary.id(),
                            s.name() + ": " + standby.id() + " streams from " + primary.id() + ": standby created");
                }
                if (ranFor(step, now, VERIFY_LIMIT)) {
                    return timedOut(s, VERIFY, notStreaming(s, VERIFY_LIMIT));
                }
                return waitFor(s, VERIFY, creating);
            }
            default -> {
                return Decision.nothing(
                        s.name() + ": operation " + id + " runs step " + step.number() + ", which it does not have");
            }
        }
    }

    /**
     * The goals after a failure or a cancel: the standby back to WAIT_STANDBY; the primary to
     * SINGLE while the Configuration has no standby yet, else PRIMARY. Both reach them from where
     * the operation left them without doing anything, and a retry's WAIT_PRIMARY prepares the
     * primary again.
     */
    static List<Assignment> resetGoals(ConfigurationSnapshot s) {
        NodeState primary = s.configuration().standbyCreated() ? NodeState.PRIMARY : NodeState.SINGLE;
        return List.of(goal(s.primary(), primary, null), goal(s.standby(), NodeState.WAIT_STANDBY, null));
    }

    private static String resetSaying(ConfigurationSnapshot s) {
        NodeState primary = s.configuration().standbyCreated() ? NodeState.PRIMARY : NodeState.SINGLE;
        return "the primary " + s.primary().id() + " keeps serving (goal " + primary + "); "
                + s.standby().id() + " goes back to WAIT_STANDBY; running it again starts over";
    }

    private static Decision timedOut(ConfigurationSnapshot s, int step, String why) {
        String message = "create standby failed at step " + step + ": " + why;
        return new Decision(
                Kind.STEP_TIMED_OUT,
                resetGoals(s),
                List.of(new StepChange(step, StepState.FAILED, why)),
                OperationState.FAILED,
                message,
                s.name() + ": " + message + "; " + resetSaying(s));
    }

    /** Whether {@code step} has run for {@code limit} or longer at {@code now}. */
    static boolean ranFor(StepRecord step, Instant now, Duration limit) {
        @Nullable Instant started = step.startedAt();
        return started != null && !now.isBefore(started.plus(limit));
    }

    /** Why "prepare primary" has not succeeded, for its failure after {@link #PREPARE_LIMIT}. */
    private static String notPrepared(ConfigurationSnapshot s, String operationId) {
        MemberSnapshot primary = s.primary();
        MemberRecord member = primary.member();
        String head =
                "the primary " + primary.id() + " was not prepared for a standby within " + text(PREPARE_LIMIT) + ": ";
        if (!primary.agentOnline()) {
            return head + Liveness.offlineReason(member.agent(), primary.agentLastReportAt());
        }
        if (!primary.isUp()) {
            return head + "it is down: " + whyDown(primary);
        }
        @Nullable ActionProgress progress = member.progress();
        if (progress != null && operationId.equals(member.reportedOperationId())) {
            return head + "its agent is still at \"" + progress.phase() + "\"";
        }
        if (member.reportedState() == null) {
            return head + "its agent has not reported on it";
        }
        return head + "its agent reports it " + member.reportedState()
                + (operationId.equals(member.reportedOperationId()) ? "" : " (not yet for this operation)")
                + ", not WAIT_PRIMARY";
    }

    /**
     * Why "create standby" is to fail at {@code now}: its agent offline, or its progress unchanged,
     * for {@link #STALL_LIMIT}; null while neither.
     */
    static @Nullable String stalled(ConfigurationSnapshot s, StepRecord step, Instant now) {
        @Nullable Instant started = step.startedAt();
        if (started == null) {
            return null;
        }
        MemberSnapshot standby = s.standby();
        MemberRecord member = standby.member();
        String where = member.agent() + ":" + member.dataDirectory();
        if (!standby.agentOnline()) {
            Instant since = later(started, standby.agentLastReportAt());
            if (!now.isBefore(since.plus(STALL_LIMIT))) {
                return "the standby at " + where + " was not created: "
                        + Liveness.offlineReason(member.agent(), standby.agentLastReportAt()) + " and has been for "
                        + text(STALL_LIMIT) + " or more";
            }
            return null;
        }
        Instant moved = later(started, member.progressChangedAt());
        if (now.isBefore(moved.plus(STALL_LIMIT))) {
            return null;
        }
        @Nullable ActionProgress progress = member.progress();
        String last;
        if (progress == null) {
            last = "its agent reports no progress";
        } else if (progress.bytesTotal() > 0) {
            last = "still \"" + progress.phase() + "\", " + progress.bytesDone() + " of " + progress.bytesTotal()
                    + " bytes copied";
        } else {
            last = "still \"" + progress.phase() + "\"";
        }
        return "the creation of the standby at " + where + " made no progress for " + text(STALL_LIMIT) + ": " + last;
    }

    /**
     * Why the standby does not stream, for the failure of "verify streaming" after {@code limit}: an
     * agent offline, the primary down, the standby not running, or else what the standby's WAL
     * receiver and the primary's {@code pg_stat_replication} say.
     */
    static String notStreaming(ConfigurationSnapshot s, Duration limit) {
        MemberSnapshot primary = s.primary();
        MemberSnapshot standby = s.standby();
        String head = "the standby " + standby.id() + " does not stream from " + primary.id() + " after " + text(limit)
                + ": ";
        if (!standby.agentOnline()) {
            return head + Liveness.offlineReason(standby.member().agent(), standby.agentLastReportAt());
        }
        if (!primary.agentOnline()) {
            return head + "the primary's "
                    + Liveness.offlineReason(primary.member().agent(), primary.agentLastReportAt());
        }
        if (!primary.isUp()) {
            return head + "the primary is down: " + whyDown(primary);
        }
        if (!ReplicationHealth.replays(ReplicationHealth.standbyState(s))) {
            return "the standby " + standby.id() + " does not run as a standby after " + text(limit) + ": "
                    + whyDown(standby);
        }
        @Nullable ReplicaConnection replica = replica(s);
        String primarySide = replica == null
                ? "the primary does not list it in pg_stat_replication"
                : "the primary lists it in pg_stat_replication as " + replica.state();
        return "the standby " + standby.id() + " runs but does not stream from " + primary.id() + " after "
                + text(limit) + ": " + walReceiver(s) + "; " + primarySide;
    }

    /** What the standby's agent sees of its WAL receiver, in words. */
    private static String walReceiver(ConfigurationSnapshot s) {
        @Nullable ReplicationObservation replication = s.standby().replication();
        @Nullable String status = replication == null ? null : replication.walReceiverStatus();
        if (status != null) {
            return "WAL receiver status " + status;
        }
        if (s.configuration().mode() == StandbyMode.WARM) {
            return "its WAL receiver cannot be queried (a warm standby takes no connections)";
        }
        return "no WAL receiver runs on it (check primary_conninfo and the primary's pg_hba.conf and log)";
    }

    /** Why {@code member} is not up, in words. */
    static String whyDown(MemberSnapshot member) {
        if (!member.agentOnline()) {
            return Liveness.offlineReason(member.member().agent(), member.agentLastReportAt());
        }
        @Nullable DatabaseRecord database = member.database();
        if (database == null) {
            return "its agent does not report it";
        }
        return database.reason() != null ? database.reason() : "its agent reports it " + database.role() + ", down";
    }

    private static Instant later(Instant a, @Nullable Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    /** {@code 5 min}, or {@code 90 s} when not whole minutes. */
    static String text(Duration d) {
        return d.toSecondsPart() == 0 && d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    static Decision waitFor(ConfigurationSnapshot s, int step, List<Assignment> goals) {
        String message = waiting(s, step);
        return new Decision(Kind.WAITING, goals, List.of(), null, message, s.name() + ": " + message);
    }

    /** What step {@code step} waits for; an agent that is offline first. */
    static String waiting(ConfigurationSnapshot s, int step) {
        for (MemberSnapshot member : s.members()) {
            if (!member.agentOnline()) {
                return "step " + step + " waits: "
                        + Liveness.offlineReason(member.member().agent(), member.agentLastReportAt())
                        + "; the operation resumes when it reports again";
            }
        }
        MemberSnapshot primary = s.primary();
        MemberSnapshot standby = s.standby();
        return switch (step) {
            case PREPARE -> "step 1 waits for " + primary.id() + " to be prepared for a standby (WAIT_PRIMARY)";
            case BASE_BACKUP -> "step 2 waits for agent " + standby.member().agent() + " to create the standby in "
                    + standby.member().dataDirectory() + " and start it (CATCHINGUP)";
            default -> "step " + step + " waits for " + standby.id() + " to stream from " + primary.id();
        };
    }

    static boolean reached(MemberSnapshot member, NodeState state, String operationId) {
        return member.member().reportedState() == state
                && operationId.equals(member.member().reportedOperationId());
    }

    /**
     * The primary, up by the latest observation of its agent (which is online), sees the standby's
     * application name streaming. Says nothing of the standby's own state.
     */
    static boolean streams(ConfigurationSnapshot s) {
        ReplicaConnection replica = replica(s);
        return replica != null && STREAMING.equals(replica.state());
    }

    /**
     * The primary's {@code pg_stat_replication} row of the standby, by application name; null when
     * there is none, or when the primary is not up or its agent offline: its rows are then stale.
     */
    static @Nullable ReplicaConnection replica(ConfigurationSnapshot s) {
        MemberSnapshot primary = s.primary();
        @Nullable ReplicationObservation replication = primary.replication();
        if (replication == null || !primary.isUp()) {
            return null;
        }
        String applicationName = s.configuration().slotName();
        return replication.replicas().stream()
                .filter(r -> applicationName.equals(r.applicationName()))
                .findFirst()
                .orElse(null);
    }

    static Assignment goal(MemberSnapshot member, NodeState state, @Nullable String operationId) {
        return new Assignment(member.id(), state, operationId);
    }
}
