package io.understudy.core.api;

import org.jspecify.annotations.Nullable;

/**
 * A WAL-shipping standby in WAL-shipping terms, in {@code understudy status}: which WAL files were
 * shipped and applied, and the log gap on each side. Fields are null when not known (an agent
 * offline, a database down).
 *
 * @param lastShippedWal the last WAL file the primary shipped (archived, stored on the standby's host)
 * @param lastReceivedWal the newest WAL file in the standby's archive
 * @param lastAppliedWal the last WAL file the standby replayed to its end
 * @param walFilesNotShipped log gap on the primary: WAL files complete there and not shipped yet
 * @param walFilesNotApplied log gap on the standby: WAL files received and not replayed yet
 * @param stopped whether shipping has stopped: the primary's archive command fails (PostgreSQL
 *     keeps the files and retries; nothing is lost)
 * @param problem why it stopped, or the last WAL file the standby refused and why; null when none
 */
public record WalShippingStatus(
        @Nullable String lastShippedWal,
        @Nullable String lastReceivedWal,
        @Nullable String lastAppliedWal,
        @Nullable Long walFilesNotShipped,
        @Nullable Long walFilesNotApplied,
        boolean stopped,
        @Nullable String problem) {}
