package io.understudy.core.protocol;

import io.understudy.core.database.Role;
import org.jspecify.annotations.Nullable;

/**
 * What an agent sees of one database it manages. LSNs are in PostgreSQL's text form.
 *
 * @param dataDirectory absolute path of the data directory
 * @param port the port it listens on (or will, when started)
 * @param majorVersion the major version from {@code PG_VERSION}, e.g. {@code 15}
 * @param serverVersion the full server version when it is up, e.g. {@code 15.8}
 * @param up true when it accepts connections
 * @param role its role, from {@code pg_is_in_recovery()} when up, from its signal files when down
 * @param reason why it is down (or not fully up); null when up
 * @param currentLsn {@code pg_current_wal_lsn()} on a primary
 * @param receivedLsn {@code pg_last_wal_receive_lsn()} on a standby
 * @param replayedLsn {@code pg_last_wal_replay_lsn()} on a standby
 * @param systemIdentifier the cluster's system identifier from its control file
 * @param running true when its postmaster runs, even if it takes no connections (a warm
 *     standby, a server starting up or shutting down)
 */
public record DatabaseObservation(
        String dataDirectory,
        int port,
        String majorVersion,
        @Nullable String serverVersion,
        boolean up,
        Role role,
        @Nullable String reason,
        @Nullable String currentLsn,
        @Nullable String receivedLsn,
        @Nullable String replayedLsn,
        @Nullable String systemIdentifier,
        boolean running) {

    /** An observation where running means up: a database that is up runs, and one that is down does not. */
    public DatabaseObservation(
            String dataDirectory,
            int port,
            String majorVersion,
            @Nullable String serverVersion,
            boolean up,
            Role role,
            @Nullable String reason,
            @Nullable String currentLsn,
            @Nullable String receivedLsn,
            @Nullable String replayedLsn,
            @Nullable String systemIdentifier) {
        this(
                dataDirectory,
                port,
                majorVersion,
                serverVersion,
                up,
                role,
                reason,
                currentLsn,
                receivedLsn,
                replayedLsn,
                systemIdentifier,
                up);
    }
}
