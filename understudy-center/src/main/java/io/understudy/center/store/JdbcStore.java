package io.understudy.center.store;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.Role;
import io.understudy.core.json.Json;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Store} on a JDBC database through JDBI, with a HikariCP pool and the schema migrated by
 * Flyway at open. By default an embedded H2 file in the data directory.
 *
 * <p>Instants are stored as {@code TIMESTAMP WITH TIME ZONE} in UTC, to the microsecond.
 */
public final class JdbcStore implements Store, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    /** H2's error code for "Database may be already in use" (a file lock held by another process). */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private static final int SUBJECT_MAX = 256;
    private static final int MESSAGE_MAX = 4000;
    private static final int ACTOR_MAX = 128;
    private static final int TEXT_MAX = 1000;
    private static final int VERSIONS_MAX = 255;

    private static final String AGENT_COLUMNS =
            "name, host, address, pid, version, token_hash, enrolled_at, last_report_at, online";
    private static final String DATABASE_COLUMNS = "agent, data_directory, port, major_version, server_version, up,"
            + " running, role, reason, current_lsn, received_lsn, replayed_lsn, system_identifier, observed_at";
    private static final String CONFIGURATION_COLUMNS = "name, method, standby_mode, epoch, standby_created,"
            + " slot_name, replication_user, replication_password, primary_host, standby_host, created_by, created_at,"
            + " transfer_secret, archive_timeout_seconds";
    private static final String OBSERVER_COLUMNS = "observer_enabled, observer_action, observer_interval_millis,"
            + " observer_checks, observer_max_lag_bytes, observer_auto_reinstate";
    private static final String MEMBER_COLUMNS = "configuration, member_role, agent, data_directory, port,"
            + " goal_state, goal_operation_id, goal_changed_at, reported_state, reported_epoch,"
            + " reported_operation_id, reported_failure, reported_at, progress_action, progress_phase,"
            + " progress_bytes_done, progress_bytes_total, progress_started_at, progress_changed_at,"
            + " target_exists, target_empty, target_holds_cluster, target_major_version, target_running, target_system_identifier,"
            + " target_inspected_at, seen_state, seen_streaming, reported_checkpoint_lsn";
    private static final String OPERATION_COLUMNS =
            "id, configuration, kind, state, requested_by, replace_existing, started_at, ended_at, message";
    private static final String STEP_COLUMNS = "operation_id, step_number, name, state, started_at, ended_at, message";
    private static final String EVENT_COLUMNS = "id, at, actor, kind, subject, result, message";

    private static final ObjectMapper JSON = Json.mapper();

    private final Jdbi jdbi;
    private final @Nullable HikariDataSource dataSource;
    private final @Nullable Handle transaction;
    private final @Nullable List<Runnable> afterCommit;
    private final boolean shutdownOnClose;

    private JdbcStore(
            Jdbi jdbi,
            @Nullable HikariDataSource dataSource,
            @Nullable Handle transaction,
            @Nullable List<Runnable> afterCommit,
            boolean shutdownOnClose) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.transaction = transaction;
        this.afterCommit = afterCommit;
        this.shutdownOnClose = shutdownOnClose;
    }

    /**
     * Opens (creating if needed) the embedded H2 store {@code understudy} in {@code dataDirectory} and
     * migrates its schema. Blocks while migrating. A commit is on disk (in the operating system's
     * cache) when it returns, so a Control Center killed with kill -9 loses none.
     *
     * @throws StoreException if the files cannot be opened, for example because another Control
     *     Center uses the same data directory
     */
    public static JdbcStore openFile(Path dataDirectory) {
        Path base = dataDirectory.toAbsolutePath().resolve("understudy");
        // WRITE_DELAY=0: each commit is written to the file before it returns. H2's default keeps
        // commits in memory for up to a second, and a Control Center killed then would forget an
        // operation it had started (DESIGN.md, invariant 3).
        String url = "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
        try {
            return open(url, false);
        } catch (StoreException e) {
            if (isDatabaseAlreadyOpen(e)) {
                throw new StoreException(
                        "data directory " + dataDirectory + " is in use by another Control Center (its store " + base
                                + ".mv.db is locked)",
                        e);
            }
            throw new StoreException(
                    "cannot open the store in data directory " + dataDirectory + ": " + rootMessage(e), e);
        }
    }

    /** Opens a fresh, private in-memory H2 store, for tests. It disappears when closed. */
    public static JdbcStore openInMemory() {
        return open("jdbc:h2:mem:understudy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", true);
    }

    /**
     * Opens the store at a JDBC URL and migrates its schema.
     *
     * @param shutdownOnClose send H2's {@code SHUTDOWN} at close (for in-memory databases kept open
     *     with {@code DB_CLOSE_DELAY=-1})
     * @throws StoreException if it cannot connect or migrate
     */
    public static JdbcStore open(String jdbcUrl, boolean shutdownOnClose) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("understudy-store");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure(JdbcStore.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("cannot migrate the store at " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        log.debug("store open at {}", redact(jdbcUrl));
        return new JdbcStore(Jdbi.create(dataSource), dataSource, null, null, shutdownOnClose);
    }

    /** Closes the pool; the embedded database closes with its last connection. Idempotent. */
    @Override
    public void close() {
        if (dataSource == null || dataSource.isClosed()) {
            return;
        }
        if (shutdownOnClose) {
            try {
                jdbi.useHandle(h -> h.execute("SHUTDOWN"));
            } catch (JdbiException e) {
                log.debug("SHUTDOWN of the in-memory store failed", e);
            }
        }
        dataSource.close();
    }

    @Override
    public <T> T inTransaction(Function<Store, T> work) {
        if (transaction != null) {
            return work.apply(this);
        }
        List<Runnable> committed = new ArrayList<>();
        T result;
        try {
            result = jdbi.inTransaction(h -> work.apply(new JdbcStore(jdbi, null, h, committed, false)));
        } catch (JdbiException e) {
            throw new StoreException("store transaction failed: " + rootMessage(e), e);
        }
        committed.forEach(JdbcStore::runQuietly);
        return result;
    }

    @Override
    public void afterCommit(Runnable action) {
        if (afterCommit != null) {
            afterCommit.add(action);
        } else {
            runQuietly(action);
        }
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("an action after commit failed: {}", e.toString());
        }
    }

    @Override
    public long countUsers() {
        return run("count users", h -> h.createQuery("SELECT COUNT(*) FROM users")
                .mapTo(Long.class)
                .one());
    }

    @Override
    public Optional<UserRecord> findUser(String name) {
        return run("find user " + name, h -> h.createQuery(
                        "SELECT name, password_hash, role, language, created_at FROM users WHERE name = :name")
                .bind("name", name)
                .map(USER)
                .findOne());
    }

    @Override
    public void insertUser(UserRecord user) {
        run("insert user " + user.name(), h -> h.createUpdate(
                        "INSERT INTO users (name, password_hash, role, language, created_at)"
                                + " VALUES (:name, :hash, :role, :language, :createdAt)")
                .bind("name", user.name())
                .bind("hash", user.passwordHash())
                .bind("role", user.role())
                .bind("language", user.language())
                .bind("createdAt", timestamp(user.createdAt()))
                .execute());
    }

    @Override
    public List<UserRecord> users() {
        return run("list users", h -> h.createQuery(
                        "SELECT name, password_hash, role, language, created_at FROM users ORDER BY name")
                .map(USER)
                .list());
    }

    @Override
    public boolean deleteUser(String name) {
        return run("delete user " + name, h -> {
                    // Sessions first: H2 and PostgreSQL would cascade, but say what happens.
                    h.createUpdate("DELETE FROM sessions WHERE user_name = :name")
                            .bind("name", name)
                            .execute();
                    return h.createUpdate("DELETE FROM users WHERE name = :name")
                            .bind("name", name)
                            .execute();
                })
                > 0;
    }

    @Override
    public void updateUserPassword(String name, String passwordHash) {
        int rows = run("update password of user " + name, h -> h.createUpdate(
                        "UPDATE users SET password_hash = :hash WHERE name = :name")
                .bind("name", name)
                .bind("hash", passwordHash)
                .execute());
        requireOne(rows, "update password of user " + name + ": no such user");
    }

    @Override
    public void updateUserLanguage(String name, Optional<String> language) {
        int rows = run("update language of user " + name, h -> h.createUpdate(
                        "UPDATE users SET language = :language WHERE name = :name")
                .bind("name", name)
                .bind("language", language.orElse(null))
                .execute());
        requireOne(rows, "update language of user " + name + ": no such user");
    }

    @Override
    public int deleteSessionsOf(String user, Optional<String> keepTokenHash) {
        return run("delete sessions of user " + user, h -> h.createUpdate(
                        "DELETE FROM sessions WHERE user_name = :user AND token_hash <> :keep")
                .bind("user", user)
                .bind("keep", keepTokenHash.orElse(""))
                .execute());
    }

    @Override
    public void insertSession(SessionRecord session) {
        run("insert session of user " + session.user(), h -> h.createUpdate(
                        "INSERT INTO sessions (token_hash, user_name, created_at, last_used_at, expires_at)"
                                + " VALUES (:hash, :user, :createdAt, :lastUsedAt, :expiresAt)")
                .bind("hash", session.tokenHash())
                .bind("user", session.user())
                .bind("createdAt", timestamp(session.createdAt()))
                .bind("lastUsedAt", timestamp(session.lastUsedAt()))
                .bind("expiresAt", timestamp(session.expiresAt()))
                .execute());
    }

    @Override
    public Optional<SessionRecord> findSession(String tokenHash) {
        return run("find session", h -> h.createQuery("SELECT token_hash, user_name, created_at, last_used_at,"
                        + " expires_at FROM sessions WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map(SESSION)
                .findOne());
    }

    @Override
    public void touchSession(String tokenHash, Instant lastUsedAt, Instant expiresAt) {
        run("touch session", h -> h.createUpdate(
                        "UPDATE sessions SET last_used_at = :lastUsedAt, expires_at = :expiresAt WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .bind("lastUsedAt", timestamp(lastUsedAt))
                .bind("expiresAt", timestamp(expiresAt))
                .execute());
    }

    @Override
    public boolean deleteSession(String tokenHash) {
        return run(
                "delete session",
                h -> h.createUpdate("DELETE FROM sessions WHERE token_hash = :hash")
                                .bind("hash", tokenHash)
                                .execute()
                        > 0);
    }

    @Override
    public int deleteExpiredSessions(Instant now) {
        return run("delete expired sessions", h -> h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now")
                .bind("now", timestamp(now))
                .execute());
    }

    @Override
    public List<AgentRecord> agents() {
        return run("list agents", h -> h.createQuery("SELECT " + AGENT_COLUMNS + " FROM agents ORDER BY name")
                .map(AGENT)
                .list());
    }

    @Override
    public Optional<AgentRecord> findAgent(String name) {
        return run(
                "find agent " + name, h -> h.createQuery("SELECT " + AGENT_COLUMNS + " FROM agents WHERE name = :name")
                        .bind("name", name)
                        .map(AGENT)
                        .findOne());
    }

    @Override
    public Optional<AgentRecord> lockAgent(String name) {
        return run("lock agent " + name, h -> h.createQuery(
                        "SELECT " + AGENT_COLUMNS + " FROM agents WHERE name = :name FOR UPDATE")
                .bind("name", name)
                .map(AGENT)
                .findOne());
    }

    @Override
    public void insertAgent(AgentRecord agent) {
        run("insert agent " + agent.name(), h -> h.createUpdate("INSERT INTO agents (" + AGENT_COLUMNS + ")"
                        + " VALUES (:name, :host, :address, :pid, :version, :tokenHash, :enrolledAt,"
                        + " :lastReportAt, :online)")
                .bind("name", agent.name())
                .bind("host", agent.host())
                .bind("address", agent.address())
                .bind("pid", agent.pid())
                .bind("version", agent.version())
                .bind("tokenHash", agent.tokenHash())
                .bind("enrolledAt", timestamp(agent.enrolledAt()))
                .bind("lastReportAt", timestamp(agent.lastReportAt()))
                .bind("online", agent.online())
                .execute());
    }

    @Override
    public void updateAgentEnrolment(AgentRecord agent) {
        int rows = run("update enrolment of agent " + agent.name(), h -> h.createUpdate(
                        "UPDATE agents SET host = :host, address = :address, pid = :pid, version = :version,"
                                + " token_hash = :tokenHash, enrolled_at = :enrolledAt WHERE name = :name")
                .bind("name", agent.name())
                .bind("host", agent.host())
                .bind("address", agent.address())
                .bind("pid", agent.pid())
                .bind("version", agent.version())
                .bind("tokenHash", agent.tokenHash())
                .bind("enrolledAt", timestamp(agent.enrolledAt()))
                .execute());
        requireOne(rows, "update enrolment of agent " + agent.name() + ": no such agent");
    }

    @Override
    public void recordReport(String agent, long pid, Instant at) {
        int rows = run("record report of agent " + agent, h -> h.createUpdate(
                        "UPDATE agents SET last_report_at = :at, pid = :pid, online = TRUE WHERE name = :name")
                .bind("name", agent)
                .bind("pid", pid)
                .bind("at", timestamp(at))
                .execute());
        requireOne(rows, "record report of agent " + agent + ": no such agent");
    }

    @Override
    public boolean markAgentOffline(String agent, Instant reportedBefore) {
        return run(
                "mark agent " + agent + " offline",
                h -> h.createUpdate("UPDATE agents SET online = FALSE"
                                        + " WHERE name = :name AND online = TRUE"
                                        + " AND (last_report_at IS NULL OR last_report_at < :before)")
                                .bind("name", agent)
                                .bind("before", timestamp(reportedBefore))
                                .execute()
                        > 0);
    }

    @Override
    public List<DatabaseRecord> databases() {
        return run("list databases", h -> h.createQuery(
                        "SELECT " + DATABASE_COLUMNS + " FROM databases ORDER BY agent, port, data_directory")
                .map(DATABASE)
                .list());
    }

    @Override
    public List<DatabaseRecord> databasesOf(String agent) {
        return run("list databases of agent " + agent, h -> h.createQuery("SELECT " + DATABASE_COLUMNS
                        + " FROM databases WHERE agent = :agent ORDER BY port, data_directory")
                .bind("agent", agent)
                .map(DATABASE)
                .list());
    }

    @Override
    public void insertDatabase(DatabaseRecord database) {
        run("insert database " + database.id(), h -> bindDatabase(
                        h.createUpdate("INSERT INTO databases (" + DATABASE_COLUMNS + ") VALUES (:agent,"
                                + " :dataDirectory, :port, :majorVersion, :serverVersion, :up, :running, :role,"
                                + " :reason, :currentLsn, :receivedLsn, :replayedLsn, :systemIdentifier, :observedAt)"),
                        database)
                .execute());
    }

    @Override
    public void updateDatabase(DatabaseRecord database) {
        int rows = run("update database " + database.id(), h -> bindDatabase(
                        h.createUpdate("UPDATE databases SET port = :port, major_version = :majorVersion,"
                                + " server_version = :serverVersion, up = :up, running = :running, role = :role,"
                                + " reason = :reason,"
                                + " current_lsn = :currentLsn, received_lsn = :receivedLsn,"
                                + " replayed_lsn = :replayedLsn, system_identifier = :systemIdentifier,"
                                + " observed_at = :observedAt"
                                + " WHERE agent = :agent AND data_directory = :dataDirectory"),
                        database)
                .execute());
        requireOne(rows, "update database " + database.id() + ": no such database");
    }

    @Override
    public void recordInstalledMajorVersions(String agent, List<String> versions) {
        String joined = String.join(",", versions);
        run("record installed versions of agent " + agent, h -> h.createUpdate(
                        "UPDATE agents SET installed_major_versions = :versions WHERE name = :name")
                .bind("name", agent)
                .bind("versions", cut(joined, VERSIONS_MAX))
                .execute());
    }

    @Override
    public List<String> installedMajorVersions(String agent) {
        Optional<String> joined = run("installed versions of agent " + agent, h -> h.createQuery(
                        "SELECT installed_major_versions FROM agents WHERE name = :name")
                .bind("name", agent)
                .mapTo(String.class)
                .findOne());
        return joined.filter(j -> !j.isEmpty()).map(j -> List.of(j.split(","))).orElse(List.of());
    }

    @Override
    public boolean deleteDatabase(String agent, String dataDirectory) {
        return run(
                "delete database of agent " + agent,
                h -> h.createUpdate("DELETE FROM databases WHERE agent = :agent AND data_directory = :dataDirectory")
                                .bind("agent", agent)
                                .bind("dataDirectory", dataDirectory)
                                .execute()
                        > 0);
    }

    @Override
    public void recordReplication(String agent, ReplicationObservation observation, Instant at) {
        String json;
        try {
            json = JSON.writeValueAsString(observation);
        } catch (JsonProcessingException e) {
            throw new StoreException("store: cannot write the replication observation of agent " + agent, e);
        }
        run("record replication of agent " + agent, h -> {
            h.createUpdate("DELETE FROM replication_observations WHERE agent = :agent"
                            + " AND data_directory = :dataDirectory")
                    .bind("agent", agent)
                    .bind("dataDirectory", observation.dataDirectory())
                    .execute();
            return h.createUpdate("INSERT INTO replication_observations (agent, data_directory, observation,"
                            + " observed_at) VALUES (:agent, :dataDirectory, :observation, :at)")
                    .bind("agent", agent)
                    .bind("dataDirectory", observation.dataDirectory())
                    .bind("observation", json)
                    .bind("at", timestamp(at))
                    .execute();
        });
    }

    @Override
    public Optional<ReplicationObservation> replicationOf(String agent, String dataDirectory) {
        Optional<String> json = run("replication of agent " + agent, h -> h.createQuery(
                        "SELECT observation FROM replication_observations WHERE agent = :agent"
                                + " AND data_directory = :dataDirectory")
                .bind("agent", agent)
                .bind("dataDirectory", dataDirectory)
                .mapTo(String.class)
                .findOne());
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(json.get(), ReplicationObservation.class));
        } catch (JsonProcessingException e) {
            throw new StoreException("store: cannot read the replication observation of agent " + agent, e);
        }
    }

    @Override
    public void insertConfiguration(ConfigurationRecord c) {
        run("insert configuration " + c.name(), h -> h.createUpdate("INSERT INTO configurations ("
                        + CONFIGURATION_COLUMNS + ") VALUES (:name, :method, :mode, :epoch, :standbyCreated,"
                        + " :slotName, :replicationUser, :replicationPassword, :primaryHost, :standbyHost,"
                        + " :createdBy, :createdAt, :transferSecret, :archiveTimeoutSeconds)")
                .bind("name", c.name())
                .bind("transferSecret", c.transferSecret().reveal())
                .bind("archiveTimeoutSeconds", c.archiveTimeoutSeconds())
                .bind("method", c.method().name())
                .bind("mode", c.mode().name())
                .bind("epoch", c.epoch())
                .bind("standbyCreated", c.standbyCreated())
                .bind("slotName", c.slotName())
                .bind("replicationUser", c.replicationUser())
                .bind("replicationPassword", c.replicationPassword().reveal())
                .bind("primaryHost", c.primaryHost())
                .bind("standbyHost", c.standbyHost())
                .bind("createdBy", c.createdBy())
                .bind("createdAt", timestamp(c.createdAt()))
                .execute());
    }

    @Override
    public List<ConfigurationRecord> configurations() {
        return run("list configurations", h -> h.createQuery(
                        "SELECT " + CONFIGURATION_COLUMNS + " FROM configurations ORDER BY name")
                .map(CONFIGURATION)
                .list());
    }

    @Override
    public Optional<ConfigurationRecord> findConfiguration(String name) {
        return run("find configuration " + name, h -> h.createQuery(
                        "SELECT " + CONFIGURATION_COLUMNS + " FROM configurations WHERE name = :name")
                .bind("name", name)
                .map(CONFIGURATION)
                .findOne());
    }

    @Override
    public Optional<ConfigurationRecord> lockConfiguration(String name) {
        return run("lock configuration " + name, h -> h.createQuery(
                        "SELECT " + CONFIGURATION_COLUMNS + " FROM configurations WHERE name = :name FOR UPDATE")
                .bind("name", name)
                .map(CONFIGURATION)
                .findOne());
    }

    @Override
    public void updateConfiguration(ConfigurationRecord c) {
        int rows = run("update configuration " + c.name(), h -> h.createUpdate(
                        "UPDATE configurations SET epoch = :epoch, standby_created = :standbyCreated,"
                                + " primary_host = :primaryHost, standby_host = :standbyHost,"
                                + " archive_timeout_seconds = :archiveTimeoutSeconds WHERE name = :name")
                .bind("name", c.name())
                .bind("primaryHost", c.primaryHost())
                .bind("standbyHost", c.standbyHost())
                .bind("archiveTimeoutSeconds", c.archiveTimeoutSeconds())
                .bind("epoch", c.epoch())
                .bind("standbyCreated", c.standbyCreated())
                .execute());
        requireOne(rows, "update configuration " + c.name() + ": no such configuration");
    }

    @Override
    public Optional<ObserverSettings> observerSettings(String name) {
        return run("observer settings of configuration " + name, h -> h.createQuery(
                        "SELECT " + OBSERVER_COLUMNS + " FROM configurations WHERE name = :name")
                .bind("name", name)
                .map(OBSERVER)
                .findOne());
    }

    @Override
    public void updateObserverSettings(String name, ObserverSettings o) {
        int rows = run("update observer settings of configuration " + name, h -> h.createUpdate(
                        "UPDATE configurations SET observer_enabled = :enabled, observer_action = :action,"
                                + " observer_interval_millis = :interval, observer_checks = :checks,"
                                + " observer_max_lag_bytes = :maxLag, observer_auto_reinstate = :autoReinstate"
                                + " WHERE name = :name")
                .bind("name", name)
                .bind("enabled", o.enabled())
                .bind("action", o.action().name())
                .bind("interval", o.intervalMillis())
                .bind("checks", o.checks())
                .bind("maxLag", o.maxLagBytes())
                .bind("autoReinstate", o.autoReinstate())
                .execute());
        requireOne(rows, "update observer settings of configuration " + name + ": no such configuration");
    }

    @Override
    public void renewLease(String name, String holder, long epoch, Instant expiresAt) {
        run("renew the lease of configuration " + name, h -> h.createUpdate(
                        "UPDATE configurations SET lease_holder = :holder, lease_epoch = :epoch,"
                                + " lease_expires_at = :expiresAt WHERE name = :name")
                .bind("name", name)
                .bind("holder", holder)
                .bind("epoch", epoch)
                .bind("expiresAt", timestamp(expiresAt))
                .execute());
    }

    @Override
    public Optional<LeaseRecord> lease(String name) {
        return run("lease of configuration " + name, h -> h.createQuery(
                        "SELECT lease_holder, lease_epoch, lease_expires_at FROM configurations WHERE name = :name"
                                + " AND lease_expires_at IS NOT NULL")
                .bind("name", name)
                .map((rs, ctx) -> new LeaseRecord(
                        rs.getString("lease_holder"), rs.getLong("lease_epoch"), instant(rs, "lease_expires_at")))
                .findOne());
    }

    @Override
    public boolean deleteConfiguration(String name) {
        return run(
                "delete configuration " + name,
                h -> h.createUpdate("DELETE FROM configurations WHERE name = :name")
                                .bind("name", name)
                                .execute()
                        > 0);
    }

    @Override
    public void insertMember(MemberRecord m) {
        run("insert member " + m.id() + " of " + m.configuration(), h -> bindMember(
                        h.createUpdate("INSERT INTO members (" + MEMBER_COLUMNS + ") VALUES (:configuration, :role,"
                                + " :agent, :dataDirectory, :port, :goalState, :goalOperationId, :goalChangedAt,"
                                + " :reportedState, :reportedEpoch, :reportedOperationId, :failure, :reportedAt,"
                                + " :progressAction, :progressPhase, :progressBytesDone, :progressBytesTotal,"
                                + " :progressStartedAt, :progressChangedAt, :targetExists, :targetEmpty, :targetHoldsCluster,"
                                + " :targetMajorVersion, :targetRunning, :targetSystemIdentifier, :targetInspectedAt,"
                                + " :seenState, :seenStreaming, :checkpointLsn)"),
                        m)
                .execute());
    }

    @Override
    public void updateMember(MemberRecord m) {
        int rows = run("update member " + m.id() + " of " + m.configuration(), h -> bindMember(
                        h.createUpdate("UPDATE members SET goal_state = :goalState,"
                                + " goal_operation_id = :goalOperationId, goal_changed_at = :goalChangedAt,"
                                + " reported_state = :reportedState, reported_epoch = :reportedEpoch,"
                                + " reported_operation_id = :reportedOperationId, reported_failure = :failure,"
                                + " reported_at = :reportedAt, progress_action = :progressAction,"
                                + " progress_phase = :progressPhase, progress_bytes_done = :progressBytesDone,"
                                + " progress_bytes_total = :progressBytesTotal,"
                                + " progress_started_at = :progressStartedAt,"
                                + " progress_changed_at = :progressChangedAt, target_exists = :targetExists,"
                                + " target_empty = :targetEmpty, target_holds_cluster = :targetHoldsCluster,"
                                + " target_major_version = :targetMajorVersion, target_running = :targetRunning,"
                                + " target_system_identifier = :targetSystemIdentifier,"
                                + " target_inspected_at = :targetInspectedAt, seen_state = :seenState,"
                                + " seen_streaming = :seenStreaming, member_role = :role,"
                                + " reported_checkpoint_lsn = :checkpointLsn"
                                + " WHERE configuration = :configuration AND agent = :agent"
                                + " AND data_directory = :dataDirectory"),
                        m)
                .execute());
        requireOne(rows, "update member " + m.id() + " of " + m.configuration() + ": no such member");
    }

    @Override
    public List<MemberRecord> membersOf(String configuration) {
        return run("list members of " + configuration, h -> h.createQuery("SELECT " + MEMBER_COLUMNS
                        + " FROM members WHERE configuration = :configuration ORDER BY member_role")
                .bind("configuration", configuration)
                .map(MEMBER)
                .list());
    }

    @Override
    public List<MemberRecord> members() {
        return run("list members", h -> h.createQuery(
                        "SELECT " + MEMBER_COLUMNS + " FROM members ORDER BY configuration, member_role")
                .map(MEMBER)
                .list());
    }

    @Override
    public List<MemberRecord> membersOnAgent(String agent) {
        return run("list members on agent " + agent, h -> h.createQuery("SELECT " + MEMBER_COLUMNS
                        + " FROM members WHERE agent = :agent ORDER BY configuration, member_role")
                .bind("agent", agent)
                .map(MEMBER)
                .list());
    }

    @Override
    public void insertOperation(OperationRecord o) {
        run("insert operation " + o.id(), h -> bindOperation(
                        h.createUpdate("INSERT INTO operations (" + OPERATION_COLUMNS + ") VALUES (:id,"
                                + " :configuration, :kind, :state, :requestedBy, :replaceExisting, :startedAt,"
                                + " :endedAt, :message)"),
                        o)
                .execute());
    }

    @Override
    public void updateOperation(OperationRecord o) {
        int rows = run("update operation " + o.id(), h -> bindOperation(
                        h.createUpdate("UPDATE operations SET state = :state, ended_at = :endedAt,"
                                + " message = :message WHERE id = :id"),
                        o)
                .execute());
        requireOne(rows, "update operation " + o.id() + ": no such operation");
    }

    @Override
    public Optional<OperationRecord> findOperation(String id) {
        return run("find operation " + id, h -> h.createQuery(
                        "SELECT " + OPERATION_COLUMNS + " FROM operations WHERE id = :id")
                .bind("id", id)
                .map(OPERATION)
                .findOne());
    }

    @Override
    public Optional<OperationRecord> runningOperation(String configuration) {
        return run("running operation of " + configuration, h -> h.createQuery("SELECT " + OPERATION_COLUMNS
                        + " FROM operations WHERE configuration = :configuration AND state = 'RUNNING'"
                        + " ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY")
                .bind("configuration", configuration)
                .map(OPERATION)
                .findOne());
    }

    @Override
    public List<OperationRecord> operations(Optional<String> configuration, int limit) {
        return run("list operations", h -> {
            Query query = h.createQuery("SELECT " + OPERATION_COLUMNS + " FROM operations"
                    + (configuration.isPresent() ? " WHERE configuration = :configuration" : "")
                    + " ORDER BY seq DESC FETCH FIRST :limit ROWS ONLY");
            configuration.ifPresent(c -> query.bind("configuration", c));
            return query.bind("limit", limit).map(OPERATION).list();
        });
    }

    @Override
    public void insertStep(StepRecord step) {
        run("insert step " + step.number() + " of operation " + step.operationId(), h -> bindStep(
                        h.createUpdate("INSERT INTO operation_steps (" + STEP_COLUMNS + ") VALUES (:operationId,"
                                + " :number, :name, :state, :startedAt, :endedAt, :message)"),
                        step)
                .execute());
    }

    @Override
    public void updateStep(StepRecord step) {
        int rows = run("update step " + step.number() + " of operation " + step.operationId(), h -> bindStep(
                        h.createUpdate("UPDATE operation_steps SET state = :state, started_at = :startedAt,"
                                + " ended_at = :endedAt, message = :message"
                                + " WHERE operation_id = :operationId AND step_number = :number"),
                        step)
                .execute());
        requireOne(rows, "update step " + step.number() + " of operation " + step.operationId() + ": no such step");
    }

    @Override
    public List<StepRecord> stepsOf(String operationId) {
        return run("list steps of operation " + operationId, h -> h.createQuery("SELECT " + STEP_COLUMNS
                        + " FROM operation_steps WHERE operation_id = :id ORDER BY step_number")
                .bind("id", operationId)
                .map(STEP)
                .list());
    }

    @Override
    public void insertLagSample(String configuration, LagRecord sample) {
        run("insert lag sample of " + configuration, h -> bindLag(
                        h.createUpdate("INSERT INTO lag_samples (configuration, at, lag_bytes, replay_lag_seconds)"
                                + " VALUES (:configuration, :at, :lagBytes, :seconds)"),
                        configuration,
                        sample)
                .execute());
    }

    @Override
    public Optional<LagRecord> lagMinute(String configuration, Instant minuteStart) {
        return run("find lag minute of " + configuration, h -> h.createQuery("SELECT minute_start AS at,"
                        + " lag_bytes, replay_lag_seconds FROM lag_minutes"
                        + " WHERE configuration = :configuration AND minute_start = :at")
                .bind("configuration", configuration)
                .bind("at", timestamp(minuteStart))
                .map(LAG)
                .findOne());
    }

    @Override
    public void putLagMinute(String configuration, LagRecord minute) {
        run("put lag minute of " + configuration, h -> {
            int rows = bindLag(
                            h.createUpdate("UPDATE lag_minutes SET lag_bytes = :lagBytes,"
                                    + " replay_lag_seconds = :seconds"
                                    + " WHERE configuration = :configuration AND minute_start = :at"),
                            configuration,
                            minute)
                    .execute();
            if (rows == 0) {
                rows = bindLag(
                                h.createUpdate("INSERT INTO lag_minutes (configuration, minute_start, lag_bytes,"
                                        + " replay_lag_seconds) VALUES (:configuration, :at, :lagBytes, :seconds)"),
                                configuration,
                                minute)
                        .execute();
            }
            return rows;
        });
    }

    @Override
    public List<LagRecord> lagSamples(String configuration, Instant since) {
        return run("list lag samples of " + configuration, h -> h.createQuery("SELECT at, lag_bytes,"
                        + " replay_lag_seconds FROM lag_samples WHERE configuration = :configuration"
                        + " AND at >= :since ORDER BY at")
                .bind("configuration", configuration)
                .bind("since", timestamp(since))
                .map(LAG)
                .list());
    }

    @Override
    public List<LagRecord> lagMinutes(String configuration, Instant since) {
        return run("list lag minutes of " + configuration, h -> h.createQuery("SELECT minute_start AS at,"
                        + " lag_bytes, replay_lag_seconds FROM lag_minutes WHERE configuration = :configuration"
                        + " AND minute_start >= :since ORDER BY minute_start")
                .bind("configuration", configuration)
                .bind("since", timestamp(since))
                .map(LAG)
                .list());
    }

    @Override
    public int pruneLag(Instant samplesBefore, Instant minutesBefore) {
        return run(
                "prune lag history",
                h -> h.createUpdate("DELETE FROM lag_samples WHERE at < :before")
                                .bind("before", timestamp(samplesBefore))
                                .execute()
                        + h.createUpdate("DELETE FROM lag_minutes WHERE minute_start < :before")
                                .bind("before", timestamp(minutesBefore))
                                .execute());
    }

    @Override
    public long appendEvent(Instant at, String actor, String kind, String subject, String result, String message) {
        return run("append event " + kind, h -> h.createUpdate("INSERT INTO events (at, actor, kind, subject,"
                        + " result, message) VALUES (:at, :actor, :kind, :subject, :result, :message)")
                .bind("at", timestamp(at))
                .bind("actor", cut(actor, ACTOR_MAX))
                .bind("kind", kind)
                .bind("subject", cut(subject, SUBJECT_MAX))
                .bind("result", result)
                .bind("message", cut(message, MESSAGE_MAX))
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    @Override
    public List<EventRecord> events(int limit) {
        return events(limit, Optional.empty(), Set.of());
    }

    @Override
    public List<EventRecord> events(int limit, Optional<String> kind, Set<String> subjects) {
        List<String> conditions = new ArrayList<>();
        kind.ifPresent(k -> conditions.add("kind = :kind"));
        if (!subjects.isEmpty()) {
            conditions.add("subject IN (<subjects>)");
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return run("list events", h -> {
            Query query = h.createQuery("SELECT " + EVENT_COLUMNS + " FROM events" + where
                    + " ORDER BY id DESC FETCH FIRST :limit ROWS ONLY");
            kind.ifPresent(k -> query.bind("kind", k));
            if (!subjects.isEmpty()) {
                query.bindList("subjects", List.copyOf(subjects));
            }
            return query.bind("limit", limit).map(EVENT).list();
        });
    }

    private <T> T run(String what, Function<Handle, T> work) {
        try {
            if (transaction != null) {
                return work.apply(transaction);
            }
            return jdbi.inTransaction(work::apply);
        } catch (JdbiException e) {
            throw new StoreException("store: " + what + ": " + rootMessage(e), e);
        }
    }

    private static void requireOne(int rows, String message) {
        if (rows != 1) {
            throw new StoreException("store: " + message);
        }
    }

    private static Update bindDatabase(Update update, DatabaseRecord d) {
        return update.bind("agent", d.agent())
                .bind("dataDirectory", d.dataDirectory())
                .bind("port", d.port())
                .bind("majorVersion", d.majorVersion())
                .bind("serverVersion", d.serverVersion())
                .bind("up", d.up())
                .bind("running", d.running())
                .bind("role", d.role().name())
                .bind("reason", d.reason())
                .bind("currentLsn", d.currentLsn())
                .bind("receivedLsn", d.receivedLsn())
                .bind("replayedLsn", d.replayedLsn())
                .bind("systemIdentifier", d.systemIdentifier())
                .bind("observedAt", timestamp(d.observedAt()));
    }

    private static Update bindMember(Update update, MemberRecord m) {
        @Nullable ActionProgress progress = m.progress();
        @Nullable TargetInspection target = m.target();
        return update.bind("configuration", m.configuration())
                .bind("role", m.role().name())
                .bind("agent", m.agent())
                .bind("dataDirectory", m.dataDirectory())
                .bind("port", m.port())
                .bind("goalState", m.goalState().name())
                .bind("goalOperationId", m.goalOperationId())
                .bind("goalChangedAt", timestamp(m.goalChangedAt()))
                .bind(
                        "reportedState",
                        m.reportedState() == null ? null : m.reportedState().name())
                .bind("reportedEpoch", m.reportedEpoch())
                .bind("reportedOperationId", m.reportedOperationId())
                .bind("failure", m.failure() == null ? null : cut(m.failure(), MESSAGE_MAX))
                .bind("reportedAt", timestamp(m.reportedAt()))
                .bind("progressAction", progress == null ? null : cut(progress.action(), TEXT_MAX))
                .bind("progressPhase", progress == null ? null : cut(progress.phase(), TEXT_MAX))
                .bind("progressBytesDone", progress == null ? null : progress.bytesDone())
                .bind("progressBytesTotal", progress == null ? null : progress.bytesTotal())
                .bind("progressStartedAt", timestamp(progress == null ? null : progress.startedAt()))
                .bind("progressChangedAt", timestamp(m.progressChangedAt()))
                .bind("targetExists", target == null ? null : target.exists())
                .bind("targetEmpty", target == null ? null : target.empty())
                .bind("targetHoldsCluster", target == null ? null : target.holdsCluster())
                .bind("targetMajorVersion", target == null ? null : target.majorVersion())
                .bind("targetRunning", target == null ? null : target.running())
                .bind("targetSystemIdentifier", target == null ? null : target.systemIdentifier())
                .bind("targetInspectedAt", timestamp(m.targetInspectedAt()))
                .bind("seenState", m.seenState() == null ? null : m.seenState().name())
                .bind("seenStreaming", m.seenStreaming())
                .bind("checkpointLsn", m.checkpointLsn());
    }

    private static Update bindOperation(Update update, OperationRecord o) {
        return update.bind("id", o.id())
                .bind("configuration", o.configuration())
                .bind("kind", o.kind().name())
                .bind("state", o.state().name())
                .bind("requestedBy", o.requestedBy())
                .bind("replaceExisting", o.replaceExisting())
                .bind("startedAt", timestamp(o.startedAt()))
                .bind("endedAt", timestamp(o.endedAt()))
                .bind("message", o.message() == null ? null : cut(o.message(), MESSAGE_MAX));
    }

    private static Update bindStep(Update update, StepRecord step) {
        return update.bind("operationId", step.operationId())
                .bind("number", step.number())
                .bind("name", cut(step.name(), TEXT_MAX))
                .bind("state", step.state().name())
                .bind("startedAt", timestamp(step.startedAt()))
                .bind("endedAt", timestamp(step.endedAt()))
                .bind("message", step.message() == null ? null : cut(step.message(), MESSAGE_MAX));
    }

    private static Update bindLag(Update update, String configuration, LagRecord lag) {
        return update.bind("configuration", configuration)
                .bind("at", timestamp(lag.at()))
                .bind("lagBytes", lag.lagBytes())
                .bind("seconds", lag.replayLagSeconds());
    }

    /** Binds an instant as a UTC {@code TIMESTAMP WITH TIME ZONE}, independent of the JVM's zone. */
    private static Argument timestamp(@Nullable Instant instant) {
        if (instant == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        OffsetDateTime utc = instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        return (position, statement, ctx) -> statement.setObject(position, utc);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) {
            throw new SQLException("column " + column + " is null");
        }
        return value.toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        @Nullable OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static boolean isDatabaseAlreadyOpen(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** JDBC URLs of other databases may hold a password; keep only the part before parameters. */
    private static String redact(String jdbcUrl) {
        int semicolon = jdbcUrl.indexOf(';');
        int question = jdbcUrl.indexOf('?');
        int end = jdbcUrl.length();
        if (semicolon >= 0) {
            end = Math.min(end, semicolon);
        }
        if (question >= 0) {
            end = Math.min(end, question);
        }
        return jdbcUrl.substring(0, end);
    }

    private static final RowMapper<UserRecord> USER = (rs, ctx) -> new UserRecord(
            rs.getString("name"),
            rs.getString("password_hash"),
            rs.getString("role"),
            rs.getString("language"),
            instant(rs, "created_at"));

    private static final RowMapper<SessionRecord> SESSION = (rs, ctx) -> new SessionRecord(
            rs.getString("token_hash"),
            rs.getString("user_name"),
            instant(rs, "created_at"),
            instant(rs, "last_used_at"),
            instant(rs, "expires_at"));

    private static final RowMapper<AgentRecord> AGENT = (rs, ctx) -> new AgentRecord(
            rs.getString("name"),
            rs.getString("host"),
            rs.getString("address"),
            rs.getLong("pid"),
            rs.getString("version"),
            rs.getString("token_hash"),
            instant(rs, "enrolled_at"),
            nullableInstant(rs, "last_report_at"),
            rs.getBoolean("online"));

    private static final RowMapper<DatabaseRecord> DATABASE = (rs, ctx) -> new DatabaseRecord(
            rs.getString("agent"),
            rs.getString("data_directory"),
            rs.getInt("port"),
            rs.getString("major_version"),
            rs.getString("server_version"),
            rs.getBoolean("up"),
            rs.getBoolean("running"),
            Role.valueOf(rs.getString("role")),
            rs.getString("reason"),
            rs.getString("current_lsn"),
            rs.getString("received_lsn"),
            rs.getString("replayed_lsn"),
            rs.getString("system_identifier"),
            instant(rs, "observed_at"));

    private static final RowMapper<EventRecord> EVENT = (rs, ctx) -> new EventRecord(
            rs.getLong("id"),
            instant(rs, "at"),
            rs.getString("actor"),
            rs.getString("kind"),
            rs.getString("subject"),
            rs.getString("result"),
            rs.getString("message"));
    private static final RowMapper<ConfigurationRecord> CONFIGURATION = (rs, ctx) -> new ConfigurationRecord(
            rs.getString("name"),
            ReplicationMethod.valueOf(rs.getString("method")),
            StandbyMode.valueOf(rs.getString("standby_mode")),
            rs.getLong("epoch"),
            rs.getBoolean("standby_created"),
            rs.getString("slot_name"),
            rs.getString("replication_user"),
            Secret.of(rs.getString("replication_password")),
            rs.getString("primary_host"),
            rs.getString("standby_host"),
            rs.getString("created_by"),
            instant(rs, "created_at"),
            Secret.of(rs.getString("transfer_secret")),
            rs.getLong("archive_timeout_seconds"));

    private static final RowMapper<ObserverSettings> OBSERVER = (rs, ctx) -> new ObserverSettings(
            rs.getBoolean("observer_enabled"),
            ObserverAction.valueOf(rs.getString("observer_action")),
            rs.getLong("observer_interval_millis"),
            rs.getInt("observer_checks"),
            rs.getLong("observer_max_lag_bytes"),
            rs.getBoolean("observer_auto_reinstate"));

    private static final RowMapper<MemberRecord> MEMBER = (rs, ctx) -> new MemberRecord(
            rs.getString("configuration"),
            Role.valueOf(rs.getString("member_role")),
            rs.getString("agent"),
            rs.getString("data_directory"),
            rs.getInt("port"),
            NodeState.valueOf(rs.getString("goal_state")),
            rs.getString("goal_operation_id"),
            instant(rs, "goal_changed_at"),
            nodeState(rs.getString("reported_state")),
            rs.getLong("reported_epoch"),
            rs.getString("reported_operation_id"),
            rs.getString("reported_failure"),
            nullableInstant(rs, "reported_at"),
            progress(rs),
            nullableInstant(rs, "progress_changed_at"),
            target(rs),
            nullableInstant(rs, "target_inspected_at"),
            databaseState(rs.getString("seen_state")),
            rs.getBoolean("seen_streaming"),
            rs.getString("reported_checkpoint_lsn"));

    private static final RowMapper<OperationRecord> OPERATION = (rs, ctx) -> new OperationRecord(
            rs.getString("id"),
            rs.getString("configuration"),
            OperationKind.valueOf(rs.getString("kind")),
            OperationState.valueOf(rs.getString("state")),
            rs.getString("requested_by"),
            rs.getBoolean("replace_existing"),
            instant(rs, "started_at"),
            nullableInstant(rs, "ended_at"),
            rs.getString("message"));

    private static final RowMapper<StepRecord> STEP = (rs, ctx) -> new StepRecord(
            rs.getString("operation_id"),
            rs.getInt("step_number"),
            rs.getString("name"),
            StepState.valueOf(rs.getString("state")),
            nullableInstant(rs, "started_at"),
            nullableInstant(rs, "ended_at"),
            rs.getString("message"));

    private static final RowMapper<LagRecord> LAG = (rs, ctx) ->
            new LagRecord(instant(rs, "at"), rs.getLong("lag_bytes"), nullableDouble(rs, "replay_lag_seconds"));

    private static @Nullable NodeState nodeState(@Nullable String name) {
        return name == null ? null : NodeState.valueOf(name);
    }

    private static @Nullable DatabaseState databaseState(@Nullable String name) {
        return name == null ? null : DatabaseState.valueOf(name);
    }

    private static @Nullable Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable ActionProgress progress(ResultSet rs) throws SQLException {
        @Nullable String phase = rs.getString("progress_phase");
        @Nullable Instant started = nullableInstant(rs, "progress_started_at");
        if (phase == null || started == null) {
            return null;
        }
        return new ActionProgress(
                requireNonNullElse(rs.getString("progress_action"), ""),
                phase,
                rs.getLong("progress_bytes_done"),
                rs.getLong("progress_bytes_total"),
                started);
    }

    private static @Nullable TargetInspection target(ResultSet rs) throws SQLException {
        boolean exists = rs.getBoolean("target_exists");
        if (rs.wasNull()) {
            return null;
        }
        return new TargetInspection(
                exists,
                rs.getBoolean("target_empty"),
                rs.getBoolean("target_holds_cluster"),
                rs.getString("target_major_version"),
                rs.getBoolean("target_running"),
                rs.getString("target_system_identifier"));
    }
}
