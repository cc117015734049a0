package io.understudy.center.orchestrator;

import io.understudy.center.auth.Tokens;
import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.LagHistory;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.ConfigurationRecord;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.center.store.OperationKind;
import io.understudy.center.store.OperationRecord;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepRecord;
import io.understudy.center.store.StepState;
import io.understudy.center.store.Store;
import io.understudy.core.api.ConfigurationChange;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.LagPoint;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.ProgressView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.StepView;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.database.Role;
import io.understudy.core.net.HostPort;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Configurations as users see and change them: create, list, show, delete, create the standby, and
 * read operations, status and lag history. Every change runs in one transaction and is checked
 * there first: a request that does not make sense is refused with a {@link Refusal} and changes
 * nothing (DESIGN.md, invariant 4). Thread-safe; every method blocks on the store.
 */
public final class Configurations {
    /** A Configuration's name. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,40}");

    /** The rule of {@link #NAME} in words. */
    public static final String NAME_RULE =
            "1 to 41 lower-case letters, digits, '_' or '-', starting with a letter or digit";

    /** The replication role created on every primary. */
    public static final String REPLICATION_USER = "understudy_replication";

    private static final int PASSWORD_BYTES = 24; // 32 URL-safe characters: no quoting in a conninfo

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final Store store;
    private final EventLog events;
    private final Orchestrator orchestrator;
    private final Liveness liveness;
    private final LagHistory lagHistory;

    public Configurations(
            Store store, EventLog events, Orchestrator orchestrator, Liveness liveness, LagHistory lagHistory) {
        this.store = store;
        this.events = events;
        this.orchestrator = orchestrator;
        this.liveness = liveness;
        this.lagHistory = lagHistory;
    }

    /** The replication slot of Configuration {@code name}: {@code understudy_<name, - as _>}. */
    public static String slotName(String name) {
        return "understudy_" + name.replace('-', '_');
    }

    /**
     * Creates a Configuration: its primary's goal SINGLE, its standby target's WAIT_STANDBY (its
     * agent then inspects the target directory), epoch 1, a generated replication password.
     *
     * @param user who asks, for the history
     * @throws Refusal naming the field when the name is in use (CONFLICT), the primary is unknown,
     *     down or not a primary, the standby's agent is unknown or offline, the target is the
     *     primary's directory or port or another database's port, the target directory is inside
     *     or a parent of another database's data directory on its agent, a database already
     *     belongs to a Configuration, the standby's host lacks the primary's major version, or an
     *     agent listens where the other host cannot reach it (a wildcard address, or a loopback
     *     address while the agents run on different hosts) (INVALID_INPUT)
     */
    public ConfigurationView create(NewConfiguration request, String user) {
        return orchestrator.deciding(tx -> {
            Instant now = orchestrator.clock().instant();
            String name = request.name();
            if (tx.findConfiguration(name).isPresent()) {
                throw new Refusal(
                        Refusal.Code.CONFLICT,
                        "a configuration named " + name + " exists already; choose another name or delete it first",
                        Map.of("field", "name"));
            }
            List<MemberRecord> members = tx.members();
            DatabaseRecord primary = checkPrimary(tx, request, members, now);
            AgentRecord primaryAgent = tx.findAgent(primary.agent()).orElseThrow();
            AgentRecord standbyAgent = checkStandby(tx, request, primary, members, now);
            checkReachable(primaryAgent, standbyAgent);
            ConfigurationRecord configuration = new ConfigurationRecord(
                    name,
                    request.method(),
                    request.mode(),
                    1,
                    false,
                    slotName(name),
                    REPLICATION_USER,
                    Secret.of(Tokens.randomText(PASSWORD_BYTES)),
                    host(primaryAgent),
                    host(standbyAgent),
                    user,
                    now,
                    Secret.of(Tokens.randomText(PASSWORD_BYTES)),
                    request.archiveTimeoutSeconds());
            tx.insertConfiguration(configuration);
            StandbyTarget target = request.standby();
            MemberRecord primaryMember = MemberRecord.assigned(
                    name,
                    Role.PRIMARY,
                    primary.agent(),
                    primary.dataDirectory(),
                    primary.port(),
                    NodeState.SINGLE,
                    now);
            MemberRecord standbyMember = MemberRecord.assigned(
                    name,
                    Role.STANDBY,
                    target.agent(),
                    target.dataDirectory(),
                    target.port(),
                    NodeState.WAIT_STANDBY,
                    now);
            tx.insertMember(primaryMember);
            tx.insertMember(standbyMember);
            events.record(
                    tx,
                    Event.ok(
                            user,
                            EventKind.CONFIGURATION_CREATED,
                            name,
                            "configuration " + name + " created by " + user + ": primary " + primary.id()
                                    + ", standby at " + target.agent() + ":" + target.dataDirectory() + " port "
                                    + target.port() + ", " + request.method() + ", " + request.mode()
                                    + "; replication slot " + configuration.slotName() + ", user "
                                    + REPLICATION_USER + " (password generated, never shown)"
                                    + (request.method() == ReplicationMethod.WAL_SHIPPING
                                            ? "; archive_timeout " + request.archiveTimeoutSeconds() + " s"
                                            : "")));
            for (MemberRecord member : List.of(primaryMember, standbyMember)) {
                String id = member.id().toString();
                events.record(
                        tx,
                        Event.info(
                                Event.CONTROL_CENTER,
                                EventKind.GOAL_ASSIGNED,
                                id,
                                id + " (" + name + ") goal " + member.goalState() + ": "
                                        + (member.role() == Role.PRIMARY
                                                ? "the primary serves as it does"
                                                : "its agent inspects the standby target and changes nothing")));
            }
            return view(configuration, List.of(primaryMember, standbyMember), null);
        });
    }

