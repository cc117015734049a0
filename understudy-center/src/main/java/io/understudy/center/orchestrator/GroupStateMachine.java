package io.understudy.center.orchestrator;

import io.understudy.center.monitor.Liveness;
import io.understudy.center.orchestrator.Decision.Kind;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepRecord;
import io.understudy.center.store.StepState;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.state.NodeState;
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
 *       operation.
 *   <li>"create standby at S (base backup)": S's goal is CATCHINGUP; done when S reports
 *       CATCHINGUP for this operation.
 *   <li>"verify streaming": done when P's {@code pg_stat_replication} shows S's application name
 *       streaming; then P's goal is PRIMARY, S's SECONDARY, and the operation SUCCEEDED.
 * </ol>
 *
 * A failure an agent reports for the operation fails the running step and the operation; S's goal
 * goes back to WAIT_STANDBY and P, still serving, keeps WAIT_PRIMARY (harmless). An agent that is
 * offline makes the operation wait, and its message says so.
 */
public final class GroupStateMachine {
    /** Step numbers of CREATE_STANDBY. */
    static final int PREPARE = 1;

    static final int BASE_BACKUP = 2;
    static final int VERIFY = 3;

    /** The state of a standby in {@code pg_stat_replication} once it streams. */
    static final String STREAMING = "streaming";

    /**
     * Decides for {@code snapshot}.
     *
     * @param now the Control Center's time, only for messages
     */
    public Decision decide(ConfigurationSnapshot snapshot, Instant now) {
        OperationSnapshot operation = snapshot.operation();
        if (operation == null || !operation.operation().isRunning()) {
            return Decision.nothing("no operation runs on " + snapshot.name());
        }
        return switch (operation.operation().kind()) {
            case CREATE_STANDBY -> createStandby(snapshot, operation);
        };
    }

    /** The names of CREATE_STANDBY's steps, by number from 1. */
    public static List<String> createStandbySteps(DatabaseId primary, String standbyAgent, String dataDirectory) {
        return List.of(
                "prepare primary " + primary,
                "create standby at " + standbyAgent + ":" + dataDirectory + " (base backup)",
                "verify streaming");
    }

    private static Decision createStandby(ConfigurationSnapshot s, OperationSnapshot operation) {
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
                        List.of(goal(standby, NodeState.WAIT_STANDBY, null)),
                        List.of(new StepChange(step, StepState.FAILED, failure)),
                        OperationState.FAILED,
                        message,
                        s.name() + ": " + message + " (reported by agent "
                                + member.member().agent() + "); the primary " + primary.id() + " keeps serving");
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
        List<Assignment> preparing = List.of(goal(primary, NodeState.WAIT_PRIMARY, id));
        List<Assignment> creating =
                List.of(goal(primary, NodeState.WAIT_PRIMARY, id), goal(standby, NodeState.CATCHINGUP, id));
        return switch (running.get().number()) {
            case PREPARE -> reached(primary, NodeState.WAIT_PRIMARY, id)
                    ? new Decision(
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
                                    + " is created from it (base backup)")
                    : waitFor(s, PREPARE, preparing);
            case BASE_BACKUP -> reached(standby, NodeState.CATCHINGUP, id)
                    ? new Decision(
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
                            s.name() + ": " + standby.id() + " reached CATCHINGUP; waiting for it to stream")
                    : waitFor(s, BASE_BACKUP, creating);
            case VERIFY -> streams(s)
                    ? new Decision(
                            Kind.STANDBY_CREATED,
                            List.of(goal(primary, NodeState.PRIMARY, null), goal(standby, NodeState.SECONDARY, null)),
                            List.of(new StepChange(
                                    VERIFY, StepState.DONE, standby.id() + " streams from " + primary.id())),
                            OperationState.SUCCEEDED,
                            "standby " + standby.id() + " created; it streams from " + primary.id(),
                            s.name() + ": " + standby.id() + " streams from " + primary.id() + ": standby created")
                    : waitFor(s, VERIFY, creating);
            default -> Decision.nothing(s.name() + ": operation " + id + " runs step "
                    + running.get().number() + ", which it does not have");
        };
    }

    private static Decision waitFor(ConfigurationSnapshot s, int step, List<Assignment> goals) {
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

    private static boolean reached(MemberSnapshot member, NodeState state, String operationId) {
        return member.member().reportedState() == state
                && operationId.equals(member.member().reportedOperationId());
    }

    /** The primary's agent, online, sees the standby's application name streaming. */
    static boolean streams(ConfigurationSnapshot s) {
        ReplicaConnection replica = replica(s);
        return replica != null
                && STREAMING.equals(replica.state())
                && s.primary().agentOnline();
    }

    /** The primary's {@code pg_stat_replication} row of the standby, by application name. */
    static @Nullable ReplicaConnection replica(ConfigurationSnapshot s) {
        @Nullable ReplicationObservation replication = s.primary().replication();
        if (replication == null) {
            return null;
        }
        String applicationName = s.configuration().slotName();
        return replication.replicas().stream()
                .filter(r -> applicationName.equals(r.applicationName()))
                .findFirst()
                .orElse(null);
    }

    private static Assignment goal(MemberSnapshot member, NodeState state, @Nullable String operationId) {
        return new Assignment(member.id(), state, operationId);
    }
}
