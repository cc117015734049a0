package io.understudy.engine;

import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReplicationSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One database the agent manages. Implementations are safe for use by one thread at a time;
 * the agent's loop is that thread.
 */
public interface Instance extends AutoCloseable {

    /**
     * Observes the database: up or down (and why), role, version, port, WAL positions.
     *
     * <p>Never throws because the database is down: reports it down with the reason. Returns
     * within the probe timeout of its {@link InstanceConfig}.
     */
    DatabaseObservation observe();

    /**
     * Observes replication at the database: on a primary, the standbys streaming from it and its
     * replication slots; on a hot standby, its WAL receiver and replay. Never throws: returns
     * {@link ReplicationObservation#none} when the database is down or takes no queries. Returns
     * within the probe timeout.
     */
    ReplicationObservation observeReplication();

    /**
     * Prepares this primary for the standby {@code replication} describes: a login role with the
     * REPLICATION attribute and the given password, a pg_hba entry for the standby's address,
     * the physical replication slot, and the settings replication and a later rewind need
     * ({@code wal_level} at least replica, {@code wal_log_hints}, enough WAL senders and slots).
     * Reloads the configuration; when a changed setting needs a restart, calls {@code
     * beforeRestart} with a sentence naming the settings, then restarts. Idempotent: a second call
     * changes nothing and does not restart. Blocks at most {@code timeout}.
     *
     * @throws EngineException TRANSIENT when the database is down; PERMANENT when it is not a
     *     primary or refuses a change
     */
    PreparedPrimary prepareForStandby(ReplicationSpec replication, Consumer<String> beforeRestart, Duration timeout);

    /**
     * The location of the checkpoint that the database's last clean shutdown wrote, from its
     * control file; empty when it runs, or when it was not shut down cleanly (it crashed, or it
     * was shut down in recovery). A standby that has replayed past it holds all the old primary
     * wrote. Blocks at most the probe timeout.
     *
     * @throws EngineException PERMANENT when the control file cannot be read
     */
    Optional<String> shutdownCheckpoint();

    /**
     * Promotes this standby and waits until it accepts writes (a hot standby) or has left
     * recovery (a warm one). When {@code afterLsn} is given, first waits until the standby has
     * replayed past that WAL position (a hot standby; a warm one takes no queries, and relies on
     * its primary's clean shutdown, which waits for its connected standbys to receive all its
     * WAL). Idempotent: returns at once when it is no longer in recovery. Blocks at most {@code
     * timeout}.
     *
     * @throws EngineException TRANSIENT when it is down, or has not replayed to {@code afterLsn}
     *     or left recovery within {@code timeout}; PERMANENT when it is not a standby
     */
    void promote(@Nullable String afterLsn, Duration timeout);

    /**
     * Starts the database and waits until it accepts connections. Idempotent: returns at once if
     * it is already up.
     *
     * @throws EngineException if it does not come up within {@code timeout}, with the tail of its
     *     log
     */
    void start(Duration timeout);

    /**
     * Stops the database and waits until it is down. Idempotent: returns at once if it is down.
     *
     * @throws EngineException if it is still up after {@code timeout}
     */
    void stop(StopMode mode, Duration timeout);

    /**
     * Stops the database from accepting writes at once, whatever state it is in, frozen included:
     * its server process and every process of it are killed (SIGKILL), so no session commits
     * anything after this returns. The next start runs crash recovery. Idempotent: does nothing when
     * it does not run. For an agent whose primary's lease runs out (DESIGN.md, invariant 1).
     *
     * @return whether it ran and was killed
     */
    boolean fence();

    /**
     * Restarts the database (a fast stop, then a start) and waits until it accepts connections.
     *
     * @throws EngineException as {@link #start} and {@link #stop}
     */
    void restart(Duration timeout);

    /**
     * Runs one SQL statement that returns rows, with positional {@code ?} parameters, and returns
     * each row as column name to value, in order. Blocks at most the probe timeout to connect.
     *
     * @throws EngineException classified by SQLState: TRANSIENT when the database is down or
     *     starting, PERMANENT for a bad statement or credentials
     */
    List<Map<String, @Nullable Object>> query(String sql, Object... parameters);

    /**
     * Runs one SQL statement that returns no rows and returns the update count.
     *
     * @throws EngineException as {@link #query}
     */
    long execute(String sql, Object... parameters);

    /** Releases connections. Does not stop the database. Idempotent. */
    @Override
    void close();
}
