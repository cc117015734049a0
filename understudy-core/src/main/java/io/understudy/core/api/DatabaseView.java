package io.understudy.core.api;

import io.understudy.core.database.Role;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One database as the API shows it: the latest observation of its agent.
 *
 * @param id {@code AGENT:PORT}, how users name it
 * @param agent the agent that manages it
 * @param host the agent's host
 * @param port its port
 * @param dataDirectory its data directory on the agent's host
 * @param version the full server version when known, else the major version
 * @param role its role
 * @param up true when it accepts connections and its agent is online
 * @param reason why it is not up; null when up
 * @param currentLsn WAL write position on a primary
 * @param receivedLsn WAL received on a standby
 * @param replayedLsn WAL replayed on a standby
 * @param observedAt when its agent last observed it
 */
public record DatabaseView(
        String id,
        String agent,
        String host,
        int port,
        String dataDirectory,
        String version,
        Role role,
        boolean up,
        @Nullable String reason,
        @Nullable String currentLsn,
        @Nullable String receivedLsn,
        @Nullable String replayedLsn,
        Instant observedAt) {}
