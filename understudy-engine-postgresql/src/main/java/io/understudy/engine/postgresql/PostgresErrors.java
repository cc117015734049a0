package io.understudy.engine.postgresql;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies PostgreSQL errors at the engine's edge by SQLState, never by message text (whose
 * language depends on {@code lc_messages}).
 */
public final class PostgresErrors {
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private PostgresErrors() {}

    /**
     * Whether the statement or connection that raised {@code e} may succeed if tried again. Uses
     * the first SQLState found in {@code e}, its next exceptions and its causes:
     *
     * <ul>
     *   <li>TRANSIENT: class {@code 08} (connection exception), {@code 57P01}-{@code 57P03}
     *       (shutting down, crash, cannot connect now), {@code 53300} (too many connections);
     *   <li>PERMANENT: everything else, e.g. class {@code 28} (authentication) and {@code 3D000}
     *       (no such database), syntax errors.
     * </ul>
     *
     * <p>Without any SQLState, an I/O error in the chain makes it TRANSIENT, else PERMANENT.
     */
    public static Failure classify(SQLException e) {
        String state = sqlState(e);
        if (state == null) {
            return cause(e, IOException.class).isPresent() ? Failure.TRANSIENT : Failure.PERMANENT;
        }
        return state.startsWith("08") || TRANSIENT_STATES.contains(state) ? Failure.TRANSIENT : Failure.PERMANENT;
    }

    /** The first SQLState in {@code e}, its next exceptions and causes; null when none has one. */
    public static @Nullable String sqlState(SQLException e) {
        for (Throwable t : chain(e)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The first throwable of {@code type} in {@code e}'s chain (next exceptions and causes). */
    public static <T extends Throwable> Optional<T> cause(SQLException e, Class<T> type) {
        return chain(e).stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /**
     * {@code e} as an engine failure: classified, its message prefixed with {@code context} and
     * its SQLState, {@code e} kept as the cause.
     */
    public static EngineException toEngineException(String context, SQLException e) {
        String state = sqlState(e);
        String message = context + ": " + e.getMessage() + (state == null ? "" : " (" + state + ")");
        return new EngineException(classify(e), message, e);
    }

    /** {@code e}, its next exceptions and their causes, breadth first, each once. */
    private static List<Throwable> chain(SQLException e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> order = new ArrayList<>();
        Deque<Throwable> queue = new ArrayDeque<>();
        queue.add(e);
        while (!queue.isEmpty()) {
            Throwable t = queue.removeFirst();
            if (!seen.add(t)) {
                continue;
            }
            order.add(t);
            if (t instanceof SQLException sql) {
                SQLException next = sql.getNextException();
                if (next != null) {
                    queue.add(next);
                }
            }
            Throwable cause = t.getCause();
            if (cause != null) {
                queue.add(cause);
            }
        }
        return order;
    }
}