    private DatabaseRecord checkPrimary(Store tx, NewConfiguration request, List<MemberRecord> members, Instant now) {
        String id = request.primary().toString();
        String agentName = request.primary().agent();
        AgentRecord agent = tx.findAgent(agentName)
                .orElseThrow(() -> Refusal.invalid(
                        "primary",
                        "primary " + id + ": no agent named " + agentName
                                + " is enrolled; GET /api/v1/databases lists the databases"));
        DatabaseRecord database = tx.databasesOf(agentName).stream()
                .filter(d -> d.port() == request.primary().port())
                .findFirst()
                .orElseThrow(() -> Refusal.invalid(
                        "primary",
                        "primary " + id + ": agent " + agentName + " reports no database on port "
                                + request.primary().port() + "; GET /api/v1/databases lists the databases"));
        if (!liveness.isOnline(agent.lastReportAt(), now)) {
            throw Refusal.invalid(
                    "primary",
                    "primary " + id + " is down: " + Liveness.offlineReason(agentName, agent.lastReportAt()));
        }
        if (!database.up()) {
            throw Refusal.invalid(
                    "primary",
                    "primary " + id + " is down: "
                            + (database.reason() != null ? database.reason() : "its agent gave no reason"));
        }
        if (database.role() != Role.PRIMARY) {
            throw Refusal.invalid(
                    "primary", "primary " + id + " is not a primary: its agent observes it as " + database.role());
        }
        for (MemberRecord member : members) {
            if (member.agent().equals(agentName)
                    && (directory(member.dataDirectory()).equals(directory(database.dataDirectory()))
                            || member.port() == database.port())) {
                throw Refusal.invalid(
                        "primary", "primary " + id + " already belongs to configuration " + member.configuration());
            }
        }
        return database;
    }

    private AgentRecord checkStandby(
            Store tx, NewConfiguration request, DatabaseRecord primary, List<MemberRecord> members, Instant now) {
        StandbyTarget target = request.standby();
        AgentRecord agent = tx.findAgent(target.agent())
                .orElseThrow(() -> Refusal.invalid(
                        "standby.agent",
                        "no agent named " + target.agent() + " is enrolled; GET /api/v1/agents lists them"));
        if (!liveness.isOnline(agent.lastReportAt(), now)) {
            throw Refusal.invalid(
                    "standby.agent",
                    "the standby's " + Liveness.offlineReason(target.agent(), agent.lastReportAt())
                            + "; its agent must be reporting");
        }
        boolean sameAgent = target.agent().equals(primary.agent());
        Path targetDirectory = directory(target.dataDirectory());
        if (sameAgent && targetDirectory.equals(directory(primary.dataDirectory()))) {
            throw Refusal.invalid(
                    "standby.dataDirectory",
                    "the standby's data directory " + target.dataDirectory() + " is the primary's (" + primary.id()
                            + "); choose another directory");
        }
        if (sameAgent && target.port() == primary.port()) {
            throw Refusal.invalid(
                    "standby.port",
                    "port " + target.port() + " on " + target.agent() + " is the primary's; choose another port");
        }
        for (MemberRecord member : members) {
            if (!member.agent().equals(target.agent())) {
                continue;
            }
            if (directory(member.dataDirectory()).equals(targetDirectory)) {
                throw Refusal.invalid(
                        "standby.dataDirectory",
                        target.agent() + ":" + target.dataDirectory() + " already belongs to configuration "
                                + member.configuration());
            }
            refuseNested(
                    target,
                    member.dataDirectory(),
                    "database " + member.id() + " of configuration " + member.configuration());
            if (member.port() == target.port()) {
                throw Refusal.invalid(
                        "standby.port",
                        "port " + target.port() + " on " + target.agent() + " already belongs to configuration "
                                + member.configuration() + " (" + member.id() + ")");
            }
        }
        for (DatabaseRecord database : tx.databasesOf(target.agent())) {
            // The same directory is a cluster the creation replaces, once the user confirms it.
            boolean sameDirectory = directory(database.dataDirectory()).equals(targetDirectory);
            if (!sameDirectory) {
                refuseNested(target, database.dataDirectory(), "database " + database.id());
            }
            if (database.port() == target.port() && !sameDirectory) {
                throw Refusal.invalid(
                        "standby.port",
                        "port " + target.port() + " on " + target.agent() + " is database " + database.id() + " in "
                                + database.dataDirectory() + "; choose another port");
            }
        }
        List<String> installed = tx.installedMajorVersions(target.agent());
        if (!installed.contains(primary.majorVersion())) {
            throw Refusal.invalid(
                    "standby.agent",
                    "agent " + target.agent() + " has no PostgreSQL " + primary.majorVersion()
                            + " installed (it reports " + (installed.isEmpty() ? "none" : String.join(", ", installed))
                            + "); a standby needs the primary's major version");
        }
        return agent;
    }

