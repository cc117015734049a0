package io.understudy.center.monitor;

import io.understudy.center.auth.Tokens;
import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.center.store.Store;
import io.understudy.core.database.Lsn;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records agents' reports (the reported state: observations of databases, replication, and the
 * state each database of a Configuration reached) and checks their liveness, writing an event for
 * each transition and nothing else. Decides nothing: the orchestrator does, from what is recorded
 * here. Thread-safe: reports of one agent and its liveness check are serialized by a lock on the
 * agent's row. Every method blocks on the store.
 */
public final class Monitor {
    private static final Logger log = LoggerFactory.getLogger(Monitor.class);
    private static final int REASON_MAX = 1000;
    /** Why a database its agent no longer reports is down; the agent's name follows. */
    static final String NO_LONGER_REPORTED = "no longer reported by agent ";

    private final Store store;
    private final EventLog events;
    private final Liveness liveness;
    private final InstantSource clock;

    public Monitor(Store store, EventLog events, Liveness liveness, InstantSource clock) {
        this.store = store;
        this.events = events;
        this.liveness = liveness;
        this.clock = clock;
    }

    /** Whether {@code token} is the current token of the agent named {@code agent}. Read-only. */
    public boolean isAgentToken(String agent, Secret token) {
        return store.findAgent(agent)
                .map(a -> Tokens.matches(token, a.tokenHash()))
                .orElse(false);
    }

    /**
     * Records a report of {@code agent} in its own transaction. See {@link #record(Store, String,
     * Secret, AgentReport)}.
     */
    public Optional<Instant> record(String agent, Secret token, AgentReport report) {
        return store.inTransaction(tx -> record(tx, agent, token, report));
    }

    /**
     * Records a report of {@code agent}, already validated, through {@code tx}: its last report
     * time (the Control Center's clock), pid and installed major versions; each database
     * observation, keyed by data directory (a database the report no longer mentions is marked
     * down, and one whose port another data directory now uses is forgotten); each replication
     * observation; and each node status of a database of a Configuration. Locks the agent's row.
     *
     * @param token the bearer token the report came with; checked again under the agent's row lock
     * @return when the report was recorded, or empty if {@code token} is not the agent's (nothing
     *     changed)
     */
    public Optional<Instant> record(Store tx, String agent, Secret token, AgentReport report) {
        Optional<AgentRecord> found = tx.lockAgent(agent);
        if (found.isEmpty() || !Tokens.matches(token, found.get().tokenHash())) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        AgentRecord previous = found.get();
        tx.recordReport(agent, report.pid(), now);
        tx.recordInstalledMajorVersions(agent, report.installedMajorVersions());
        if (!previous.online()) {
            events.record(tx, cameOnline(previous, now));
        }
        List<Event> changes = new ArrayList<>(recordDatabases(tx, agent, report.databases(), now));
        for (ReplicationObservation replication : report.replication()) {
            tx.recordReplication(agent, replication, now);
        }
        changes.addAll(recordNodes(tx, agent, report.nodes(), now));
        for (Event change : changes) {
            events.record(tx, change);
        }
        log.debug(
                "report from agent {}: {} database(s), {} node(s), {} change(s)",
                agent,
                report.databases().size(),
                report.nodes().size(),
                changes.size());
        return Optional.of(now);
    }

    /**
     * Marks offline every agent whose last report is older than the offline-after setting, recording
     * {@link EventKind#AGENT_OFFLINE} once per transition. For the housekeeping loop.
     *
     * @return how many agents went offline
     */
    public int checkLiveness() {
        Instant now = clock.instant();
        int wentOffline = 0;
        for (AgentRecord agent : store.agents()) {
            if (!agent.online() || liveness.isOnline(agent.lastReportAt(), now)) {
                continue;
            }
            boolean changed = store.inTransaction(tx -> {
                if (!tx.markAgentOffline(agent.name(), liveness.cutoff(now))) {
                    return false; // a report arrived meanwhile
                }
                events.record(tx, wentOffline(agent, now));
                return true;
            });
            if (changed) {
                wentOffline++;
            }
        }
        return wentOffline;
    }

