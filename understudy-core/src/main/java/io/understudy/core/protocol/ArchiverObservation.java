package io.understudy.core.protocol;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a primary's WAL archiver is doing ({@code pg_stat_archiver}, the archive settings, and the
 * WAL files waiting in {@code archive_status}). The archive command itself is never sent: it may
 * hold a secret; only whether it is set and whether it is Understudy's.
 *
 * @param archiveMode {@code archive_mode}: {@code off}, {@code on} or {@code always}
 * @param archiveCommandSet whether {@code archive_command} (or {@code archive_library}) is set and in
 *     effect (archive_mode is not off)
 * @param archiveCommandOurs whether {@code archive_command} is the one Understudy writes
 * @param archiveTimeoutSeconds {@code archive_timeout} in seconds, 0 when off
 * @param lastArchivedWal the last WAL file archived (for Understudy's command: shipped and stored
 *     on the standby's host)
 * @param lastArchivedAt when it was archived
 * @param lastFailedWal the last WAL file whose archiving failed
 * @param lastFailedAt when that failed
 * @param failedCount how many attempts failed since the statistics were reset
 * @param walFilesNotArchived WAL files complete on the primary and not archived yet ({@code .ready})
 */
public record ArchiverObservation(
        String archiveMode,
        boolean archiveCommandSet,
        boolean archiveCommandOurs,
        long archiveTimeoutSeconds,
        @Nullable String lastArchivedWal,
        @Nullable Instant lastArchivedAt,
        @Nullable String lastFailedWal,
        @Nullable Instant lastFailedAt,
        long failedCount,
        long walFilesNotArchived) {

    /** Whether archiving fails now: the last attempt failed, later than the last success. */
    public boolean failing() {
        return lastFailedAt != null && (lastArchivedAt == null || lastFailedAt.isAfter(lastArchivedAt));
    }
}
