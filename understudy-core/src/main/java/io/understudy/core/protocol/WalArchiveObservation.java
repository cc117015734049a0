package io.understudy.core.protocol;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the WAL archive of a WAL-shipping standby holds and how far its restore has got, read from
 * its files.
 *
 * @param lastReceivedWal the newest WAL segment received and stored
 * @param lastReceivedAt when it was stored
 * @param lastAppliedWal the last WAL segment the standby has replayed to its end (the one restored
 *     before the one it asks for now)
 * @param requestedWal the WAL segment the standby asked its archive for last (being replayed, or
 *     waited for)
 * @param walFilesNotApplied segments received and not replayed to their end yet
 * @param lastRefusal the last WAL file refused, and why (damaged, another system, different
 *     content from the copy stored); null when none was
 */
public record WalArchiveObservation(
        @Nullable String lastReceivedWal,
        @Nullable Instant lastReceivedAt,
        @Nullable String lastAppliedWal,
        @Nullable String requestedWal,
        long walFilesNotApplied,
        @Nullable String lastRefusal) {}
