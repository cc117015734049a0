package io.understudy.center.orchestrator;

import io.understudy.center.store.ConfigurationRecord;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.center.store.OperationKind;
import io.understudy.center.store.OperationRecord;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepRecord;
import io.understudy.center.store.StepState;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link ConfigurationSnapshot}s for the rules' tests: configuration {@code sales}, primary
 * {@code psql1:5432} in /pg/primary, standby target {@code psql2:5433} in /pg/standby, both agents
 * online, the primary up; change what a test is about.
 *
 * <p>The {@code primary...} methods are about psql1 and the {@code standby...} ones about psql2,
 * whatever their roles: after {@link #rolesMoved}, psql2 is the snapshot's primary.
 */
final class Snapshots {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final String OPERATION = "11111111-1111-1111-1111-111111111111";
    static final String EARLIER_OPERATION = "00000000-0000-0000-0000-000000000000";
    static final DatabaseId PRIMARY_DB = new DatabaseId("psql1", 5432);
    static final DatabaseId STANDBY_DB = new DatabaseId("psql2", 5433);
    static final String SLOT = "understudy_sales";

    private StandbyMode mode = StandbyMode.HOT;
    private boolean standbyCreated;
    private MemberRecord primary =
            MemberRecord.assigned("sales", Role.PRIMARY, "psql1", "/pg/primary", 5432, NodeState.SINGLE, NOW);
    private MemberRecord standby =
            MemberRecord.assigned("sales", Role.STANDBY, "psql2", "/pg/standby", 5433, NodeState.WAIT_STANDBY, NOW);
    private DatabaseRecord primaryDatabase =
            withLsns(database("psql1", "/pg/primary", 5432, Role.PRIMARY, true, true), "0/5000000", null, null);
    private DatabaseRecord standbyDatabase;
    private ReplicationObservation primaryReplication;
    private ReplicationObservation standbyReplication;
    private boolean primaryOnline = true;
    private boolean standbyOnline = true;
    private OperationRecord operation;
    private final List<StepRecord> steps = new ArrayList<>();
    private long epoch = 1;
    /** psql1's role once the primary role moved to psql2; null while psql1 is the primary. */
    private @Nullable Role oldPrimaryRole;

    /** No operation runs. */
    static Snapshots idle() {
        return new Snapshots();
    }

    /** CREATE_STANDBY {@link #OPERATION} runs; none of its steps started. */
    static Snapshots creatingStandby() {
        return new Snapshots()
                .running(
                        OperationKind.CREATE_STANDBY,
                        GroupStateMachine.createStandbySteps(PRIMARY_DB, "psql2", "/pg/standby"));
    }

    /**
     * SWITCHOVER {@link #OPERATION} runs, none of its steps started, on a configuration whose
     * standby was created: psql1 PRIMARY, psql2 SECONDARY, running as a hot standby.
     */
    static Snapshots switchingOver() {
        return withStandby().running(OperationKind.SWITCHOVER, PrimaryChanges.switchoverSteps(PRIMARY_DB, STANDBY_DB));
    }

    /** FAILOVER {@link #OPERATION} runs, none of its steps started, from psql1 to psql2 (as {@link #switchingOver}). */
    static Snapshots failingOver() {
        return withStandby().running(OperationKind.FAILOVER, PrimaryChanges.failoverSteps(PRIMARY_DB, STANDBY_DB));
    }

    /**
     * REINSTATE {@link #OPERATION} runs, none of its steps started, after a failover: psql2 is the
     * primary in epoch 2 (promoted, goal WAIT_PRIMARY) and psql1 FENCED, stopped (DEMOTED).
     */
    static Snapshots reinstating() {
        return withStandby()
                .rolesMoved(Role.FENCED)
                .standbyGoal(NodeState.WAIT_PRIMARY, null)
                .standbyReported(NodeState.WAIT_PRIMARY, EARLIER_OPERATION)
                .standbyObserved(Role.PRIMARY, true, true, null)
                .primaryGoal(NodeState.DEMOTED, null)
                .primaryReported(NodeState.DEMOTED, EARLIER_OPERATION)
                .primaryDown()
                .running(OperationKind.REINSTATE, PrimaryChanges.reinstateSteps(PRIMARY_DB, STANDBY_DB));
    }

    /** A configuration whose standby was created: psql1 PRIMARY, psql2 SECONDARY, a hot standby. */
    private static Snapshots withStandby() {
        return new Snapshots()
                .standbyCreated()
                .primaryGoal(NodeState.PRIMARY, null)
                .primaryReported(NodeState.PRIMARY, EARLIER_OPERATION)
                .standbyGoal(NodeState.SECONDARY, null)
                .standbyReported(NodeState.SECONDARY, EARLIER_OPERATION)
                .standbyObserved(Role.STANDBY, true, true, "0/5000000");
    }

    private Snapshots running(OperationKind kind, List<String> names) {
        operation =
                new OperationRecord(OPERATION, "sales", kind, OperationState.RUNNING, "admin", false, NOW, null, null);
        steps.clear();
        for (int i = 0; i < names.size(); i++) {
            steps.add(StepRecord.pending(OPERATION, i + 1, names.get(i)));
        }
        return this;
    }

    /**
     * The primary role moved to psql2, in epoch 2: psql2 is the PRIMARY member and psql1 {@code
     * role} (STANDBY once a switchover gave psql2 its promotion goal, FENCED once a failover
     * started).
     */
    Snapshots rolesMoved(Role role) {
        oldPrimaryRole = role;
        epoch = 2;
        return this;
    }

    /** Steps before {@code number} are done, step {@code number} runs. */
    Snapshots atStep(int number) {
        for (int i = 0; i < steps.size(); i++) {
            StepRecord step = steps.get(i);
            StepState state = i + 1 < number ? StepState.DONE : i + 1 == number ? StepState.RUNNING : StepState.PENDING;
            steps.set(i, new StepRecord(step.operationId(), step.number(), step.name(), state, NOW, null, null));
        }
        return this;
    }

    Snapshots primaryGoal(NodeState state, @Nullable String operationId) {
        primary = primary.withGoal(state, operationId, NOW);
        return this;
    }

    Snapshots standbyGoal(NodeState state, @Nullable String operationId) {
        standby = standby.withGoal(state, operationId, NOW);
        return this;
    }

    Snapshots primaryReported(NodeState state, @Nullable String operationId) {
        primary = primary.withReport(state, 1, operationId, null, null, null, null, NOW);
        return this;
    }

    Snapshots standbyReported(NodeState state, @Nullable String operationId) {
        standby = standby.withReport(state, 1, operationId, null, null, null, null, NOW);
        return this;
    }

    /** psql1's agent reports it DEMOTED for {@code operationId}, with its shutdown checkpoint (null: none). */
    Snapshots primaryDemoted(String operationId, @Nullable String checkpointLsn) {
        primary = primary.withReport(NodeState.DEMOTED, 1, operationId, null, null, null, checkpointLsn, NOW);
        return this;
    }

    Snapshots primaryFailed(String operationId, String failure) {
        primary = primary.withReport(primary.reportedState(), 1, operationId, failure, null, null, null, NOW);
        return this;
    }

    Snapshots standbyFailed(String operationId, String failure) {
        standby = standby.withReport(standby.reportedState(), 1, operationId, failure, null, null, null, NOW);
        return this;
    }

    Snapshots standbyProgress(String phase) {
        return standbyProgress(phase, 10, NOW);
    }

    /** The standby's agent reports {@code phase} with {@code bytesDone} of 100 bytes, at {@code at}. */
    Snapshots standbyProgress(String phase, long bytesDone, Instant at) {
        standby = standby.withReport(
                standby.reportedState(),
                1,
                standby.reportedOperationId(),
                null,
                new ActionProgress("base backup from psql1:5432", phase, bytesDone, 100, NOW),
                null,
                null,
                at);
        return this;
    }

    /** The standby's WAL receiver, as its agent sees it: {@code pg_stat_wal_receiver.status}. */
    Snapshots standbyWalReceiver(String status) {
        standbyReplication = new ReplicationObservation("/pg/standby", List.of(), List.of(), status, false, null);
        return this;
    }

    /** The primary's agent observes it up, but as {@code role}. */
    Snapshots primaryObservedAs(Role role) {
        primaryDatabase = withLsns(database("psql1", "/pg/primary", 5432, role, true, true), "0/5000000", null, null);
        return this;
    }

    Snapshots target(TargetInspection inspection) {
        standby = standby.withReport(standby.reportedState(), 0, null, null, null, inspection, null, NOW);
        return this;
    }

    /** The primary's pg_stat_replication lists {@code replicas}. */
    Snapshots primarySees(ReplicaConnection... replicas) {
        primaryReplication = new ReplicationObservation("/pg/primary", List.of(replicas), List.of(), null, null, null);
        return this;
    }

    /** psql2's pg_stat_replication lists {@code replicas}: psql2 as the new primary. */
    Snapshots newPrimarySees(ReplicaConnection... replicas) {
        standbyReplication = new ReplicationObservation("/pg/standby", List.of(replicas), List.of(), null, null, null);
        return this;
    }

    Snapshots standbySees(Long lastReplayedTransactionAgeMillis) {
        standbyReplication = new ReplicationObservation(
                "/pg/standby", List.of(), List.of(), "streaming", false, lastReplayedTransactionAgeMillis);
        return this;
    }

    Snapshots primaryCurrentLsn(String lsn) {
        primaryDatabase = withLsns(primaryDatabase, lsn, null, null);
        return this;
    }

    Snapshots primaryDown() {
        primaryDatabase = database("psql1", "/pg/primary", 5432, Role.PRIMARY, false, false);
        return this;
    }

    /** The standby's agent observes it: up (takes queries), running, its role, replayed LSN. */
    Snapshots standbyObserved(Role role, boolean up, boolean running, String replayedLsn) {
        standbyDatabase =
                withLsns(database("psql2", "/pg/standby", 5433, role, up, running), null, replayedLsn, replayedLsn);
        return this;
    }

    Snapshots primaryAgentOffline() {
        primaryOnline = false;
        return this;
    }

    Snapshots standbyAgentOffline() {
        standbyOnline = false;
        return this;
    }

    Snapshots warm() {
        mode = StandbyMode.WARM;
        return this;
    }

    Snapshots standbyCreated() {
        standbyCreated = true;
        return this;
    }

    ConfigurationSnapshot build() {
        ConfigurationRecord configuration = new ConfigurationRecord(
                "sales",
                ReplicationMethod.WAL_STREAMING,
                mode,
                epoch,
                standbyCreated,
                SLOT,
                Configurations.REPLICATION_USER,
                Secret.of("not-shown"),
                "127.0.0.1",
                "127.0.0.1",
                "admin",
                NOW);
        Instant lastReport = NOW.minusSeconds(primaryOnline ? 0 : 30);
        MemberSnapshot psql1 = new MemberSnapshot(
                oldPrimaryRole == null ? primary : primary.withRole(oldPrimaryRole),
                primaryDatabase,
                primaryReplication,
                primaryOnline,
                lastReport);
        MemberSnapshot psql2 = new MemberSnapshot(
                oldPrimaryRole == null ? standby : standby.withRole(Role.PRIMARY),
                standbyDatabase,
                standbyReplication,
                standbyOnline,
                NOW.minusSeconds(standbyOnline ? 0 : 30));
        // As the Orchestrator reads it: the PRIMARY member first, the other one second.
        return new ConfigurationSnapshot(
                configuration,
                oldPrimaryRole == null ? psql1 : psql2,
                oldPrimaryRole == null ? psql2 : psql1,
                operation == null ? null : new OperationSnapshot(operation, steps));
    }

    static ReplicaConnection replica(String state, String sent, String flush, String replay, Long replayLagMillis) {
        return new ReplicaConnection(SLOT, "127.0.0.1", state, sent, flush, flush, replay, replayLagMillis, "async");
    }

    private static DatabaseRecord withLsns(DatabaseRecord d, String current, String received, String replayed) {
        return new DatabaseRecord(
                d.agent(),
                d.dataDirectory(),
                d.port(),
                d.majorVersion(),
                d.serverVersion(),
                d.up(),
                d.running(),
                d.role(),
                d.reason(),
                current,
                received,
                replayed,
                d.systemIdentifier(),
                d.observedAt());
    }

    private static DatabaseRecord database(String agent, String dir, int port, Role role, boolean up, boolean running) {
        return new DatabaseRecord(
                agent,
                dir,
                port,
                "16",
                up ? "16.4" : null,
                up,
                running,
                role,
                up ? null : "connection refused",
                null,
                null,
                null,
                "7301234567890123456",
                NOW);
    }
}