    /**
     * Refuses a target directory inside {@code dataDirectory} or holding it: creating the standby
     * there would write into that database's files, or move them aside with the target's.
     */
    private static void refuseNested(StandbyTarget target, String dataDirectory, String whose) {
        Path targetDirectory = directory(target.dataDirectory());
        Path other = directory(dataDirectory);
        String relation;
        if (targetDirectory.startsWith(other)) {
            relation = " is inside ";
        } else if (other.startsWith(targetDirectory)) {
            relation = " is a parent of ";
        } else {
            return;
        }
        throw Refusal.invalid(
                "standby.dataDirectory",
                "the standby's data directory " + target.dataDirectory() + relation + "the data directory "
                        + dataDirectory + " of " + whose + " on agent " + target.agent()
                        + "; choose a directory that neither holds nor lies inside another database's");
    }

    /** A data directory as a normalized path, to compare directories rather than strings. */
    static Path directory(String dataDirectory) {
        return Path.of(dataDirectory).normalize();
    }

    /**
     * Refuses agents whose addresses the other side cannot use: the standby connects to the
     * primary's agent's host, and the primary lets the standby's agent's host in (pg_hba). A
     * wildcard address is no address to connect to; a loopback address reaches only its own host,
     * so it is refused when the agents report different host names.
     */
    private static void checkReachable(AgentRecord primary, AgentRecord standby) {
        boolean sameHost = primary.host().equalsIgnoreCase(standby.host());
        for (AgentRecord agent : List.of(primary, standby)) {
            String field = agent == primary ? "primary" : "standby.agent";
            String role = agent == primary ? "the primary's" : "the standby's";
            String other = agent == primary ? "the standby's host" : "the primary's host";
            String host = host(agent);
            if (isWildcard(host)) {
                throw Refusal.invalid(
                        field,
                        "agent " + agent.name() + " (" + role + ") listens on " + agent.address()
                                + ", a wildcard address that " + other + " cannot connect to: the agent must"
                                + " listen on an address the other host can reach (--listen, e.g. its host name"
                                + " or IP address)");
            }
            if (!sameHost && isLoopback(host)) {
                throw Refusal.invalid(
                        field,
                        "agent " + agent.name() + " (" + role + ") listens on " + agent.address()
                                + ", a loopback address, but the agents run on different hosts ("
                                + primary.host() + " and " + standby.host() + "): the agent must listen on an"
                                + " address the other host can reach (--listen, e.g. its host name or IP address)");
            }
        }
    }

    /** {@code 0.0.0.0}, {@code ::} and their spellings. */
    static boolean isWildcard(String host) {
        return literal(host).map(InetAddress::isAnyLocalAddress).orElse(host.equals("*"));
    }

