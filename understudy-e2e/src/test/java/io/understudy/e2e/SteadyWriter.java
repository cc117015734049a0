package io.understudy.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A client that inserts one row every 10 ms through a multi-host connection string with {@code
 * targetServerType=primary} (libpq's {@code target_session_attrs=read-write}), reconnecting by
 * itself when its server goes away, as an application would. It records every insert the server
 * acknowledged, which server (by port) acknowledged it, and the longest time between two
 * acknowledgements (the write gap of a switchover or a failover).
 */
final class SteadyWriter implements AutoCloseable {
    static final String TABLE = "ticks";
    private static final long INTERVAL_NANOS = Duration.ofMillis(10).toNanos();

    private final String url;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steady-writer");
        t.setDaemon(true);
        return t;
    });
    private final List<Long> acknowledged = new ArrayList<>(); // guarded by this
    private final List<Long> ackTimes = new ArrayList<>(); // guarded by this, System.nanoTime()
    private final List<Integer> ackPorts = new ArrayList<>(); // guarded by this
    private final Set<Long> reportedMissing = new TreeSet<>(); // guarded by this
    private long next = 1; // writer thread only
    private @Nullable Connection connection; // writer thread only
    private int connectedPort; // writer thread only: the port of connection's server

    /** @param ports the ports of both databases, on 127.0.0.1 */
    SteadyWriter(int... ports) {
        StringBuilder hosts = new StringBuilder();
        for (int port : ports) {
            hosts.append(hosts.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
        }
        this.url = "jdbc:postgresql://" + hosts + "/postgres?user=postgres&targetServerType=primary"
                + "&connectTimeout=2&socketTimeout=5&loginTimeout=5";
    }

    /** Creates the table on {@code primaryUrl} and starts writing. */
    SteadyWriter start(String primaryUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(primaryUrl, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
        }
        // A fixed rate, not a sleep: an insert that takes long (a reconnect) delays the next ones only.
        writer.scheduleAtFixedRate(this::writeOne, 0, INTERVAL_NANOS, TimeUnit.NANOSECONDS);
        return this;
    }

    /** One insert, on the writer's thread; reconnects first when the last server went away. */
    private void writeOne() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url);
                connectedPort = serverPort(connection);
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (id) VALUES (?)")) {
                insert.setLong(1, next);
                insert.executeUpdate(); // autocommit: returning means acknowledged
            }
            synchronized (this) {
                acknowledged.add(next);
                ackTimes.add(System.nanoTime());
                ackPorts.add(connectedPort);
            }
        } catch (SQLException e) {
            // The row may or may not be there; it is not counted as acknowledged.
            closeConnection();
        }
        next++;
    }

    /** The port of the server {@code c} reached: the multi-host URL does not say which. */
    private static int serverPort(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT inet_server_port()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server went away
            }
            connection = null;
        }
    }

    /** The id of the last insert acknowledged so far; 0 before the first. */
    synchronized long lastAcknowledged() {
        return acknowledged.isEmpty() ? 0 : acknowledged.get(acknowledged.size() - 1);
    }

    /** How many inserts were acknowledged so far. */
    synchronized int acknowledgedCount() {
        return acknowledged.size();
    }

    /**
     * When ({@code System.nanoTime()}) the server on {@code port} first acknowledged an insert at or
     * after {@code fromNanos}; empty when it has not yet.
     */
    synchronized OptionalLong firstAcknowledgedOn(int port, long fromNanos) {
        for (int i = 0; i < ackTimes.size(); i++) {
            if (ackTimes.get(i) >= fromNanos && ackPorts.get(i) == port) {
                return OptionalLong.of(ackTimes.get(i));
            }
        }
        return OptionalLong.empty();
    }

    /** The longest time without an acknowledged insert between {@code fromNanos} and {@code toNanos}. */
    synchronized Duration longestGap(long fromNanos, long toNanos) {
        long longest = 0;
        long previous = fromNanos;
        for (long at : ackTimes) {
            if (at < fromNanos) {
                continue;
            }
            if (at > toNanos) {
                longest = Math.max(longest, at - previous);
                previous = -1;
                break;
            }
            longest = Math.max(longest, at - previous);
            previous = at;
        }
        if (previous >= 0) {
            longest = Math.max(longest, toNanos - previous);
        }
        return Duration.ofNanos(longest);
    }

    /**
     * The ids acknowledged before this call that {@code primaryUrl}'s table lacks. Safe while the
     * writer runs: ids acknowledged during the query are not counted.
     */
    List<Long> missingOn(String primaryUrl) throws SQLException {
        List<Long> before;
        synchronized (this) {
            before = new ArrayList<>(acknowledged);
        }
        Set<Long> present = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(primaryUrl, "postgres", "");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT id FROM " + TABLE)) {
            while (rows.next()) {
                present.add(rows.getLong(1));
            }
        }
        List<Long> missing = new ArrayList<>();
        for (long id : before) {
            if (!present.contains(id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    /**
     * The ids {@link #missingOn} finds that no earlier call of this method returned: what one
     * switchover or failover lost, when each is followed by a call. Ids lost once stay lost, as a
     * rewound old primary no longer has them either.
     */
    List<Long> newlyMissingOn(String primaryUrl) throws SQLException {
        List<Long> missing = missingOn(primaryUrl);
        synchronized (this) {
            List<Long> fresh =
                    missing.stream().filter(id -> !reportedMissing.contains(id)).toList();
            reportedMissing.addAll(fresh);
            return fresh;
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (writer.awaitTermination(10, TimeUnit.SECONDS)) {
                closeConnection(); // the writer's thread has ended: nothing else touches it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
