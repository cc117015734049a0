package io.understudy.agent;

import io.understudy.agent.NodeFsm.Runs;
import io.understudy.agent.NodeFsm.Step;
import io.understudy.agent.NodeFsm.Transition;
import io.understudy.core.UnderstudyException;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.PrimaryView;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.ReportReply;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One tick of the agent (STYLE.md 1.3): observe the databases, report to the Control Center, read
 * the goals in its reply and, for each goal that differs from the state reached, run the row of
 * {@link NodeFsm} that gets there. A step that runs long (a base backup) runs as the agent's
 * {@link LongAction} while the ticks go on reporting its progress. A state reached is written to
 * the {@link StateFile} before it is reported.
 *
 * <p>A long step that fails TRANSIENT is retried in place ({@link Backoff}) before its failure is
 * reported. A transition that failed is tried again only when its goal changes (a new operation,
 * epoch, confirmation or state); one that runs in the tick (adopting a database after a restart
 * without state) also when what the agent observes of the database changes. When the Control
 * Center does not answer, the agent keeps its last goals and starts nothing new.
 *
 * <p>Standby targets are inspected on probe threads ({@link Inspections}) under the probes'
 * deadline, never while the long action works on them.
 *
 * <p>{@link #runOnce()} never throws for an expected failure (a database down, the Control Center
 * unreachable, a step that fails): those are logged once when they start and once when they end.
 * It runs on one thread at a time; the accessors may be called from any thread.
 */
