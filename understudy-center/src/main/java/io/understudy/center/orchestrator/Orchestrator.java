package io.understudy.center.orchestrator;

import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.LagHistory;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.ConfigurationRecord;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.LagRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.center.store.OperationKind;
import io.understudy.center.store.OperationRecord;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepRecord;
import io.understudy.center.store.Store;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.LeaseSpec;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.Secret;
import io.understudy.core.state.NodeState;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the rules of each Configuration and applies their decisions (STYLE.md 2.3): in the
 * transaction of an agent's report, for every Configuration with a database on that agent; and from
 * the housekeeping loop, for every Configuration, so that an agent going offline is noticed without
 * reports. Each pass locks the Configuration's row, reads a snapshot, decides, and only then applies
 * the goals, step changes and outcome, with an event for each change; it also records the
 * standby's state and streaming transitions, and a lag sample on each report of the primary's
 * agent.
 *
 * <p>Locks are always taken in one order, Configurations by name and then the agent, so reports,
 * the housekeeping pass and API requests never deadlock. Thread-safe; every method blocks on the
 * store.
 */
public final class Orchestrator {
    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);

    private final Store store;
    private final EventLog events;
    private final Monitor monitor;
    private final Liveness liveness;
    private final LagHistory lagHistory;
    private final InstantSource clock;
    private final GroupStateMachine machine = new GroupStateMachine();
    private final ShippingAlerts shippingAlerts;
    private final GoalSignals signals;
    private final PrimaryHealth health;
    /**
     * Held around every transaction that decides or writes members: the store's row lock on the
     * Configuration should serialize them, but two deciding at once were seen to interleave (one
     * wrote a member it had read before the other's commit), so they are serialized here too.
     */
    private final ReentrantLock deciding = new ReentrantLock();

    /**
     * A recorded report and the reply's goals.
     *
     * @param receivedAt when it was recorded, by the Control Center's clock
     * @param goals the goal of every database of the agent that belongs to a Configuration
     */
    public record Recorded(Instant receivedAt, List<Goal> goals) {
        public Recorded {
            goals = List.copyOf(goals);
        }
    }

    /** An orchestrator whose primary health nobody watches (tests). */
    public Orchestrator(
            Store store,
            EventLog events,
            Monitor monitor,
            Liveness liveness,
            LagHistory lagHistory,
            InstantSource clock,
            GoalSignals signals) {
        this(store, events, monitor, liveness, lagHistory, clock, signals, new PrimaryHealth());
    }

    public Orchestrator(
            Store store,
            EventLog events,
            Monitor monitor,
            Liveness liveness,
            LagHistory lagHistory,
            InstantSource clock,
            GoalSignals signals,
            PrimaryHealth health) {
        this.signals = signals;
        this.health = health;
        this.store = store;
        this.events = events;
        this.monitor = monitor;
        this.liveness = liveness;
        this.lagHistory = lagHistory;
        this.clock = clock;
        this.shippingAlerts = new ShippingAlerts(events);
    }

    /**
     * Records a report of {@code agent} (already validated) and decides for every Configuration
     * with a database on it, in one transaction.
     *
     * @param token the bearer token the report came with; checked under the agent's row lock
     * @return when it was recorded and the agent's goals, or empty if {@code token} is not the
     *     agent's (nothing changed)
     */
    public Optional<Recorded> report(String agent, Secret token, AgentReport report) {
        return deciding(tx -> {
            SortedSet<String> configurations = new TreeSet<>();
            for (MemberRecord member : tx.membersOnAgent(agent)) {
                configurations.add(member.configuration());
            }
            configurations.forEach(tx::lockConfiguration);
            Optional<Instant> recorded = monitor.record(tx, agent, token, report);
            if (recorded.isEmpty()) {
                return Optional.empty();
            }
            Instant now = recorded.get();
            for (String name : configurations) {
                reconsider(tx, name, now, agent);
            }
            health.noted(agent, report, now);
            List<Goal> goals = goalsOf(tx, agent);
            for (Goal goal : goals) {
                LeaseSpec lease = goal.lease();
                if (lease != null && lease.holder()) {
                    tx.renewLease(
                            goal.configuration(),
                            new DatabaseId(agent, goal.port()).toString(),
                            goal.epoch(),
                            now.plusMillis(lease.durationMillis()));
                }
            }
            return Optional.of(new Recorded(now, goals));
        });
    }

    /** Decides for every Configuration, one transaction each. For the housekeeping loop. */
    public void reconsiderAll() {
        for (ConfigurationRecord configuration : store.configurations()) {
            deciding(tx -> {
                reconsider(tx, configuration.name(), clock.instant(), null);
                return null;
            });
        }
    }

    /**
     * Runs {@code work} in one store transaction, alone among the transactions that decide: the
     * reports, the housekeeping and the observer's passes, and the operations users start.
     */
    public <T> T deciding(Function<Store, T> work) {
        deciding.lock();
        try {
            return store.inTransaction(work);
        } finally {
            deciding.unlock();
        }
    }

    /**
     * Locks Configuration {@code name} and decides for it through {@code tx}. Does nothing if it no
     * longer exists.
     *
     * @param reportingAgent the agent whose report is being recorded; null from housekeeping
     */
    void reconsider(Store tx, String name, Instant now, @Nullable String reportingAgent) {
        Optional<ConfigurationRecord> locked = tx.lockConfiguration(name);
        if (locked.isEmpty()) {
            return;
        }
        try (var mdc = MDC.putCloseable("configuration", name)) {
            ConfigurationSnapshot snapshot = snapshot(tx, locked.get(), now);
            Decision decision = machine.decide(snapshot, now);
            if (apply(tx, snapshot, decision, now, Event.CONTROL_CENTER)) {
                snapshot = snapshot(tx, tx.findConfiguration(name).orElseThrow(), now);
            }
            MemberStatus standby = ReplicationHealth.standby(snapshot);
            observe(tx, snapshot, standby);
            shippingAlerts.observe(tx, snapshot, standby);
            Long lagBytes = standby.lagBytes();
            if (lagBytes != null
                    && standby.state() != DatabaseState.NOT_PRESENT
                    && snapshot.primary().member().agent().equals(reportingAgent)) {
                lagHistory.record(tx, name, new LagRecord(now, lagBytes, standby.replayLagSeconds()));
            }
        }
    }

    /** Reads Configuration {@code configuration} as the rules see it, through {@code tx}. */
    ConfigurationSnapshot snapshot(Store tx, ConfigurationRecord configuration, Instant now) {
        List<MemberRecord> members = tx.membersOf(configuration.name());
        MemberRecord primary = memberOf(configuration, members, Role.PRIMARY);
        MemberRecord standby = members.stream()
                .filter(m -> m.role() != Role.PRIMARY)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "configuration " + configuration.name() + " has no member besides its primary"));
        OperationSnapshot operation = tx.runningOperation(configuration.name())
                .map(o -> new OperationSnapshot(o, tx.stepsOf(o.id())))
                .orElse(null);
        return new ConfigurationSnapshot(
                configuration,
                member(tx, primary, now),
                member(tx, standby, now),
                operation,
                tx.lease(configuration.name()).orElse(null));
    }

    private MemberSnapshot member(Store tx, MemberRecord member, Instant now) {
        Optional<AgentRecord> agent = tx.findAgent(member.agent());
        @Nullable Instant lastReport = agent.map(AgentRecord::lastReportAt).orElse(null);
        DatabaseRecord database = tx.databasesOf(member.agent()).stream()
                .filter(d -> d.dataDirectory().equals(member.dataDirectory()))
                .findFirst()
                .orElse(null);
        return new MemberSnapshot(
                member,
                database,
                tx.replicationOf(member.agent(), member.dataDirectory()).orElse(null),
                agent.isPresent() && liveness.isOnline(lastReport, now),
                lastReport);
    }

    private static MemberRecord memberOf(ConfigurationRecord configuration, List<MemberRecord> members, Role role) {
        return members.stream()
                .filter(m -> m.role() == role)
                .findFirst()
                .orElseThrow(
                        () -> new IllegalStateException("configuration " + configuration.name() + " has no " + role));
    }

    /** The goals of every database of {@code agent} that belongs to a Configuration. */
    static List<Goal> goalsOf(Store tx, String agent) {
        List<Goal> goals = new ArrayList<>();
        for (MemberRecord member : tx.membersOnAgent(agent)) {
            Optional<ConfigurationRecord> configuration = tx.findConfiguration(member.configuration());
            if (configuration.isEmpty()) {
                continue;
            }
            ConfigurationRecord c = configuration.get();
            int primaryPort = tx.membersOf(c.name()).stream()
                    .filter(m -> m.role() == Role.PRIMARY)
                    .findFirst()
                    .map(MemberRecord::port)
                    .orElseThrow(() -> new IllegalStateException("configuration " + c.name() + " has no PRIMARY"));
            @Nullable String operationId = member.goalOperationId();
            @Nullable
            OperationRecord operation =
                    operationId == null ? null : tx.findOperation(operationId).orElse(null);
            boolean replaceExisting = member.role() == Role.STANDBY && operation != null && operation.replaceExisting();
            // A switchover promotes once the old primary's shutdown checkpoint is replayed.
            @Nullable String promoteAfterLsn = null;
            if (operation != null
                    && operation.kind() == OperationKind.SWITCHOVER
                    && member.goalState() == NodeState.WAIT_PRIMARY) {
                promoteAfterLsn = tx.membersOf(c.name()).stream()
                        .filter(m -> !m.id().equals(member.id()))
                        .findFirst()
                        .map(MemberRecord::checkpointLsn)
                        .orElse(null);
            }
            boolean rewind = operation != null
                    && operation.kind() == OperationKind.REINSTATE
                    && member.goalState() == NodeState.CATCHINGUP;
            @Nullable LeaseSpec lease = PrimaryLease.spec(tx, c, member);
            goals.add(new Goal(
                    c.name(),
                    c.epoch(),
                    member.dataDirectory(),
                    member.port(),
                    member.goalState(),
                    operationId,
                    ConfigurationSnapshot.spec(c, primaryPort).withShipping(WalShippingRules.shipping(tx, c)),
                    replaceExisting,
                    promoteAfterLsn,
                    rewind,
                    lease));
        }
        return goals;
    }

    /**
     * Cancels {@code operation}, which runs on Configuration {@code configuration} (locked by the
     * caller through {@code tx}), for {@code user}: it ends FAILED with "cancelled by USER", its
     * current step fails, the goals are reset as after a failure, and the cancel is an event by
     * {@code user}.
     */
    void cancel(Store tx, ConfigurationRecord configuration, OperationRecord operation, String user, Instant now) {
        try (var mdc = MDC.putCloseable("configuration", configuration.name())) {
            ConfigurationSnapshot snapshot = snapshot(tx, configuration, now);
            OperationSnapshot running = snapshot.operation();
            if (running == null || !running.id().equals(operation.id())) {
                throw new IllegalStateException("operation " + operation.id() + " does not run on "
                        + configuration.name() + " (its running operation is "
                        + (running == null ? "none" : running.id()) + ")");
            }
            apply(tx, snapshot, machine.cancel(snapshot, user), now, user);
        }
    }

    /**
     * Applies {@code decision}: the goals that differ, the step changes, the outcome; an event for
     * each, and the reason logged once it is committed.
     *
     * @param actor who the outcome's event names: the Control Center, or the user who cancelled
     * @return whether anything changed
     */
    private boolean apply(Store tx, ConfigurationSnapshot s, Decision decision, Instant now, String actor) {
        boolean changed = applyRoles(tx, s, decision);
        Map<DatabaseId, Role> roles = new HashMap<>();
        decision.roles().forEach(r -> roles.put(r.database(), r.role()));
        for (Assignment assignment : decision.goals()) {
            MemberRecord member = s.member(assignment.database()).member();
            if (member.goalState() == assignment.state()
                    && Objects.equals(member.goalOperationId(), assignment.operationId())) {
                continue;
            }
            Role role = roles.getOrDefault(member.id(), member.role());
            tx.updateMember(member.withRole(role).withGoal(assignment.state(), assignment.operationId(), now));
            tx.afterCommit(() -> signals.changed(member.agent()));
            String id = member.id().toString();
            events.record(
                    tx,
                    Event.info(
                            Event.CONTROL_CENTER,
                            EventKind.GOAL_ASSIGNED,
                            id,
                            id + " (" + s.name() + ") goal " + member.goalState() + " -> " + assignment.state() + ": "
                                    + decision.reason()));
            changed = true;
        }
        OperationSnapshot operation = s.operation();
        if (operation != null) {
            changed |= applySteps(tx, s, operation, decision, now);
            changed |= applyOutcome(tx, s, operation, decision, now, actor);
        }
        if (changed) {
            String name = s.name();
            tx.afterCommit(() -> log.info("{} [{}]", decision.reason(), decision.kind()));
            log.debug("decision for {} applied: {}", name, decision);
        }
        return changed;
    }

    /**
     * Stores the decision's new epoch and roles, before its goals: the epoch a promotion goal
     * carries is in the store first. The primary's host moves with the primary role.
     */
    private boolean applyRoles(Store tx, ConfigurationSnapshot s, Decision decision) {
        @Nullable Long epoch = decision.newEpoch();
        if (epoch == null && decision.roles().isEmpty()) {
            return false;
        }
        boolean primaryMoves = decision.roles().stream()
                .anyMatch(r -> r.role() == Role.PRIMARY
                        && !r.database().equals(s.primary().id()));
        ConfigurationRecord c = s.configuration();
        if (epoch != null || primaryMoves) {
            tx.updateConfiguration(c.inEpoch(epoch != null ? epoch : c.epoch(), primaryMoves));
        }
        for (Decision.RoleChange change : decision.roles()) {
            MemberRecord member = s.member(change.database()).member();
            if (member.role() == change.role()) {
                continue;
            }
            tx.updateMember(member.withRole(change.role()));
            tx.afterCommit(() -> signals.changed(member.agent())); // its goals carry the new epoch
            String id = member.id().toString();
            if (change.role() == Role.PRIMARY) {
                events.record(
                        tx,
                        Event.ok(
                                Event.CONTROL_CENTER,
                                EventKind.PRIMARY_CHANGED,
                                s.name(),
                                s.name() + ": " + id + " becomes the primary in epoch "
                                        + (epoch != null ? epoch : c.epoch()) + " (it was " + member.role() + ")"));
            } else if (change.role() == Role.FENCED) {
                events.record(
                        tx,
                        Event.info(
                                Event.CONTROL_CENTER,
                                EventKind.DATABASE_FENCED,
                                id,
                                id + " (" + s.name() + ") is FENCED: kept from accepting writes until it is"
                                        + " reinstated"));
            }
        }
        return true;
    }

    private boolean applySteps(
            Store tx, ConfigurationSnapshot s, OperationSnapshot operation, Decision decision, Instant now) {
        boolean changed = false;
        for (StepChange change : decision.steps()) {
            StepRecord step = operation.step(change.step());
            if (step.state() == change.state()) {
                continue;
            }
            StepRecord next = step.moved(change.state(), now, change.message());
            tx.updateStep(next);
            String what = s.name() + ": step " + next.number() + " \"" + next.name() + "\"";
            Event event =
                    switch (change.state()) {
                        case RUNNING -> Event.info(
                                Event.CONTROL_CENTER, EventKind.STEP_STARTED, s.name(), what + " started");
                        case DONE -> Event.ok(
                                Event.CONTROL_CENTER,
                                EventKind.STEP_DONE,
                                s.name(),
                                what + " done" + (next.message() == null ? "" : ": " + next.message()));
                        case FAILED -> Event.failed(
                                Event.CONTROL_CENTER,
                                EventKind.STEP_FAILED,
                                s.name(),
                                what + " failed" + (next.message() == null ? "" : ": " + next.message()));
                        case PENDING -> Event.info(
                                Event.CONTROL_CENTER, EventKind.STEP_STARTED, s.name(), what + " is pending again");
                    };
            events.record(tx, event);
            changed = true;
        }
        return changed;
    }

    private boolean applyOutcome(
            Store tx,
            ConfigurationSnapshot s,
            OperationSnapshot operation,
            Decision decision,
            Instant now,
            String actor) {
        OperationRecord record = operation.operation();
        @Nullable OperationState outcome = decision.operationOutcome();
        @Nullable String message = decision.operationMessage();
        if (outcome != null) {
            String text = message != null ? message : decision.reason();
            tx.updateOperation(record.ended(outcome, now, text));
            String what = s.name() + ": " + record.kind() + " (operation " + record.id() + ") ";
            Event event;
            if (decision.kind() == Decision.Kind.OPERATION_CANCELLED) {
                event = Event.ok(actor, EventKind.OPERATION_CANCELLED, s.name(), decision.reason());
            } else {
                event = outcome == OperationState.SUCCEEDED
                        ? Event.ok(
                                Event.CONTROL_CENTER,
                                EventKind.OPERATION_SUCCEEDED,
                                s.name(),
                                what + "succeeded: " + text)
                        : Event.failed(
                                Event.CONTROL_CENTER, EventKind.OPERATION_FAILED, s.name(), what + "failed: " + text);
            }
            events.record(tx, event);
            if (decision.kind() == Decision.Kind.STANDBY_CREATED) {
                tx.updateConfiguration(s.configuration().withStandbyCreated(true));
            }
            return true;
        }
        if (message != null && !message.equals(record.message())) {
            tx.updateOperation(record.withMessage(message));
            return true;
        }
        return false;
    }

    /** Records the standby's state and streaming transitions, each once. */
    private void observe(Store tx, ConfigurationSnapshot s, MemberStatus standby) {
        MemberRecord member = s.standby().member();
        if (standby.state() == member.seenState() && standby.streaming() == member.seenStreaming()) {
            return;
        }
        DatabaseState before = member.seenState() == null ? DatabaseState.NOT_PRESENT : member.seenState();
        String id = member.id().toString();
        String of = "standby " + id + " of " + s.name();
        if (ReplicationHealth.replays(standby.state()) && !ReplicationHealth.replays(before)) {
            events.record(
                    tx,
                    Event.info(
                            Event.CONTROL_CENTER,
                            EventKind.STANDBY_UP,
                            id,
                            of + " " + before + " -> " + standby.state()));
        } else if (!ReplicationHealth.replays(standby.state()) && ReplicationHealth.replays(before)) {
            events.record(
                    tx,
                    Event.info(
                            Event.CONTROL_CENTER,
                            EventKind.STANDBY_DOWN,
                            id,
                            of + " " + before + " -> " + standby.state() + ": "
                                    + GroupStateMachine.whyDown(s.standby())));
        }
        String primary = s.primary().id().toString();
        if (standby.streaming() && !member.seenStreaming()) {
            events.record(
                    tx,
                    Event.info(
                            Event.CONTROL_CENTER,
                            EventKind.STANDBY_STREAMING_STARTED,
                            id,
                            of + " streams from " + primary));
        } else if (!standby.streaming() && member.seenStreaming()) {
            events.record(
                    tx,
                    Event.info(
                            Event.CONTROL_CENTER,
                            EventKind.STANDBY_STREAMING_STOPPED,
                            id,
                            of + " stopped streaming from " + primary + ": " + whyNotStreaming(s, standby)));
        }
        tx.updateMember(member.withSeen(standby.state(), standby.streaming()));
    }

    private static String whyNotStreaming(ConfigurationSnapshot s, MemberStatus standby) {
        if (!s.primary().agentOnline()) {
            return "the primary's "
                    + Liveness.offlineReason(
                            s.primary().member().agent(), s.primary().agentLastReportAt());
        }
        if (!s.primary().isUp()) {
            return "the primary " + s.primary().id() + " is down: " + GroupStateMachine.whyDown(s.primary());
        }
        if (!ReplicationHealth.replays(standby.state())) {
            return "it is " + standby.state() + ": " + GroupStateMachine.whyDown(s.standby());
        }
        ReplicaConnection replica = GroupStateMachine.replica(s);
        if (replica == null) {
            return "the primary no longer lists it in pg_stat_replication";
        }
        return "the primary lists it in pg_stat_replication as " + replica.state();
    }

    /** The versions of the agents' goals, for their goal watches. */
    public GoalSignals signals() {
        return signals;
    }

    /** The Control Center's clock. */
    InstantSource clock() {
        return clock;
    }

    /** Steps not yet in the store for a new CREATE_STANDBY. */
    static List<StepRecord> newSteps(String operationId, List<String> names) {
        List<StepRecord> steps = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            steps.add(StepRecord.pending(operationId, i + 1, names.get(i)));
        }
        return steps;
    }
}
