package io.understudy.engine.postgresql;

import io.understudy.core.database.Lsn;
import io.understudy.core.protocol.Secret;
import io.understudy.engine.Failure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQL over pgJDBC to one PostgreSQL server. Keeps one connection, to the {@code postgres}
 * database, and opens a new one only when the port changes or the old one broke, so an agent that
 * observes twice a second does not start a backend each time. Not safe for concurrent use.
 *
 * <p>Methods throw {@link SQLException}; callers classify it with {@link PostgresErrors} and add
 * their context.
 */
public final class PostgresQueries implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresQueries.class);

    /** What the server shows in {@code pg_stat_activity.application_name} for the agent. */
    public static final String APPLICATION_NAME = "understudy-agent";

    private static final Executor SAME_THREAD = Runnable::run;

    private static final String SERVER_STATE_SQL = "select current_setting('server_version'),"
            + " pg_is_in_recovery(),"
            + " case when pg_is_in_recovery() then null else pg_current_wal_lsn()::text end,"
            + " pg_last_wal_receive_lsn()::text,"
            + " pg_last_wal_replay_lsn()::text";

    private final String host;
    private final String user;
    private final @Nullable Secret password;
    private final Duration timeout;
    private final String applicationName;

    private @Nullable Connection connection;
    private int connectionPort;

    /**
     * @param host where the server listens
     * @param user the role to connect as
     * @param password its password; null when the server trusts this client
     * @param timeout the longest a connection attempt, and a {@link #serverState} call, may take
     * @param applicationName shown in {@code pg_stat_activity}
     */
    public PostgresQueries(
            String host, String user, @Nullable Secret password, Duration timeout, String applicationName) {
        this.host = host;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.applicationName = applicationName;
    }

    /**
     * What the server on {@code port} says of itself. Reuses the open connection; when that has
     * broken (the server restarted), tries once more with a new one. Blocks about {@code timeout}
     * at most per attempt.
     *
     * @throws SQLException when the server cannot be reached or queried
     */
    public ServerState serverState(int port) throws SQLException {
        boolean reused = isConnectedTo(port);
        try {
            return readServerState(connection(port));
        } catch (SQLException e) {
            dropIfBroken(e);
            if (reused && connection == null) {
                log.debug("connection to port {} broke; reconnecting: {}", port, e.getMessage());
                return readServerState(connection(port));
            }
            throw e;
        }
    }

    /**
     * As {@link #query}, but bounded like {@link #serverState}: each attempt waits at most {@code
     * timeout} for the server, and a kept connection that broke is replaced once. For statements
     * an agent runs every tick.
     *
     * @throws SQLException as {@link #query}, or when the server does not answer in time
     */
    public List<Map<String, @Nullable Object>> probe(int port, String sql) throws SQLException {
        boolean reused = isConnectedTo(port);
        try {
            return readRows(connection(port), sql);
        } catch (SQLException e) {
            dropIfBroken(e);
            if (reused && connection == null) {
                log.debug("connection to port {} broke; reconnecting: {}", port, e.getMessage());
                return readRows(connection(port), sql);
            }
            throw e;
        }
    }

    /**
     * A new connection to the server on {@code port}, apart from the kept one, for statements
     * that need a session of their own (session settings); the caller closes it. Connecting
     * blocks about {@code timeout} at most.
     *
     * @throws SQLException when the server cannot be reached
     */
    public Connection openSession(int port) throws SQLException {
        Connection c = DriverManager.getConnection(url(port), connectionProperties());
        c.setNetworkTimeout(SAME_THREAD, 0);
        return c;
    }

    /**
     * Runs {@code sql} with positional {@code ?} {@code parameters} and returns its rows, each an
     * unmodifiable map of column label to value in column order (values may be null). Connecting
     * blocks about {@code timeout} at most; the statement itself runs without a deadline.
     *
     * @throws SQLException when the server cannot be reached or the statement fails
     */
    public List<Map<String, @Nullable Object>> query(int port, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(port, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            return rows(rows);
        } catch (SQLException e) {
            dropIfBroken(e);
            throw e;
        }
    }

    /**
     * Runs {@code sql}, which returns no rows, and returns its update count (0 for a statement
     * that counts nothing). Blocks as {@link #query}.
     *
     * @throws SQLException as {@link #query}
     */
    public long execute(int port, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(port, sql, parameters)) {
            return statement.executeLargeUpdate();
        } catch (SQLException e) {
            dropIfBroken(e);
            throw e;
        }
    }

    /** Closes the connection, if any. Idempotent; the next call connects again. */
    @Override
    public void close() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                log.debug("closing the connection to port {} failed", connectionPort, e);
            }
        }
    }

    private PreparedStatement prepare(int port, String sql, Object... parameters) throws SQLException {
        boolean reused = isConnectedTo(port);
        Connection c = connection(port);
        // A connection kept from before may point at a server that has restarted since.
        if (reused && !c.isValid(timeoutSeconds())) {
            close();
            c = connection(port);
        }
        c.setNetworkTimeout(SAME_THREAD, 0);
        PreparedStatement statement = c.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private List<Map<String, @Nullable Object>> readRows(Connection c, String sql) throws SQLException {
        c.setNetworkTimeout(SAME_THREAD, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Statement statement = c.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows(rows);
        }
    }

    private static List<Map<String, @Nullable Object>> rows(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<Map<String, @Nullable Object>> result = new ArrayList<>();
        while (rows.next()) {
            Map<String, @Nullable Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i), rows.getObject(i));
            }
            result.add(Collections.unmodifiableMap(row));
        }
        return Collections.unmodifiableList(result);
    }

    private ServerState readServerState(Connection c) throws SQLException {
        c.setNetworkTimeout(SAME_THREAD, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Statement statement = c.createStatement();
                ResultSet row = statement.executeQuery(SERVER_STATE_SQL)) {
            if (!row.next()) {
                throw new SQLException("the server state query returned no row");
            }
            String version = row.getString(1);
            return new ServerState(
                    version.split(" ", 2)[0],
                    row.getBoolean(2),
                    lsn(row.getString(3)),
                    lsn(row.getString(4)),
                    lsn(row.getString(5)));
        }
    }

    private boolean isConnectedTo(int port) {
        return connection != null && connectionPort == port;
    }

    private Connection connection(int port) throws SQLException {
        Connection open = connection;
        if (open != null && connectionPort == port && !open.isClosed()) {
            return open;
        }
        close();
        String url = url(port);
        Connection fresh = DriverManager.getConnection(url, connectionProperties());
        connection = fresh;
        connectionPort = port;
        log.debug("connected to {} as {}", url, user);
        return fresh;
    }

    private Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password.reveal());
        }
        properties.setProperty("connectTimeout", Integer.toString(timeoutSeconds()));
        properties.setProperty("socketTimeout", Integer.toString(timeoutSeconds()));
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    private String url(int port) {
        return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/postgres";
    }

    private String hostForUrl() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Forgets the connection when {@code e} says it is of no further use. */
    private void dropIfBroken(SQLException e) {
        Connection open = connection;
        boolean closed;
        try {
            closed = open == null || open.isClosed();
        } catch (SQLException ignored) {
            closed = true;
        }
        if (closed || PostgresErrors.classify(e) == Failure.TRANSIENT) {
            close();
        }
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    private static @Nullable Lsn lsn(@Nullable String text) {
        return text == null ? null : Lsn.parse(text);
    }

    /**
     * What a server says of itself.
     *
     * @param serverVersion e.g. {@code 15.8}
     * @param inRecovery {@code pg_is_in_recovery()}: true on a standby
     * @param currentLsn {@code pg_current_wal_lsn()}; null on a standby
     * @param receivedLsn {@code pg_last_wal_receive_lsn()}; null on a primary, or a standby that
     *     has received nothing by streaming
     * @param replayedLsn {@code pg_last_wal_replay_lsn()}; null on a primary
     */
    public record ServerState(
            String serverVersion,
            boolean inRecovery,
            @Nullable Lsn currentLsn,
            @Nullable Lsn receivedLsn,
            @Nullable Lsn replayedLsn) {}
}