    private List<Event> recordDatabases(Store tx, String agent, List<DatabaseObservation> observations, Instant now) {
        Map<String, DatabaseRecord> known = new HashMap<>();
        for (DatabaseRecord database : tx.databasesOf(agent)) {
            known.put(database.dataDirectory(), database);
        }
        Map<Integer, DatabaseObservation> reportedPorts = new HashMap<>();
        Set<String> reportedDirectories = new HashSet<>();
        for (DatabaseObservation observation : observations) {
            reportedPorts.put(observation.port(), observation);
            reportedDirectories.add(observation.dataDirectory());
        }
        List<Event> changes = new ArrayList<>();
        // First make room: (agent, port) is unique, so a port taken over by another data directory
        // forgets the old one, and a database whose port changed is written anew below.
        for (DatabaseRecord database : known.values()) {
            if (reportedDirectories.contains(database.dataDirectory())) {
                continue;
            }
            DatabaseObservation successor = reportedPorts.get(database.port());
            if (successor != null) {
                tx.deleteDatabase(agent, database.dataDirectory());
                changes.add(replaced(database, successor));
            } else {
                DatabaseRecord gone = database.notObserved(NO_LONGER_REPORTED + agent);
                if (!gone.equals(database)) {
                    tx.updateDatabase(gone);
                    changes.addAll(transitions(database, gone));
                }
            }
        }
        List<DatabaseRecord> toInsert = new ArrayList<>();
        for (DatabaseObservation observation : observations) {
            DatabaseRecord next = toRecord(agent, observation, now);
            DatabaseRecord previous = known.get(observation.dataDirectory());
            if (previous == null) {
                toInsert.add(next);
                changes.add(added(next));
            } else if (previous.port() != next.port()) {
                tx.deleteDatabase(agent, previous.dataDirectory());
                toInsert.add(next);
                changes.addAll(transitions(previous, next));
            } else {
                tx.updateDatabase(next);
                changes.addAll(transitions(previous, next));
            }
        }
        toInsert.forEach(tx::insertDatabase);
        return changes;
    }

    private static List<Event> recordNodes(Store tx, String agent, List<NodeStatus> nodes, Instant now) {
        Map<MemberKey, MemberRecord> members = new HashMap<>();
        for (MemberRecord member : tx.membersOnAgent(agent)) {
            members.put(new MemberKey(member.configuration(), member.dataDirectory()), member);
        }
        List<Event> changes = new ArrayList<>();
        for (NodeStatus node : nodes) {
            MemberRecord member = members.get(new MemberKey(node.configuration(), node.dataDirectory()));
            if (member == null) {
                log.debug(
                        "agent {} reports on {} for configuration {}, which has no such member (any more); ignored",
                        agent,
                        node.dataDirectory(),
                        node.configuration());
                continue;
            }
            MemberRecord next = member.withReport(
                    node.reportedState(),
                    node.epoch(),
                    node.operationId(),
                    node.failure(),
                    node.progress(),
                    node.target(),
                    node.checkpointLsn(),
                    now);
            tx.updateMember(next);
            changes.addAll(nodeTransitions(member, next));
        }
        return changes;
    }

    private static List<Event> nodeTransitions(MemberRecord before, MemberRecord after) {
        List<Event> changes = new ArrayList<>();
        String id = after.id().toString();
        String actor = Event.agent(after.agent());
        String of = id + " (" + after.configuration() + ")";
        if (after.reportedState() != null && after.reportedState() != before.reportedState()) {
            String was = before.reportedState() == null ? "nothing reported before" : "was " + before.reportedState();
            changes.add(Event.info(
                    actor,
                    EventKind.STATE_REPORTED,
                    id,
                    of + " reported " + after.reportedState() + " (" + was + "; goal " + after.goalState() + ")"));
        }
        @Nullable ActionProgress progress = after.progress();
        @Nullable ActionProgress earlier = before.progress();
        if (progress != null
                && (earlier == null
                        || !earlier.phase().equals(progress.phase())
                        || !earlier.action().equals(progress.action()))) {
            changes.add(Event.info(actor, EventKind.PROGRESS, id, of + ": " + progress.phase()));
        }
        @Nullable String failure = after.failure();
        if (failure != null && !Objects.equals(failure, before.failure())) {
            changes.add(Event.failed(
                    actor,
                    EventKind.STATE_REPORTED,
                    id,
                    of + " could not reach " + after.goalState() + ": " + failure));
        }
        return changes;
    }