final class AgentLoop {
    private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);

    /** A failed attempt to reach a goal, kept until the goal changes or a new attempt starts. */
    private record Failed(Goal goal, String message, @Nullable Facts retryWhenNot) {}

    /** What a step that runs in the tick depends on, of what the agent observes of a database. */
    private record Facts(boolean present, boolean running, @Nullable Role role) {
        static Facts of(@Nullable DatabaseObservation seen) {
            return seen == null ? new Facts(false, false, null) : new Facts(true, seen.running(), seen.role());
        }
    }

    private final String agentName;
    private final long pid;
    private final Databases databases;
    private final CenterLink center;
    private final StateFile stateFile;
    private final LongAction longAction;
    private final List<String> installedMajorVersions;
    private final InstantSource clock;

    private volatile Map<Path, Goal> goals = Map.of();
    private final Map<Path, Failed> failures = new ConcurrentHashMap<>();
    private volatile @Nullable Path actionDirectory;
    private final Map<Path, Boolean> upByDataDirectory = new ConcurrentHashMap<>();
    private final Set<String> ignoredGoals = new HashSet<>();
    private volatile List<DatabaseObservation> latest = List.of();
    private volatile List<NodeStatus> latestNodes = List.of();
    private @Nullable String centerTrouble;
    private @Nullable String stateTrouble;
    private volatile @Nullable Instant lastDelivered;
    /** Well under the Control Center's offline limit, so one slow database never hides the agent. */
    private final Probes probes = new Probes(Duration.ofSeconds(1));

    private final Inspections inspections;
    private final Backoff backoff;
    /** Called when a state is reached, so that it is reported at once rather than at the next tick. */
    private volatile Runnable onReached = () -> {};

    private volatile PartialSegments partialSegments = PartialSegments.NONE;
    /** The primary's lease, on either side; null until {@link #holdLeasesWith} (tests without one). */
    private volatile @Nullable Leases leases;
    /** When a restart in place was last tried, by data directory ({@link System#nanoTime()}). */
    private final Map<Path, Long> restartTriedAt = new ConcurrentHashMap<>();
    /** The shutdown checkpoint of each DEMOTED database, read once from its control file. */
    private final Map<Path, Optional<String>> shutdownCheckpoints = new ConcurrentHashMap<>();

    /** What a tick observed: the probes of the databases, and the standby targets inspected anew. */
    private record Observed(Map<Path, Probes.Probe> probes, Map<Path, TargetInspection> targets) {}

    /**
     * @param installedMajorVersions the major versions installed on the host, reported on every
     *     tick
     */
    AgentLoop(
            String agentName,
            Databases databases,
            CenterLink center,
            StateFile stateFile,
            LongAction longAction,
            List<String> installedMajorVersions,
            InstantSource clock) {
        this(agentName, databases, center, stateFile, longAction, installedMajorVersions, clock, Backoff.STANDARD);
    }

    /** The same, retrying TRANSIENT failures of long steps with {@code backoff}. */
    AgentLoop(
            String agentName,
            Databases databases,
            CenterLink center,
            StateFile stateFile,
            LongAction longAction,
            List<String> installedMajorVersions,
            InstantSource clock,
            Backoff backoff) {
        this.inspections = new Inspections(Probes.threads(), clock);
        this.backoff = backoff;
        this.agentName = agentName;
        this.pid = ProcessHandle.current().pid();
        this.databases = databases;
        this.center = center;
        this.stateFile = stateFile;
        this.longAction = longAction;
        this.installedMajorVersions = List.copyOf(installedMajorVersions);
        this.clock = clock;
    }

    /**
     * Observes, reports and pursues the goals once. Blocks at most the probes' deadline (the
     * databases and the standby targets are observed in parallel under it) plus one call to the
     * Control Center, plus the steps that run in the tick (checks only).
     */
    void runOnce() {
        MDC.put("agent", agentName);
        try {
            Observed seen = observe();
            Map<Path, DatabaseObservation> observed = new LinkedHashMap<>();
            List<ReplicationObservation> replication = new ArrayList<>();
            seen.probes().forEach((dir, probe) -> {
                observed.put(dir, probe.database());
                if (probe.replication() != null) {
                    replication.add(probe.replication());
                }
            });
            latest = List.copyOf(observed.values());
            List<NodeStatus> nodes = nodeStatuses(seen.targets());
            long sentAt = System.nanoTime(); // a lease the reply renews counts from here
            Optional<ReportReply> reply = deliver(new AgentReport(
                    agentName,
                    pid,
                    clock.instant(),
                    List.copyOf(observed.values()),
                    replication,
                    nodes,
                    installedMajorVersions));
            reply.ifPresent(r -> {
                inspections.delivered(seen.targets().keySet());
                holdGoals(r.goals());
                Leases held = leases;
                if (held != null) {
                    held.renewedByCenter(goals, sentAt);
                }
                pursueGoals(observed);
            });
        } finally {
            MDC.remove("agent");
        }
    }

    /** The goals the agent holds now, by data directory; empty before the first reply. */
    Map<Path, Goal> goals() {
        return goals;
    }

    /** Ships a stopped primary's partial last WAL segment with {@code shipper} (WAL shipping). */
    void shipPartialSegmentsWith(PartialSegments shipper) {
        this.partialSegments = shipper;
    }

    /** Keeps the primary's lease with {@code leases}, and restarts a primary in place under it. */
    void holdLeasesWith(Leases leases) {
        this.leases = leases;
    }

    /**
     * How long the loop waits between two reports: {@code standard}, or the observer's check
     * interval when a goal held is under a lease and asks for less.
     */
    Duration reportPeriod(Duration standard) {
        long millis = standard.toMillis();
        for (Goal goal : goals.values()) {
            if (goal.lease() != null) {
                millis = Math.min(millis, goal.lease().intervalMillis());
            }
        }
        return Duration.ofMillis(millis);
    }

    /** Has {@code wakeUp} run whenever a state is reached, so that the loop reports it at once. */
    void onReached(Runnable wakeUp) {
        this.onReached = wakeUp;
    }

    /** What the last tick observed; empty before the first. */
    List<DatabaseObservation> latestObservations() {
        return latest;
    }

    /** The node statuses the last tick reported; empty before the first goal. */
    List<NodeStatus> latestNodes() {
        return latestNodes;
    }

    /** When the Control Center last accepted a report; null before the first. */
    @Nullable
    Instant lastDelivered() {
        return lastDelivered;
    }

    // --- observe

    /**
     * Observes the databases the agent was started with and those its goals name, except a
     * directory a long action is creating, and inspects the standby targets that are due, all
     * under one deadline.
     */
    private Observed observe() {
        Set<Path> directories = new LinkedHashSet<>(databases.started());
        directories.addAll(goals.keySet());
        long deadline = probes.deadlineFromNow();
        Map<Path, Goal> targets = targets();
        inspections.start(targets, databases::engineFor);
        Map<Path, Probes.Probe> probed = probes.observe(directories, this::probe, deadline);
        Map<Path, TargetInspection> inspected = inspections.collect(targets, deadline);
        log.debug(
                "tick: observed {} database(s), inspected {} target(s); {} goal(s); long action: {}",
                probed.size(),
                inspected.size(),
                goals.size(),
                longAction.running().map(LongAction.Running::name).orElse("none"));
        return new Observed(probed, inspected);
    }

    /**
     * The standby targets to inspect: the directories whose goal is WAIT_STANDBY or that hold no
     * database yet, except the one the long action works on.
     */
    private Map<Path, Goal> targets() {
        Path busy = actionDirectory;
        Map<Path, Goal> targets = new LinkedHashMap<>();
        goals.forEach((dir, goal) -> {
            if (!dir.equals(busy) && (goal.state() == NodeState.WAIT_STANDBY || !databases.holdsDatabase(dir))) {
                targets.put(dir, goal);
            }
        });
        return targets;
    }

    /**
     * Runs on a probe thread: observes one database, and replication; a database that does not
     * run is said to replicate nothing, so that what the Control Center saw of it before goes.
     */
    private Optional<Probes.Probe> probe(Path dir) {
        if (dir.equals(actionDirectory) && !databases.isStartedWith(dir)) {
            return Optional.empty();
        }
        return databases.instance(dir).map(instance -> {
            DatabaseObservation seen = instance.observe();
            logChange(seen);
            return new Probes.Probe(
                    seen,
                    seen.running() ? instance.observeReplication() : ReplicationObservation.none(seen.dataDirectory()));
        });
    }

    private void logChange(DatabaseObservation o) {
        Boolean before = upByDataDirectory.put(Path.of(o.dataDirectory()), o.up());
        log.debug("observed {}: up={} role={} reason={}", o.dataDirectory(), o.up(), o.role(), o.reason());
        if (before == null || before != o.up()) {
            log.info(
                    "database {} (port {}) {} → {}: {}",
                    o.dataDirectory(),
                    o.port(),
                    before == null ? "unknown" : before ? "up" : "down",
                    o.up() ? "up" : "down",
                    o.up() ? o.role() : Objects.requireNonNullElse(o.reason(), "no reason given"));
        }
    }

    /**
     * The state reached towards each goal held, with the running action's progress and the new
     * inspection of a standby target, if any.
     */
    private List<NodeStatus> nodeStatuses(Map<Path, TargetInspection> inspected) {
        List<NodeStatus> nodes = new ArrayList<>();
        Optional<LongAction.Running> running = longAction.running();
        goals.forEach((dir, goal) -> {
            Optional<StateFile.Entry> reached = reached(dir, goal);
            NodeState reported = reached.map(StateFile.Entry::reportedState).orElse(null);
            ActionProgress progress = dir.equals(actionDirectory)
                    ? running.map(LongAction.Running::progress).orElse(null)
                    : null;
            Failed failed = failures.get(dir);
            TargetInspection target = inspected.get(dir);
            nodes.add(new NodeStatus(
                    goal.configuration(),
                    goal.dataDirectory(),
                    reported,
                    reached.map(StateFile.Entry::epoch).orElse(0L),
                    reported == goal.state()
                            ? reached.map(StateFile.Entry::operationId).orElse(null)
                            : goal.operationId(),
                    progress,
                    failed != null && failed.goal().equals(goal) ? failed.message() : null,
                    target,
                    reported == NodeState.DEMOTED && !dir.equals(actionDirectory) ? shutdownCheckpoint(dir) : null,
                    primaryView(goal),
                    selfFencedAt(dir)));
        });
        latestNodes = List.copyOf(nodes);
        return nodes;
    }

    /** What this standby's agent sees of its primary, while a lease applies; else null. */
    private @Nullable PrimaryView primaryView(Goal goal) {
        Leases held = leases;
        return held == null || goal.lease() == null || goal.lease().holder()
                ? null
                : held.primaryView(goal.configuration());
    }

    private @Nullable Instant selfFencedAt(Path dir) {
        Leases held = leases;
        return held == null ? null : held.selfFencedAt(dir);
    }

    /**
     * The shutdown checkpoint of the DEMOTED database at {@code dir}, read once; null when it was
     * not shut down cleanly, or its control file cannot be read.
     */
    private @Nullable String shutdownCheckpoint(Path dir) {
        return shutdownCheckpoints
                .computeIfAbsent(dir, d -> {
                    try {
                        return databases.instance(d).flatMap(Instance::shutdownCheckpoint);
                    } catch (RuntimeException e) {
                        log.warn("cannot read the shutdown checkpoint of {}: {}", d, e.getMessage());
                        return Optional.empty();
                    }
                })
                .orElse(null);
    }

    // --- report

    private Optional<ReportReply> deliver(AgentReport report) {
        try {
            ReportReply reply = center.report(report);
            lastDelivered = clock.instant();
            if (centerTrouble != null) {
                log.info("the Control Center at {} answers again", center.address());
                centerTrouble = null;
            }
            return Optional.of(reply);
        } catch (CenterException e) {
            String trouble = String.valueOf(e.getMessage());
            if (!trouble.equals(centerTrouble)) {
                log.warn("{}; reporting again every tick, keeping the last goals", trouble);
                centerTrouble = trouble;
            }
            return Optional.empty();
        }
    }

    // --- pursue the goals

    /**
     * Takes the goals of the reply. A data directory no goal names any more has left its
     * configuration: the agent forgets its state and stops observing it (unless it was started
     * with it), but never stops or removes the database.
     */
    private void holdGoals(List<Goal> received) {
        Map<Path, Goal> next = new LinkedHashMap<>();
        for (Goal goal : received) {
            Optional<Path> dir = dataDirectory(goal);
            if (dir.isEmpty()) {
                if (ignoredGoals.add(goal.dataDirectory())) {
                    log.warn(
                            "ignoring the goal {} of configuration {}: '{}' is not an absolute path",
                            goal.state(),
                            goal.configuration(),
                            goal.dataDirectory());
                }
            } else if (next.putIfAbsent(dir.get(), goal) != null) {
                log.warn("two goals name {}; following the first ({})", dir.get(), next.get(dir.get()));
            }
        }
        goals = Collections.unmodifiableMap(next);
        failures.entrySet().removeIf(e -> !e.getValue().goal().equals(next.get(e.getKey())));
        Path busy = actionDirectory;
        for (StateFile.Entry entry : stateFile.entries()) {
            Path dir = Path.of(entry.dataDirectory());
            if (!next.containsKey(dir) && !dir.equals(busy)) {
                log.info(
                        "{} left configuration {}: forgetting its state {}",
                        dir,
                        entry.configuration(),
                        entry.reportedState());
                writeState(() -> stateFile.forget(dir));
            }
        }
        for (Path dir : databases.openedForGoals()) {
            if (!next.containsKey(dir) && !dir.equals(busy)) {
                databases.forget(dir);
            }
        }
    }

    private static Optional<Path> dataDirectory(Goal goal) {
        try {
            Path dir = Path.of(goal.dataDirectory());
            return dir.isAbsolute() ? Optional.of(Databases.normalize(dir)) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private void pursueGoals(Map<Path, DatabaseObservation> observed) {
        goals.forEach((dir, goal) -> {
            MDC.put("configuration", goal.configuration());
            try {
                pursue(dir, goal, observed);
            } finally {
                MDC.remove("configuration");
            }
        });
    }

    private void pursue(Path dir, Goal goal, Map<Path, DatabaseObservation> observed) {
        if (dir.equals(actionDirectory)) {
            return; // the long action works on it
        }
        Optional<StateFile.Entry> reached = reached(dir, goal);
        NodeState current = reached.map(StateFile.Entry::reportedState).orElse(null);
        if (reached.isPresent() && goal.epoch() < reached.get().epoch()) {
            fail(
                    dir,
                    goal,
                    "refused the goal " + goal.state() + " of epoch " + goal.epoch() + ": this database serves epoch "
                            + reached.get().epoch() + ", which is newer (is the Control Center's store older than"
                            + " this agent's state?)",
                    null,
                    new UnderstudyException("goal from an older epoch"));
            return;
        }
        if (current == goal.state()) {
            keepUpWith(dir, goal, reached.orElseThrow());
            restartInPlaceIfDown(dir, goal, observed.get(dir));
            return;
        }
        Leases held = leases;
        if (held != null && goal.state() == NodeState.WAIT_PRIMARY && held.promised(goal.configuration())) {
            log.info(
                    "{}: the promotion waits: this agent promised the primary's agent not to be promoted before"
                            + " its lease runs out",
                    dir);
            return; // the lease thread wakes the loop when the promise runs out
        }
        if (held != null && goal.state() == NodeState.PRIMARY && current == NodeState.DEMOTED && !held.mayServe(dir)) {
            log.info("{}: not started as the primary: it holds no valid lease", dir);
            return;
        }
        @Nullable
        DatabaseObservation seen = observed.containsKey(dir)
                ? observed.get(dir)
                : probe(dir).map(Probes.Probe::database).orElse(null); // a directory the goals named only now
        Failed failed = failures.get(dir);
        if (failed != null && failed.goal().equals(goal)) {
            Facts retryWhenNot = failed.retryWhenNot();
            if (retryWhenNot == null || retryWhenNot.equals(Facts.of(seen))) {
                return; // tried already: waits for a new goal, or for what it depends on to change
            }
        }
        Transition transition;
        try {
            transition = NodeFsm.find(current, goal.state());
        } catch (IllegalStateException e) {
            fail(dir, goal, String.valueOf(e.getMessage()), null, e);
            return;
        }
        if (transition.step().runs() == Runs.IN_TICK) {
            runInTick(dir, goal, current, transition.step(), seen);
        } else {
            startLongAction(dir, goal, current, transition.step(), seen);
        }
    }

    /**
     * Starts the primary at {@code dir} again where it died by itself, when a lease applies (the
     * observer is on) and the agent still holds it: a crash of postgres alone is not a failover. At
     * most once a second.
     */
    private void restartInPlaceIfDown(Path dir, Goal goal, @Nullable DatabaseObservation seen) {
        Leases held = leases;
        if (held == null
                || !Leases.servesAsPrimary(goal)
                || !held.applies(dir)
                || seen == null
                || seen.running()
                || seen.role() != Role.PRIMARY
                || !held.mayServe(dir)) {
            return;
        }
        long now = System.nanoTime();
        Long last = restartTriedAt.get(dir);
        if (last != null && now - last < Duration.ofSeconds(1).toNanos()) {
            return;
        }
        if (longAction.running().isPresent()) {
            return;
        }
        restartTriedAt.put(dir, now);
        Step step = Steps.RESTART_IN_PLACE;
        StepContext context = context(dir, goal, step, seen);
        log.warn("{}: the primary is down ({}); restarting it in place", dir, seen.reason());
        actionDirectory = dir;
        Optional<String> other = longAction.trySubmit(context.action(), progress -> {
            try {
                step.work().run(context.withProgress(progress));
                log.info("{}: the primary was restarted in place", dir);
            } catch (RuntimeException e) {
                log.warn("{}: restart in place failed: {}", dir, mask(String.valueOf(e.getMessage()), goal));
            } finally {
                actionDirectory = null;
                onReached.run();
            }
        });
        if (other.isPresent()) {
            actionDirectory = null;
        }
    }

    private void runInTick(
            Path dir, Goal goal, @Nullable NodeState current, Step step, @Nullable DatabaseObservation seen) {
        StepContext context = context(dir, goal, step, seen);
        try {
            NodeFsm.reach(current, goal.state(), context);
            record(dir, goal);
            failures.remove(dir);
            onReached.run();
        } catch (Throwable e) { // an Error too: recorded as a failure, never retried every tick
            fail(dir, goal, failureMessage(step, goal, e, 0), Facts.of(seen), e);
        }
    }

    private void startLongAction(
            Path dir, Goal goal, @Nullable NodeState current, Step step, @Nullable DatabaseObservation seen) {
        Optional<LongAction.Running> busy = longAction.running();
        if (busy.isPresent()) {
            log.debug("{} for {} waits: {} runs", step.name(), dir, busy.get().name());
            return;
        }
        if (inspections.isInspecting(dir)) {
            log.debug("{} for {} waits: its inspection still runs", step.name(), dir);
            return;
        }
        StepContext context = context(dir, goal, step, seen);
        failures.remove(dir); // a new attempt starts
        inspections.forget(dir); // what it holds is about to change
        if (!databases.isStartedWith(dir)) {
            databases.forget(dir); // the step may replace what the directory holds
        }
        actionDirectory = dir;
        Optional<String> other = longAction.trySubmit(
                context.action(), progress -> runLongStep(dir, goal, current, step, context.withProgress(progress)));
        if (other.isPresent()) { // cannot happen: only this thread submits
            actionDirectory = null;
            log.debug("{} waits: {} runs", context.action(), other.get());
        }
    }

    /**
     * Runs on the long action's thread. A TRANSIENT failure is retried in place after each of the
     * backoff's delays, while the goal holds; any other failure, or the last, is reported.
     */
    private void runLongStep(Path dir, Goal goal, @Nullable NodeState current, Step step, StepContext context) {
        int retries = 0;
        try {
            while (true) {
                try {
                    NodeFsm.reach(current, goal.state(), context);
                    break;
                } catch (EngineException e) {
                    if (!mayRetry(dir, goal, e, retries)) {
                        throw e;
                    }
                    Duration delay = backoff.delays().get(retries);
                    retries++;
                    String message = mask(String.valueOf(e.getMessage()), goal);
                    log.warn(
                            "{} failed (transient); retry {} of {} in {}: {}",
                            context.action(),
                            retries,
                            backoff.retries(),
                            Backoff.say(delay),
                            message);
                    context.phase("retrying in " + Backoff.say(delay) + " after: " + message);
                    try {
                        backoff.pause().pause(delay);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt(); // the agent stops: report the failure as it is
                        throw e;
                    }
                    if (!goal.equals(goals.get(dir))) {
                        throw e; // the goal changed meanwhile: the loop starts what the new one needs
                    }
                }
            }
            record(dir, goal);
            log.info("{} reached for {}: {} done", goal.state(), dir, step.name());
        } catch (Throwable e) { // an Error too: recorded as a failure, never taken for success
            fail(dir, goal, failureMessage(step, goal, e, retries), null, e);
        } finally {
            actionDirectory = null;
            onReached.run(); // report the state reached, or the failure, at once
        }
    }

    /** Whether a long step that failed with {@code e} after {@code retries} retries runs again. */
    private boolean mayRetry(Path dir, Goal goal, EngineException e, int retries) {
        return e.failure() == Failure.TRANSIENT
                && retries < backoff.retries()
                && goal.equals(goals.get(dir)) // a new goal is a new attempt, started by the loop
                && !Thread.currentThread().isInterrupted();
    }

    private StepContext context(Path dir, Goal goal, Step step, @Nullable DatabaseObservation seen) {
        return new StepContext(
                goal,
                dir,
                seen,
                databases.engineFor(dir),
                databases.configFor(dir),
                step.name() + " at " + dir + " (" + goal.configuration() + ")",
                clock.instant(),
                progress -> {},
                partialSegments);
    }

    /** Same state: records the goal's epoch and operation when they changed; nothing else to do. */
    private void keepUpWith(Path dir, Goal goal, StateFile.Entry reached) {
        failures.remove(dir);
        if (reached.epoch() != goal.epoch() || !Objects.equals(reached.operationId(), goal.operationId())) {
            writeState(() -> record(dir, goal));
        }
    }

    private Optional<StateFile.Entry> reached(Path dir, Goal goal) {
        return stateFile.entry(dir).filter(e -> e.configuration().equals(goal.configuration()));
    }

    /** Writes the state reached to disk; only then may it be reported. */
    private void record(Path dir, Goal goal) {
        shutdownCheckpoints.remove(dir); // read again once DEMOTED
        stateFile.record(new StateFile.Entry(
                goal.configuration(), dir.toString(), goal.state(), goal.epoch(), goal.operationId()));
    }

    private void writeState(Runnable write) {
        try {
            write.run();
            if (stateTrouble != null) {
                log.info("the state file {} can be written again", stateFile.path());
                stateTrouble = null;
            }
        } catch (RuntimeException e) {
            String trouble = String.valueOf(e.getMessage());
            if (!trouble.equals(stateTrouble)) {
                log.warn("{}; trying again next tick", trouble);
                stateTrouble = trouble;
            }
        }
    }

    private void fail(Path dir, Goal goal, String message, @Nullable Facts retryWhenNot, Throwable cause) {
        Failed before = failures.put(dir, new Failed(goal, message, retryWhenNot));
        if (before != null && before.message().equals(message)) {
            return; // said already
        }
        if (cause instanceof UnderstudyException) {
            log.warn("{} → {} failed for {}: {}", state(dir, goal), goal.state(), dir, message);
        } else {
            log.error("{} → {} failed for {}: {}", state(dir, goal), goal.state(), dir, message, cause);
        }
    }

    private String state(Path dir, Goal goal) {
        return reached(dir, goal).map(e -> e.reportedState().name()).orElse("(no state)");
    }

    /**
     * The failure as the Control Center shows it: the step, the engine's classification, how many
     * times it was retried and its message; never a stack trace, and the replication password
     * masked should it appear.
     */
    static String failureMessage(Step step, Goal goal, Throwable e, int retries) {
        String message = String.valueOf(e.getMessage());
        String text = e instanceof EngineException engine
                ? step.name() + " failed (" + engine.failure().name().toLowerCase(Locale.ROOT) + ")"
                        + (retries == 0 ? "" : " after " + retries + (retries == 1 ? " retry" : " retries"))
                        + ": " + message
                : e instanceof UnderstudyException
                        ? step.name() + " failed: " + message
                        : step.name() + " failed unexpectedly: " + e.getClass().getSimpleName() + ": " + message;
        return mask(text, goal);
    }

    /** {@code text} with the goal's replication password masked, should it appear. */
    private static String mask(String text, Goal goal) {
        ReplicationSpec replication = goal.replication();
        if (replication != null && !replication.password().isEmpty()) {
            return text.replace(replication.password().reveal(), Secret.MASK);
        }
        return text;
    }
}
