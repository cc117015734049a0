package io.understudy.engine;

import io.understudy.core.protocol.DatabaseObservation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
