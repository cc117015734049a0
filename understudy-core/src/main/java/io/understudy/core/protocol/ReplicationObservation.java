package io.understudy.core.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an agent sees of replication at one database: on a primary, the standbys connected and
 * its slots; on a hot standby, its WAL receiver and replay. Empty lists and nulls where the
 * database is down or does not take queries.
 *
 * @param dataDirectory the database's data directory
 * @param replicas rows of {@code pg_stat_replication}
 * @param slots physical replication slots
 * @param walReceiverStatus on a hot standby, {@code pg_stat_wal_receiver.status}
 * @param replayPaused on a hot standby, {@code pg_is_wal_replay_paused()}
 * @param lastReplayedTransactionAgeMillis on a hot standby, how old the last replayed
 *     transaction is ({@code now() - pg_last_xact_replay_timestamp()})
 * @param archiver on a primary, its WAL archiver; null when not observed
 * @param walArchive on a WAL-shipping standby, its WAL archive; null when it has none
 */
public record ReplicationObservation(
        String dataDirectory,
        List<ReplicaConnection> replicas,
        List<SlotObservation> slots,
        @Nullable String walReceiverStatus,
        @Nullable Boolean replayPaused,
        @Nullable Long lastReplayedTransactionAgeMillis,
        @Nullable ArchiverObservation archiver,
        @Nullable WalArchiveObservation walArchive) {
    public ReplicationObservation {
        replicas = List.copyOf(replicas);
        slots = List.copyOf(slots);
    }

    /** An observation without WAL archiving facts. */
    public ReplicationObservation(
            String dataDirectory,
            List<ReplicaConnection> replicas,
            List<SlotObservation> slots,
            @Nullable String walReceiverStatus,
            @Nullable Boolean replayPaused,
            @Nullable Long lastReplayedTransactionAgeMillis) {
        this(
                dataDirectory,
                replicas,
                slots,
                walReceiverStatus,
                replayPaused,
                lastReplayedTransactionAgeMillis,
                null,
                null);
    }

    /** This observation with the standby's WAL archive. */
    public ReplicationObservation withWalArchive(@Nullable WalArchiveObservation archive) {
        return new ReplicationObservation(
                dataDirectory,
                replicas,
                slots,
                walReceiverStatus,
                replayPaused,
                lastReplayedTransactionAgeMillis,
                archiver,
                archive);
    }

    /** Nothing seen: the database is down or takes no queries. */
    public static ReplicationObservation none(String dataDirectory) {
        return new ReplicationObservation(dataDirectory, List.of(), List.of(), null, null, null);
    }
}
