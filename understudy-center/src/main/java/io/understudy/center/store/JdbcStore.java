package io.understudy.center.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.understudy.core.database.Role;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.mapper.RowMapper;
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

    private static final String AGENT_COLUMNS =
            "name, host, address, pid, version, token_hash, enrolled_at, last_report_at, online";
    private static final String DATABASE_COLUMNS = "agent, data_directory, port, major_version, server_version, up,"
            + " role, reason, current_lsn, received_lsn, replayed_lsn, system_identifier, observed_at";

    private final Jdbi jdbi;
    private final @Nullable HikariDataSource dataSource;
    private final @Nullable Handle transaction;
    private final boolean shutdownOnClose;

    private JdbcStore(
            Jdbi jdbi, @Nullable HikariDataSource dataSource, @Nullable Handle transaction, boolean shutdownOnClose) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.transaction = transaction;
        this.shutdownOnClose = shutdownOnClose;
    }

    /**
     * Opens (creating if needed) the embedded H2 store {@code understudy} in {@code dataDirectory} and
     * migrates its schema. Blocks while migrating.
     *
     * @throws StoreException if the files cannot be opened, for example because another Control
     *     Center uses the same data directory
     */
    public static JdbcStore openFile(Path dataDirectory) {
        Path base = dataDirectory.toAbsolutePath().resolve("understudy");
        String url = "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
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
        return new JdbcStore(Jdbi.create(dataSource), dataSource, null, shutdownOnClose);
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
        try {
            return jdbi.inTransaction(h -> work.apply(new JdbcStore(jdbi, null, h, false)));
        } catch (JdbiException e) {
            throw new StoreException("store transaction failed: " + rootMessage(e), e);
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
                                + " :dataDirectory, :port, :majorVersion, :serverVersion, :up, :role, :reason,"
                                + " :currentLsn, :receivedLsn, :replayedLsn, :systemIdentifier, :observedAt)"),
                        database)
                .execute());
    }

    @Override
    public void updateDatabase(DatabaseRecord database) {
        int rows = run("update database " + database.id(), h -> bindDatabase(
                        h.createUpdate("UPDATE databases SET port = :port, major_version = :majorVersion,"
                                + " server_version = :serverVersion, up = :up, role = :role, reason = :reason,"
                                + " current_lsn = :currentLsn, received_lsn = :receivedLsn,"
                                + " replayed_lsn = :replayedLsn, system_identifier = :systemIdentifier,"
                                + " observed_at = :observedAt"
                                + " WHERE agent = :agent AND data_directory = :dataDirectory"),
                        database)
                .execute());
        requireOne(rows, "update database " + database.id() + ": no such database");
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
        return run("list events", h -> h.createQuery("SELECT id, at, actor, kind, subject, result, message"
                        + " FROM events ORDER BY id DESC FETCH FIRST :limit ROWS ONLY")
                .bind("limit", limit)
                .map(EVENT)
                .list());
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

    private static org.jdbi.v3.core.statement.Update bindDatabase(
            org.jdbi.v3.core.statement.Update update, DatabaseRecord d) {
        return update.bind("agent", d.agent())
                .bind("dataDirectory", d.dataDirectory())
                .bind("port", d.port())
                .bind("majorVersion", d.majorVersion())
                .bind("serverVersion", d.serverVersion())
                .bind("up", d.up())
                .bind("role", d.role().name())
                .bind("reason", d.reason())
                .bind("currentLsn", d.currentLsn())
                .bind("receivedLsn", d.receivedLsn())
                .bind("replayedLsn", d.replayedLsn())
                .bind("systemIdentifier", d.systemIdentifier())
                .bind("observedAt", timestamp(d.observedAt()));
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
}
