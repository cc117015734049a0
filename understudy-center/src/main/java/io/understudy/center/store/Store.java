package io.understudy.center.store;

import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.protocol.ReplicationObservation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Control Center's durable state.
 *
 * <p>Contract for every method unless it says otherwise:
 *
 * <ul>
 *   <li><b>Blocking:</b> each call runs SQL against the store and blocks the caller until it is done:
 *       milliseconds normally, at most the store's lock timeout (10 s) when another transaction holds
 *       a row it needs, or the pool's connection timeout (10 s) when no connection is free.
 *   <li><b>Transactions:</b> a call on the store itself runs in its own transaction. Calls made on
 *       the {@code Store} handed to {@link #inTransaction} run in that one transaction.
 *   <li><b>Nulls:</b> arguments are never null; a value that may be absent is returned as an
 *       {@link Optional}. Record components marked {@code @Nullable} may be null.
 *   <li><b>Errors:</b> any failure of the database is thrown as {@link StoreException}, with what
 *       was being done in the message and the driver's exception as the cause.
 *   <li><b>Thread safety:</b> the store is safe to share between threads; a transactional view is
 *       not, and must not escape the function it was given to.
 * </ul>
 */
public interface Store {

    /**
     * Runs {@code work} in one transaction: commits when it returns, rolls back when it throws and
     * rethrows the same exception. Calling it again on the transactional view joins the same
     * transaction. Not idempotent in general: it is as idempotent as {@code work}.
     *
     * @param work gets a view of the store bound to the transaction; may return null only if {@code T}
     *     is a nullable type
     */
    <T> T inTransaction(Function<Store, T> work);

    /**
     * Runs {@code action} once the current transaction has committed, and never if it rolls back;
     * on the store itself (outside a transaction), at once. For what must not happen before the
     * change is durable, such as logging it. An action that throws is logged and does not affect
     * the others or the caller.
     */
    void afterCommit(Runnable action);

    /** Number of users. Read-only. */
    long countUsers();

    /** The user named {@code name}, exactly (case-sensitive). Read-only. */
    Optional<UserRecord> findUser(String name);

    /**
     * Adds a user. Not idempotent.
     *
     * @throws StoreException if a user of that name exists
     */
    void insertUser(UserRecord user);

    /** Every user, sorted by name. Read-only. */
    List<UserRecord> users();

    /**
     * Removes a user with its sessions. Idempotent.
     *
     * @return true if the user existed
     */
    boolean deleteUser(String name);

    /**
     * Replaces a user's password hash. Idempotent.
     *
     * @throws StoreException if there is no such user
     */
    void updateUserPassword(String name, String passwordHash);

    /**
     * Sets a user's UI language; {@code language} empty means not chosen. Idempotent.
     *
     * @throws StoreException if there is no such user
     */
    void updateUserLanguage(String name, Optional<String> language);

    /**
     * Ends every session of {@code user} except the one whose token hashes to {@code keepTokenHash}
     * (when given). Idempotent.
     *
     * @return how many were deleted
     */
    int deleteSessionsOf(String user, Optional<String> keepTokenHash);

    /**
     * Adds a session. Not idempotent.
     *
     * @throws StoreException if the token hash is already in use, or the user does not exist
     */
    void insertSession(SessionRecord session);

    /** The session whose token hashes to {@code tokenHash}, expired or not. Read-only. */
    Optional<SessionRecord> findSession(String tokenHash);

    /** Moves a session's last use and expiry. Idempotent; does nothing if the session is gone. */
    void touchSession(String tokenHash, Instant lastUsedAt, Instant expiresAt);

    /**
     * Ends a session. Idempotent.
     *
     * @return true if a session was deleted, false if there was none
     */
    boolean deleteSession(String tokenHash);

    /**
     * Deletes every session that expired at or before {@code now}. Idempotent.
     *
     * @return how many were deleted
     */
    int deleteExpiredSessions(Instant now);

    /** Every enrolled agent, sorted by name. Read-only. */
    List<AgentRecord> agents();

    /** The agent named {@code name}, without locking it. Read-only. */
    Optional<AgentRecord> findAgent(String name);

    /**
     * The agent named {@code name}, locking its row until the transaction ends ({@code SELECT ... FOR
     * UPDATE}), so that enrolment, reports and the liveness check of one agent are serialized. Use it
     * inside {@link #inTransaction}; alone, the lock is released at once.
     */
    Optional<AgentRecord> lockAgent(String name);

    /**
     * Adds an agent. Not idempotent.
     *
     * @throws StoreException if an agent of that name exists
     */
    void insertAgent(AgentRecord agent);

    /**
     * Replaces what enrolment sets: host, address, pid, version, token hash and enrolment time.
     * Leaves the last report time and the online verdict. Idempotent.
     *
     * @throws StoreException if no agent of that name exists
     */
    void updateAgentEnrolment(AgentRecord agent);

    /**
     * Records that a report from {@code agent} arrived at {@code at}: sets its last report time, its
     * pid, and marks it online. Idempotent.
     *
     * @throws StoreException if no agent of that name exists
     */
    void recordReport(String agent, long pid, Instant at);

    /**
     * Marks {@code agent} offline if it is marked online and its last report is older than {@code
     * reportedBefore} (or it has none). The condition and the change are one statement, so a report
     * that arrives meanwhile wins. Idempotent.
     *
     * @return true if this call changed the agent from online to offline
     */
    boolean markAgentOffline(String agent, Instant reportedBefore);

    /**
     * Records the PostgreSQL major versions installed on {@code agent}'s host, as its last report
     * said. Idempotent.
     */
    void recordInstalledMajorVersions(String agent, List<String> versions);

    /** The major versions installed on {@code agent}'s host, from its last report; empty before. Read-only. */
    List<String> installedMajorVersions(String agent);

    /** Every database of every agent, sorted by agent, then port. Read-only. */
    List<DatabaseRecord> databases();

    /** The databases of {@code agent}, sorted by port. Read-only. */
    List<DatabaseRecord> databasesOf(String agent);

    /**
     * Adds the observation of a database not seen before. Not idempotent.
     *
     * @throws StoreException if its agent already has a database in that data directory, or the agent
     *     does not exist
     */
    void insertDatabase(DatabaseRecord database);

    /**
     * Replaces the observation of the database of {@code database.agent()} in {@code
     * database.dataDirectory()}. Idempotent.
     *
     * @throws StoreException if there is no such database
     */
    void updateDatabase(DatabaseRecord database);

    /**
     * Forgets the observation of {@code agent}'s database in {@code dataDirectory}. Idempotent.
     *
     * @return true if there was one
     */
    boolean deleteDatabase(String agent, String dataDirectory);

    /**
     * Replaces the latest replication observation of {@code agent}'s database in {@code
     * observation.dataDirectory()}. Idempotent.
     */
    void recordReplication(String agent, ReplicationObservation observation, Instant at);

    /** The latest replication observation of {@code agent}'s database in {@code dataDirectory}. Read-only. */
    Optional<ReplicationObservation> replicationOf(String agent, String dataDirectory);

    /**
     * Adds a Configuration. Not idempotent.
     *
     * @throws StoreException if one of that name exists
     */
    void insertConfiguration(ConfigurationRecord configuration);

    /** Every Configuration, sorted by name. Read-only. */
    List<ConfigurationRecord> configurations();

    /** The Configuration named {@code name}, without locking it. Read-only. */
    Optional<ConfigurationRecord> findConfiguration(String name);

    /**
     * The Configuration named {@code name}, locking its row until the transaction ends ({@code
     * SELECT ... FOR UPDATE}), so that the decisions, operations and deletion of one Configuration
     * are serialized. Use it inside {@link #inTransaction}.
     */
    Optional<ConfigurationRecord> lockConfiguration(String name);

    /**
     * Replaces what changes of a Configuration: its epoch and whether its standby was created.
     * Idempotent.
     *
     * @throws StoreException if there is no such Configuration
     */
    void updateConfiguration(ConfigurationRecord configuration);

    /**
     * How the observer watches Configuration {@code name}; a new Configuration's are {@link
     * ObserverSettings#DEFAULTS}. Read-only.
     */
    Optional<ObserverSettings> observerSettings(String name);

    /**
     * Replaces how the observer watches Configuration {@code name}. Idempotent.
     *
     * @throws StoreException if there is no such Configuration
     */
    void updateObserverSettings(String name, ObserverSettings settings);

    /**
     * Records the lease granted to the primary {@code holder} of Configuration {@code name} in
     * {@code epoch}, until {@code expiresAt}. Idempotent.
     */
    void renewLease(String name, String holder, long epoch, Instant expiresAt);

    /** The last lease granted to the primary of Configuration {@code name}; empty when none was. */
    Optional<LeaseRecord> lease(String name);

    /**
     * Deletes a Configuration with its members, operations and lag history. Idempotent.
     *
     * @return true if it existed
     */
    boolean deleteConfiguration(String name);

    /**
     * Adds a member to its Configuration. Not idempotent.
     *
     * @throws StoreException if the Configuration has a member of that role already, or the
     *     database (its agent and data directory, or its agent and port) is a member of any
     *     Configuration
     */
    void insertMember(MemberRecord member);

    /**
     * Replaces everything but the identity ({@code configuration}, {@code role}, agent, data
     * directory, port) of a member. Idempotent.
     *
     * @throws StoreException if there is no such member
     */
    void updateMember(MemberRecord member);

    /** The members of {@code configuration}, primary first. Read-only. */
    List<MemberRecord> membersOf(String configuration);

    /** Every member of every Configuration, sorted by Configuration, primary first. Read-only. */
    List<MemberRecord> members();

    /** The members managed by {@code agent}, sorted by Configuration. Read-only. */
    List<MemberRecord> membersOnAgent(String agent);

    /**
     * Adds an operation. Not idempotent.
     *
     * @throws StoreException if its id is in use or its Configuration does not exist
     */
    void insertOperation(OperationRecord operation);

    /**
     * Replaces the state, end and message of an operation. Idempotent.
     *
     * @throws StoreException if there is no such operation
     */
    void updateOperation(OperationRecord operation);

    /** The operation with that id. Read-only. */
    Optional<OperationRecord> findOperation(String id);

    /** The RUNNING operation of {@code configuration}, if any. Read-only. */
    Optional<OperationRecord> runningOperation(String configuration);

    /** The {@code limit} newest operations, of one Configuration or of all, newest first. Read-only. */
    List<OperationRecord> operations(Optional<String> configuration, int limit);

    /**
     * Adds a step. Not idempotent.
     *
     * @throws StoreException if the operation has a step of that number, or does not exist
     */
    void insertStep(StepRecord step);

    /**
     * Replaces the state, times and message of a step. Idempotent.
     *
     * @throws StoreException if there is no such step
     */
    void updateStep(StepRecord step);

    /** The steps of an operation, by number. Read-only. */
    List<StepRecord> stepsOf(String operationId);

    /** Adds a full-resolution lag sample. Not idempotent. */
    void insertLagSample(String configuration, LagRecord sample);

    /** The minute point of {@code configuration} starting at {@code minuteStart}. Read-only. */
    Optional<LagRecord> lagMinute(String configuration, Instant minuteStart);

    /** Writes a minute point, replacing the one of the same minute. Idempotent. */
    void putLagMinute(String configuration, LagRecord minute);

    /** Samples of {@code configuration} taken at or after {@code since}, oldest first. Read-only. */
    List<LagRecord> lagSamples(String configuration, Instant since);

    /** Minute points of {@code configuration} from {@code since} on, oldest first. Read-only. */
    List<LagRecord> lagMinutes(String configuration, Instant since);

    /**
     * Deletes samples taken before {@code samplesBefore} and minute points starting before {@code
     * minutesBefore}. Idempotent.
     *
     * @return how many rows were deleted
     */
    int pruneLag(Instant samplesBefore, Instant minutesBefore);

    /**
     * Appends one line of history. Not idempotent: each call adds a line. Strings longer than their
     * columns (subject 256, message 4000 characters) are cut.
     *
     * @return the new event's id, higher than every earlier one
     */
    long appendEvent(Instant at, String actor, String kind, String subject, String result, String message);

    /** The {@code limit} newest events, newest first. Read-only. */
    List<EventRecord> events(int limit);

    /**
     * The {@code limit} newest events of one kind (when given) whose subject is one of {@code
     * subjects} (when not empty), newest first. Read-only.
     */
    List<EventRecord> events(int limit, Optional<String> kind, Set<String> subjects);
}
