package io.understudy.center.store;

import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The latest observation of one database, keyed by its agent and data directory. This is reported
 * state only; goal states live elsewhere.
 *
 * @param agent the agent that manages it
 * @param dataDirectory its data directory on the agent's host
 * @param port its port
 * @param majorVersion major version from {@code PG_VERSION}
 * @param serverVersion full server version when it was up
 * @param up whether it accepted connections
 * @param running whether its postmaster ran, even without taking connections (a warm standby)
 * @param role its role as observed
 * @param reason why it is down or not fully up
 * @param currentLsn WAL write position on a primary, PostgreSQL's text form
 * @param receivedLsn WAL received on a standby
 * @param replayedLsn WAL replayed on a standby
 * @param systemIdentifier the cluster's system identifier
 * @param observedAt when the report holding this observation arrived, by the Control Center's clock
 */
public record DatabaseRecord(
        String agent,
        String dataDirectory,
        int port,
        String majorVersion,
        @Nullable String serverVersion,
        boolean up,
        boolean running,
        Role role,
        @Nullable String reason,
        @Nullable String currentLsn,
        @Nullable String receivedLsn,
        @Nullable String replayedLsn,
        @Nullable String systemIdentifier,
        Instant observedAt) {

    /** The same database, no longer observed: down, with {@code why}; it was last observed when it was. */
    public DatabaseRecord notObserved(String why) {
        return new DatabaseRecord(
                agent,
                dataDirectory,
                port,
                majorVersion,
                serverVersion,
                false,
                false,
                role,
                why,
                currentLsn,
                receivedLsn,
                replayedLsn,
                systemIdentifier,
                observedAt);
    }

    /** How users name it: {@code AGENT:PORT}. */
    public DatabaseId id() {
        return new DatabaseId(agent, port);
    }
}