    /** {@code 127.0.0.0/8}, {@code ::1}, {@code localhost}. */
    static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost") || name.startsWith("localhost.")) {
            return true;
        }
        return literal(host).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    /** {@code host} as an address when it is an IP literal; never a name lookup. */
    private static Optional<InetAddress> literal(String host) {
        try {
            if (IPV4.matcher(host).matches()) {
                byte[] address = new byte[4];
                String[] parts = host.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        return Optional.empty();
                    }
                    address[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(address));
            }
            if (host.indexOf(':') >= 0 && IPV6.matcher(host).matches()) {
                return Optional.of(InetAddress.getByName(host)); // with a ':', parsed as IPv6, never looked up
            }
        } catch (UnknownHostException e) {
            // not a valid literal
        }
        return Optional.empty();
    }

    private static String host(AgentRecord agent) {
        return HostPort.parse(agent.address()).host();
    }

    /** Every Configuration, sorted by name. */
    public List<ConfigurationView> list() {
        return store.inTransaction(tx -> tx.configurations().stream()
                .map(c -> view(
                        c, tx.membersOf(c.name()), tx.runningOperation(c.name()).orElse(null)))
                .toList());
    }

    /**
     * Configuration {@code name}.
     *
     * @throws Refusal NOT_FOUND
     */
    public ConfigurationView find(String name) {
        return store.inTransaction(tx -> {
            ConfigurationRecord c = existing(tx, name);
            return view(c, tx.membersOf(name), tx.runningOperation(name).orElse(null));
        });
    }

    /**
     * Deletes Configuration {@code name} and its goals: its agents get no more goals for it, and its
     * databases keep running as they are. The replication slot is left on the primary; the event
     * says how to drop it.
     *
     * @throws Refusal NOT_FOUND, or CONFLICT while an operation runs on it
     */
    public void delete(String name, String user) {
        orchestrator.deciding(tx -> {
            ConfigurationRecord c = tx.lockConfiguration(name).orElseThrow(() -> notFound(name));
            refuseWhileRunning(tx, name);
            List<MemberRecord> members = tx.membersOf(name);
            String primary = members.stream()
                    .filter(m -> m.role() == Role.PRIMARY)
                    .findFirst()
                    .map(m -> m.id().toString())
                    .orElse("its primary");
            tx.deleteConfiguration(name);
            events.record(
                    tx,
                    Event.ok(
                            user,
                            EventKind.CONFIGURATION_DELETED,
                            name,
                            "configuration " + name + " deleted by " + user + "; its databases keep running as they"
                                    + " are and get no more goals. The replication slot " + c.slotName() + " on "
                                    + primary + " is left in place (it keeps WAL for a standby); once no standby"
                                    + " uses it, drop it there with SELECT pg_drop_replication_slot('"
                                    + c.slotName() + "');"
                                    + (c.method() == ReplicationMethod.WAL_SHIPPING
                                            ? " Its archive_command now fails and PostgreSQL keeps WAL for it:"
                                                    + " set another there, or ALTER SYSTEM RESET archive_command;"
                                                    + " SELECT pg_reload_conf();"
                                            : "")));
            return null;
        });
    }

    /**
     * Changes the settings of Configuration {@code name} that {@code change} gives (already
     * validated): its archive timeout, which the primary's agent then applies with a reload.
     *
     * @return the Configuration as it is now
     * @throws Refusal NOT_FOUND; INVALID_INPUT on {@code archiveTimeoutSeconds} for a Configuration
     *     that streams WAL
     */
    public ConfigurationView change(String name, ConfigurationChange change, String user) {
        return orchestrator.deciding(tx -> {
            ConfigurationRecord c = tx.lockConfiguration(name).orElseThrow(() -> notFound(name));
            Integer timeout = change.archiveTimeoutSeconds();
            if (timeout != null && timeout != c.archiveTimeoutSeconds()) {
                if (c.method() != ReplicationMethod.WAL_SHIPPING) {
                    throw Refusal.invalid(
                            "archiveTimeoutSeconds",
                            "configuration " + name + " streams WAL; archive_timeout is a setting of WAL shipping");
                }
                tx.updateConfiguration(c.withArchiveTimeoutSeconds(timeout));
                events.record(
                        tx,
                        Event.ok(
                                user,
                                EventKind.CONFIGURATION_CHANGED,
                                name,
                                name + ": archive_timeout " + c.archiveTimeoutSeconds() + " s → " + timeout
                                        + " s, by " + user + "; the primary's agent applies it with a reload"
                                        + " (a quiet primary ships a WAL file at least that often)"));
            }
            return view(
                    tx.findConfiguration(name).orElseThrow(() -> notFound(name)),
                    tx.membersOf(name),
                    tx.runningOperation(name).orElse(null));
        });
    }

    /**
     * Starts creating the standby of Configuration {@code name} (CREATE_STANDBY): records the
     * operation and its steps, and starts step 1 at once. Running it again after a failure is a
     * new operation that resumes: preparing the primary is idempotent, and the standby's agent
     * cleans a partial copy.
     *
     * @param replaceExisting the user confirms that a cluster at the target may be replaced (it is
     *     moved aside, not deleted)
     * @throws Refusal NOT_FOUND; CONFLICT while another operation runs; NOT_READY when the primary
     *     is down, not a primary by its latest observation, or its agent offline, or the standby's
     *     agent is offline; TARGET_NOT_INSPECTED when the target has not been inspected since the
     *     standby was assigned WAIT_STANDBY (its agent does so at its next report);
     *     CONFIRMATION_REQUIRED when the target holds files or a cluster and {@code replaceExisting}
     *     is false
     */
    public OperationAccepted createStandby(String name, boolean replaceExisting, String user) {
        return orchestrator.deciding(tx -> {
            Instant now = orchestrator.clock().instant();
            ConfigurationRecord c = tx.lockConfiguration(name).orElseThrow(() -> notFound(name));
            refuseWhileRunning(tx, name);
            ConfigurationSnapshot s = orchestrator.snapshot(tx, c, now);
            MemberSnapshot primary = s.primary();
            if (!primary.agentOnline()) {
                throw Refusal.notReady("the primary " + primary.id() + " is not available: "
                        + Liveness.offlineReason(primary.member().agent(), primary.agentLastReportAt()));
            }
            DatabaseRecord primaryDatabase = primary.database();
            if (primaryDatabase == null || !primaryDatabase.up()) {
                throw Refusal.notReady("the primary " + primary.id() + " is down: "
                        + (primaryDatabase == null || primaryDatabase.reason() == null
                                ? "its agent does not report it up"
                                : primaryDatabase.reason()));
            }
            if (primaryDatabase.role() != Role.PRIMARY) {
                throw Refusal.notReady("the primary " + primary.id() + " is not a primary: its agent observes it as "
                        + primaryDatabase.role() + "; a standby is created only from a primary");
            }
            MemberSnapshot standby = s.standby();
            if (!standby.agentOnline()) {
                throw Refusal.notReady("the standby's "
                        + Liveness.offlineReason(standby.member().agent(), standby.agentLastReportAt()));
            }
            if (failedOver(s)) {
                throw Refusal.notReady(name + " was failed over: " + standby.id() + " is FENCED; bring it back with"
                        + " `understudy reinstate " + name + "` (it is rewound, or copied again when it cannot be)");
            }
            checkTarget(c, standby.member(), replaceExisting);
            if (!replaceExisting) {
                Optional<Refusal> handSet = WalShippingRules.handSetArchiving(s);
                if (handSet.isPresent()) {
                    throw handSet.get();
                }
            }
            String id = UUID.randomUUID().toString();
            OperationRecord operation = new OperationRecord(
                    id,
                    name,
                    OperationKind.CREATE_STANDBY,
                    OperationState.RUNNING,
                    user,
                    replaceExisting,
                    now,
                    null,
                    "starting");
            tx.insertOperation(operation);
            List<String> steps = GroupStateMachine.createStandbySteps(
                    primary.id(), standby.member().agent(), standby.member().dataDirectory(), c.method());
            Orchestrator.newSteps(id, steps).forEach(tx::insertStep);
            events.record(
                    tx,
                    Event.ok(
                            user,
                            EventKind.OPERATION_STARTED,
                            name,
                            name + ": CREATE_STANDBY (operation " + id + ") started by " + user
                                    + (replaceExisting ? ", replacing what is at the target," : "") + " in "
                                    + steps.size() + " steps: " + String.join("; ", steps)));
            orchestrator.reconsider(tx, name, now, null);
            return new OperationAccepted(id, OperationKind.CREATE_STANDBY.name(), name);
        });
    }

    /** Refuses unless the target was inspected since its goal became WAIT_STANDBY and holds nothing unconfirmed. */
    private static void checkTarget(ConfigurationRecord c, MemberRecord standby, boolean replaceExisting) {
        String target = standby.agent() + ":" + standby.dataDirectory();
        if (c.standbyCreated()) {
            if (!replaceExisting) {
                throw confirmationRequired(
                        target + " holds the standby of " + c.name() + "; creating the standby again replaces it"
                                + " (it is moved aside, not deleted): confirm with --yes",
                        target,
                        true,
                        standby.target() != null && standby.target().running(),
                        standby.target() == null ? null : standby.target().majorVersion());
            }
            return;
        }
        @Nullable TargetInspection inspection = standby.target();
        @Nullable Instant inspectedAt = standby.targetInspectedAt();
        if (inspection == null
                || inspectedAt == null
                || standby.goalState() != NodeState.WAIT_STANDBY
                || inspectedAt.isBefore(standby.goalChangedAt())) {
            throw Refusal.targetNotInspected("agent " + standby.agent() + " has not inspected the standby target "
                    + standby.dataDirectory() + " yet; it does so at its next report: try again in a moment");
        }
        if (replaceExisting || inspection.unfinishedCopy()) {
            return; // an unfinished copy of ours is cleaned up by the creation itself
        }
        if (inspection.holdsCluster()) {
            String version = inspection.majorVersion() == null ? "" : " " + inspection.majorVersion();
            throw confirmationRequired(
                    target + " holds a PostgreSQL" + version + " cluster, "
                            + (inspection.running() ? "running" : "not running")
                            + "; creating the standby replaces it (it is moved aside, not deleted): confirm with --yes",
                    target,
                    true,
                    inspection.running(),
                    inspection.majorVersion());
        }
        if (inspection.exists() && !inspection.empty()) {
            throw confirmationRequired(
                    target + " is not empty (it holds files, but no PostgreSQL cluster); creating the standby"
                            + " replaces it (it is moved aside, not deleted): confirm with --yes",
                    target,
                    false,
                    false,
                    null);
        }
    }

    private static Refusal confirmationRequired(
            String message, String target, boolean holdsCluster, boolean running, @Nullable String majorVersion) {
        Map<String, Object> details = new HashMap<>();
        details.put("target", target);
        details.put("holdsCluster", holdsCluster);
        details.put("running", running);
        if (majorVersion != null) {
            details.put("majorVersion", majorVersion);
        }
        return new Refusal(Refusal.Code.CONFIRMATION_REQUIRED, message, details);
    }

    private static void refuseWhileRunning(Store tx, String name) {
        Optional<OperationRecord> running = tx.runningOperation(name);
        if (running.isPresent()) {
            OperationRecord o = running.get();
            throw Refusal.conflict(
                    "operation " + o.id() + " (" + o.kind() + ") runs on configuration " + name
                            + "; wait for it to end (GET /api/v1/operations/" + o.id() + ")",
                    Map.of("operationId", o.id()));
        }
    }

    /**
     * Starts a switchover of Configuration {@code name} (SWITCHOVER): the primary stops cleanly,
     * the standby is promoted once it has replayed the primary's shutdown checkpoint, and the old
     * primary restarts as its standby.
     *
     * @throws Refusal NOT_FOUND; CONFLICT while another operation runs; NOT_READY without a
     *     standby, when failed over, or with the primary down or an agent offline; NOT_IN_SYNC when
     *     the standby does not stream, or lags more than {@link ReplicationHealth#IN_SYNC_THRESHOLD_BYTES}
     */
    public OperationAccepted switchover(String name, String user) {
        return orchestrator.deciding(tx -> {
            Instant now = orchestrator.clock().instant();
            ConfigurationRecord c = tx.lockConfiguration(name).orElseThrow(() -> notFound(name));
            refuseWhileRunning(tx, name);
            ConfigurationSnapshot s = orchestrator.snapshot(tx, c, now);
            requireStandby(s);
            if (failedOver(s)) {
                throw Refusal.notReady(name + " is failed over (" + s.standby().id() + " is FENCED): reinstate it"
                        + " first with `understudy reinstate " + name + "`, then switch over");
            }
            requireRunningPrimary(s, "switch over");
            requireActingStandby(s.standby(), "switched over to");
            MemberStatus standby = ReplicationHealth.standby(s);
            if (!s.standby().agentOnline()) {
                throw new Refusal(
                        Refusal.Code.NOT_IN_SYNC,
                        "the standby's "
                                + Liveness.offlineReason(
                                        s.standby().member().agent(),
                                        s.standby().agentLastReportAt())
                                + "; a switchover needs a standby that streams",
                        Map.of());
            }
            if (!standby.inSync()) {
                throw new Refusal(Refusal.Code.NOT_IN_SYNC, notInSync(s, standby), notInSyncDetails(standby));
            }
            List<String> steps =
                    PrimaryChanges.switchoverSteps(s.primary().id(), s.standby().id());
            return start(tx, c, OperationKind.SWITCHOVER, steps, user, now, "");
        });
    }

    /**
     * Starts a failover of Configuration {@code name} (FAILOVER): the standby is promoted whatever
     * the primary's state, in a new epoch, and the old primary is FENCED until it is reinstated.
     * Run again after a failover that stopped before the promotion, it tries the promotion again.
     *
     * @param confirmed the user confirmed it ({@code --yes})
     * @throws Refusal NOT_FOUND; CONFLICT while another operation runs; CONFIRMATION_REQUIRED
     *     unless confirmed; NOT_READY without a standby, when failed over already, or when the
     *     standby's agent is offline or its database does not run
     */
    public OperationAccepted failover(String name, boolean confirmed, String user) {
        return orchestrator.deciding(tx -> {
            Instant now = orchestrator.clock().instant();
            ConfigurationRecord c = tx.lockConfiguration(name).orElseThrow(() -> notFound(name));
            refuseWhileRunning(tx, name);
            ConfigurationSnapshot s = orchestrator.snapshot(tx, c, now);
            requireStandby(s);
            boolean retry = failedOver(s);
            MemberSnapshot oldPrimary = retry ? s.standby() : s.primary();
            MemberSnapshot standby = retry ? s.primary() : s.standby();
            if (retry && isPromoted(standby)) {
                throw Refusal.notReady(name + " is failed over already: " + standby.id() + " is the primary in epoch "
                        + c.epoch() + " and " + oldPrimary.id() + " is FENCED; bring it back with `understudy"
                        + " reinstate " + name + "`");
            }
            if (!confirmed) {
                throw new Refusal(
                        Refusal.Code.CONFIRMATION_REQUIRED,
                        "a failover promotes " + standby.id() + " whatever the state of " + oldPrimary.id()
                                + ", which is FENCED (kept from accepting writes) until it is reinstated; writes"
                                + " that had not reached the standby are lost: confirm with --yes",
                        Map.of(
                                "primary",
                                oldPrimary.id().toString(),
                                "standby",
                                standby.id().toString()));
            }
            if (!standby.agentOnline()) {
                throw Refusal.notReady("the standby cannot be promoted: its "
                        + Liveness.offlineReason(standby.member().agent(), standby.agentLastReportAt()));
            }
            requireActingStandby(standby, "promoted");
            @Nullable DatabaseRecord database = standby.database();
            if (database == null || !database.running()) {
                throw Refusal.notReady("the standby " + standby.id() + " cannot be promoted: it does not run ("
                        + GroupStateMachine.whyDown(standby) + ")");
            }
            List<String> steps = PrimaryChanges.failoverSteps(oldPrimary.id(), standby.id());
            return start(tx, c, OperationKind.FAILOVER, steps, user, now, retry ? " (trying the promotion again)" : "");
        });
    }

    /**
     * Starts a reinstate of Configuration {@code name} (REINSTATE): its FENCED old primary is
     * rewound from the new primary (copied again when it cannot be) and started as its standby.
     *
     * @throws Refusal NOT_FOUND; CONFLICT while another operation runs; NOT_FAILED_OVER when no
     *     database is FENCED; NOT_READY when the primary is not up and promoted, or an agent is
     *     offline
     */
    public OperationAccepted reinstate(String name, String user) {
        return orchestrator.deciding(tx -> {
            Instant now = orchestrator.clock().instant();
            ConfigurationRecord c = tx.lockConfiguration(name).orElseThrow(() -> notFound(name));
            refuseWhileRunning(tx, name);
            ConfigurationSnapshot s = orchestrator.snapshot(tx, c, now);
            if (!failedOver(s)) {
                throw new Refusal(
                        Refusal.Code.NOT_FAILED_OVER,
                        name + " was not failed over: no database of it is FENCED, so there is nothing to reinstate",
                        Map.of());
            }
            MemberSnapshot fenced = s.standby();
            if (!isPromoted(s.primary())) {
                throw Refusal.notReady("the primary " + s.primary().id() + " has not been promoted yet; run"
                        + " `understudy failover " + name + " --yes` again first");
            }
            requireRunningPrimary(s, "reinstate");
            if (!fenced.agentOnline()) {
                throw Refusal.notReady(fenced.id() + " cannot be reinstated: its "
                        + Liveness.offlineReason(fenced.member().agent(), fenced.agentLastReportAt()));
            }
            List<String> steps =
                    PrimaryChanges.reinstateSteps(fenced.id(), s.primary().id());
            return start(tx, c, OperationKind.REINSTATE, steps, user, now, "");
        });
    }

    /** Records a new operation of {@code kind} with its steps and an event, and decides at once. */
    private OperationAccepted start(
            Store tx,
            ConfigurationRecord c,
            OperationKind kind,
            List<String> steps,
            String user,
            Instant now,
            String note) {
        String name = c.name();
        String id = UUID.randomUUID().toString();
        tx.insertOperation(
                new OperationRecord(id, name, kind, OperationState.RUNNING, user, false, now, null, "starting"));
        Orchestrator.newSteps(id, steps).forEach(tx::insertStep);
        events.record(
                tx,
                Event.ok(
                        user,
                        EventKind.OPERATION_STARTED,
                        name,
                        name + ": " + kind + " (operation " + id + ") started by " + user + note + " in " + steps.size()
                                + " steps: " + String.join("; ", steps)));
        orchestrator.reconsider(tx, name, now, null);
        return new OperationAccepted(id, kind.name(), name);
    }

    /** Whether the Configuration was failed over: its other database is FENCED, until reinstated. */
    static boolean failedOver(ConfigurationSnapshot s) {
        return s.standby().member().role() == Role.FENCED;
    }

    /** Whether {@code member} has reached a primary's state (promoted, for a failed-over standby). */
    private static boolean isPromoted(MemberSnapshot member) {
        @Nullable NodeState reported = member.member().reportedState();
        return reported == NodeState.WAIT_PRIMARY || reported == NodeState.PRIMARY || reported == NodeState.SINGLE;
    }

    /**
     * Refuses a standby that its agent does not hold as one (SECONDARY, or CATCHINGUP while it
     * catches up): one sent back to WAIT_STANDBY by a failed creation, say, has no way to be
     * promoted.
     */
    private static void requireActingStandby(MemberSnapshot standby, String what) {
        @Nullable NodeState reported = standby.member().reportedState();
        if (reported != NodeState.SECONDARY && reported != NodeState.CATCHINGUP) {
            throw Refusal.notReady("the standby " + standby.id() + " cannot be " + what + ": its agent reports it "
                    + (reported == null ? "in no state yet" : reported.name())
                    + ", not SECONDARY; create the standby again first (`understudy standby create "
                    + standby.member().configuration() + " --yes`)");
        }
    }

    private static void requireStandby(ConfigurationSnapshot s) {
        if (!s.configuration().standbyCreated()) {
            throw Refusal.notReady(s.name() + " has no standby yet: create it first with `understudy standby create "
                    + s.name() + "`");
        }
    }

    private static void requireRunningPrimary(ConfigurationSnapshot s, String what) {
        MemberSnapshot primary = s.primary();
        if (!primary.agentOnline()) {
            throw Refusal.notReady("cannot " + what + ": the primary's "
                    + Liveness.offlineReason(primary.member().agent(), primary.agentLastReportAt())
                    + (what.equals("switch over") ? "; if it is lost, fail over instead" : ""));
        }
        if (!primary.isUp()) {
            throw Refusal.notReady("cannot " + what + ": the primary " + primary.id() + " is down ("
                    + GroupStateMachine.whyDown(primary) + ")"
                    + (what.equals("switch over") ? "; if it is lost, fail over instead" : ""));
        }
    }

    private static String notInSync(ConfigurationSnapshot s, MemberStatus standby) {
        String head = "the standby " + standby.database() + " is not in sync, so a switchover could lose writes: ";
        if (!ReplicationHealth.replays(standby.state())) {
            return head + "it is " + standby.state() + " (" + GroupStateMachine.whyDown(s.standby()) + ")";
        }
        if (!standby.streaming()) {
            return head + "it does not stream from " + s.primary().id();
        }
        return head + "it lags " + standby.lagBytes() + " bytes behind the primary, more than "
                + ReplicationHealth.IN_SYNC_THRESHOLD_BYTES + "; try again once it has caught up";
    }

    private static Map<String, Object> notInSyncDetails(MemberStatus standby) {
        Map<String, Object> details = new HashMap<>();
        details.put("state", standby.state().name());
        details.put("streaming", standby.streaming());
        if (standby.lagBytes() != null) {
            details.put("lagBytes", standby.lagBytes());
        }
        return details;
    }

    /**
     * Operation {@code id}.
     *
     * @throws Refusal NOT_FOUND
     */
    public OperationView operation(String id) {
        return store.inTransaction(tx -> {
            OperationRecord o = tx.findOperation(id).orElseThrow(() -> noOperation(id));
            return operationView(tx, o);
        });
    }

    /**
     * Cancels operation {@code id} for {@code user}: it ends FAILED with "cancelled by USER", its
     * current step fails, and the goals are reset as after a failure (the standby's to
     * WAIT_STANDBY, the primary's to SINGLE, or PRIMARY once a standby was created), so that running
     * it again starts over. An event by {@code user} records it.
     *
     * @return the operation as it ended
     * @throws Refusal NOT_FOUND; CONFLICT when it is not running (details: operationId, state)
     */
    public OperationView cancel(String id, String user) {
        return orchestrator.deciding(tx -> {
            Instant now = orchestrator.clock().instant();
            OperationRecord found = tx.findOperation(id).orElseThrow(() -> noOperation(id));
            ConfigurationRecord c = tx.lockConfiguration(found.configuration()).orElseThrow(() -> noOperation(id));
            OperationRecord o = tx.findOperation(id).orElseThrow(() -> noOperation(id)); // as of the lock
            if (!o.isRunning()) {
                throw Refusal.conflict(
                        "operation " + id + " (" + o.kind() + " on " + o.configuration() + ") is not running: it"
                                + " ended " + o.state() + "; there is nothing to cancel",
                        Map.of("operationId", id, "state", o.state().name()));
            }
            orchestrator.cancel(tx, c, o, user, now);
            return operationView(tx, tx.findOperation(id).orElseThrow(() -> noOperation(id)));
        });
    }

    private static Refusal noOperation(String id) {
        return Refusal.notFound("no operation " + id + "; GET /api/v1/operations lists them");
    }

    /**
     * The {@code limit} newest operations, of Configuration {@code name} when given, newest first.
     *
     * @throws Refusal NOT_FOUND when {@code name} is given and there is no such Configuration
     */
    public List<OperationView> operations(Optional<String> name, int limit) {
        return store.inTransaction(tx -> {
            name.ifPresent(n -> existing(tx, n));
            return tx.operations(name, limit).stream()
                    .map(o -> operationView(tx, o))
                    .toList();
        });
    }

    /** The status of every Configuration, sorted by name. */
    public List<ConfigurationStatus> status() {
        return store.inTransaction(tx -> {
            Instant now = orchestrator.clock().instant();
            return tx.configurations().stream().map(c -> status(tx, c, now)).toList();
        });
    }

    /**
     * The status of Configuration {@code name}.
     *
     * @throws Refusal NOT_FOUND
     */
    public ConfigurationStatus status(String name) {
        return store.inTransaction(
                tx -> status(tx, existing(tx, name), orchestrator.clock().instant()));
    }

    private ConfigurationStatus status(Store tx, ConfigurationRecord c, Instant now) {
        ConfigurationSnapshot s = orchestrator.snapshot(tx, c, now);
        OperationSnapshot operation = s.operation();
        return new ConfigurationStatus(
                c.name(),
                c.method(),
                c.mode(),
                c.epoch(),
                ReplicationHealth.primary(s),
                List.of(ReplicationHealth.standby(s)),
                operation == null ? null : operationView(tx, operation.operation()),
                failedOver(s),
                tx.observerSettings(c.name()).orElse(ObserverSettings.DEFAULTS),
                s.primaryLease() == null ? null : s.primaryLease().expiresAt());
    }

    /**
     * The lag history of Configuration {@code name} over the last {@code window}, oldest first.
     *
     * @throws Refusal NOT_FOUND; INVALID_INPUT on {@code window} when it is not positive or longer
     *     than 24 hours
     */
    public List<LagPoint> lag(String name, Duration window) {
        try {
            LagHistory.requireValid(window);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("window", String.valueOf(e.getMessage()));
        }
        existing(store, name);
        return lagHistory.points(name, window).stream()
                .map(p -> new LagPoint(p.at(), p.lagBytes(), p.replayLagSeconds()))
                .toList();
    }

    /**
     * The subjects of the events about Configuration {@code name}: its name and its databases' ids
     * (only its name once it is deleted).
     */
    public Set<String> eventSubjects(String name) {
        Set<String> subjects = new LinkedHashSet<>();
        subjects.add(name);
        store.membersOf(name).forEach(m -> subjects.add(m.id().toString()));
        return subjects;
    }

    private static ConfigurationRecord existing(Store tx, String name) {
        return tx.findConfiguration(name).orElseThrow(() -> notFound(name));
    }

    private static Refusal notFound(String name) {
        return Refusal.notFound("no configuration named " + name + "; GET /api/v1/configurations lists them");
    }

    private static ConfigurationView view(
            ConfigurationRecord c, List<MemberRecord> members, @Nullable OperationRecord running) {
        MemberRecord primary = members.stream()
                .filter(m -> m.role() == Role.PRIMARY)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("configuration " + c.name() + " has no PRIMARY"));
        MemberRecord standby = members.stream()
                .filter(m -> m.role() != Role.PRIMARY)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("configuration " + c.name() + " has no standby"));
        return new ConfigurationView(
                c.name(),
                primary.id().toString(),
                new StandbyTarget(standby.agent(), standby.dataDirectory(), standby.port()),
                c.method(),
                c.mode(),
                c.epoch(),
                c.standbyCreated(),
                c.createdAt(),
                running == null ? null : running.id(),
                c.archiveTimeoutSeconds());
    }

    private static OperationView operationView(Store tx, OperationRecord o) {
        List<StepRecord> steps = tx.stepsOf(o.id());
        return new OperationView(
                o.id(),
                o.configuration(),
                o.kind().name(),
                o.state().name(),
                o.requestedBy(),
                o.startedAt(),
                o.endedAt(),
                o.message(),
                steps.stream()
                        .map(s -> new StepView(s.name(), s.state().name(), s.startedAt(), s.endedAt(), s.message()))
                        .toList(),
                o.isRunning() ? progress(tx, o, steps) : null);
    }

    /** The progress of the member working on the running step: the one whose agent reports progress for it. */
    private static @Nullable ProgressView progress(Store tx, OperationRecord o, List<StepRecord> steps) {
        Optional<StepRecord> running =
                steps.stream().filter(s -> s.state() == StepState.RUNNING).findFirst();
        if (running.isEmpty()) {
            return null;
        }
        for (MemberRecord member : tx.membersOf(o.configuration())) {
            @Nullable ActionProgress p = member.progress();
            if (p != null && o.id().equals(member.reportedOperationId())) {
                return new ProgressView(p.phase(), p.bytesDone(), p.bytesTotal());
            }
        }
        return null;
    }
}