    private record MemberKey(String configuration, String dataDirectory) {}

    private static Event replaced(DatabaseRecord old, DatabaseObservation successor) {
        String id = old.id().toString();
        return Event.info(
                Event.agent(old.agent()),
                EventKind.DATABASE_REPLACED,
                id,
                "database " + id + " is now data directory " + successor.dataDirectory() + "; data directory "
                        + old.dataDirectory() + ", no longer reported on that port, is forgotten");
    }

    private static DatabaseRecord toRecord(String agent, DatabaseObservation o, Instant now) {
        return new DatabaseRecord(
                agent,
                o.dataDirectory(),
                o.port(),
                o.majorVersion(),
                o.serverVersion(),
                o.up(),
                o.running(),
                o.role(),
                cut(o.reason()),
                canonical(o.currentLsn()),
                canonical(o.receivedLsn()),
                canonical(o.replayedLsn()),
                o.systemIdentifier(),
                now);
    }

    private static Event added(DatabaseRecord d) {
        String version = d.serverVersion() != null ? d.serverVersion() : d.majorVersion();
        String state = d.up() ? "up" : "down: " + reasonOf(d);
        return Event.info(
                Event.agent(d.agent()),
                EventKind.DATABASE_ADDED,
                d.id().toString(),
                "database " + d.id() + " added (PostgreSQL " + version + ", " + d.role() + ", data directory "
                        + d.dataDirectory() + "), " + state);
    }

    private static List<Event> transitions(DatabaseRecord before, DatabaseRecord after) {
        List<Event> changes = new ArrayList<>();
        String id = after.id().toString();
        String actor = Event.agent(after.agent());
        if (before.up() && !after.up()) {
            changes.add(Event.info(
                    actor, EventKind.DATABASE_DOWN, id, "database " + id + " up -> down: " + reasonOf(after)));
        } else if (!before.up() && after.up()) {
            changes.add(Event.info(actor, EventKind.DATABASE_UP, id, "database " + id + " down -> up"));
        }
        // UNKNOWN is what a down database without signal files reports; its DATABASE_DOWN says enough.
        if (before.role() != after.role() && before.role() != Role.UNKNOWN && after.role() != Role.UNKNOWN) {
            changes.add(Event.info(
                    actor,
                    EventKind.DATABASE_ROLE_CHANGED,
                    id,
                    "database " + id + " " + before.role() + " -> " + after.role()));
        }
        return changes;
    }

    private static Event cameOnline(AgentRecord agent, Instant now) {
        String message;
        if (agent.lastReportAt() == null) {
            message = "agent " + agent.name() + " enrolled -> online: first report";
        } else {
            message = "agent " + agent.name() + " offline -> online: report received after "
                    + seconds(Duration.between(agent.lastReportAt(), now)) + " without one";
        }
        return Event.info(Event.agent(agent.name()), EventKind.AGENT_ONLINE, agent.name(), message);
    }

    private Event wentOffline(AgentRecord agent, Instant now) {
        @Nullable Instant last = agent.lastReportAt();
        String silence = last == null ? "" : " for " + seconds(Duration.between(last, now));
        return Event.info(
                Event.CONTROL_CENTER,
                EventKind.AGENT_OFFLINE,
                agent.name(),
                "agent " + agent.name() + " online -> offline: no report" + silence + " (offline after "
                        + seconds(liveness.offlineAfter()) + "; " + Liveness.lastReport(last) + ")");
    }

    private static String reasonOf(DatabaseRecord d) {
        return d.reason() != null ? d.reason() : "no reason given";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static @Nullable String canonical(@Nullable String lsn) {
        return lsn == null ? null : Lsn.parse(lsn).toString();
    }

    private static @Nullable String cut(@Nullable String reason) {
        return reason == null || reason.length() <= REASON_MAX ? reason : reason.substring(0, REASON_MAX - 1) + "…";
    }
}
