package io.understudy.core.protocol;

import org.jspecify.annotations.Nullable;

/**
 * One row of the primary's {@code pg_stat_replication}: a standby connected to it. LSNs in
 * PostgreSQL's text form.
 *
 * @param applicationName the standby's application_name
 * @param clientAddress where it connects from
 * @param state {@code streaming}, {@code catchup}, {@code startup} or {@code backup}
 * @param sentLsn WAL sent to it
 * @param writeLsn WAL it has written
 * @param flushLsn WAL it has flushed
 * @param replayLsn WAL it has replayed
 * @param replayLagMillis {@code replay_lag} in milliseconds, when known
 * @param syncState {@code async}, {@code sync}, {@code potential} or {@code quorum}
 */
public record ReplicaConnection(
        String applicationName,
        @Nullable String clientAddress,
        String state,
        @Nullable String sentLsn,
        @Nullable String writeLsn,
        @Nullable String flushLsn,
        @Nullable String replayLsn,
        @Nullable Long replayLagMillis,
        String syncState) {}
