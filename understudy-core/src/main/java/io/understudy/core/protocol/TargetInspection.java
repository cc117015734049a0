package io.understudy.core.protocol;

import org.jspecify.annotations.Nullable;

/**
 * What a standby target directory holds now, so that nothing there is replaced without the
 * user's confirmation.
 *
 * @param exists the directory exists
 * @param empty it exists and holds no file
 * @param holdsCluster it holds a PostgreSQL data directory
 * @param majorVersion that cluster's major version
 * @param running that cluster is running
 * @param systemIdentifier that cluster's system identifier, when readable
 * @param unfinishedCopy it holds an unfinished standby creation of Understudy's own (a base
 *     backup cut off), which a new creation cleans up without asking
 */
public record TargetInspection(
        boolean exists,
        boolean empty,
        boolean holdsCluster,
        @Nullable String majorVersion,
        boolean running,
        @Nullable String systemIdentifier,
        boolean unfinishedCopy) {

    /** An inspection of a directory that holds no unfinished copy of ours. */
    public TargetInspection(
            boolean exists,
            boolean empty,
            boolean holdsCluster,
            @Nullable String majorVersion,
            boolean running,
            @Nullable String systemIdentifier) {
        this(exists, empty, holdsCluster, majorVersion, running, systemIdentifier, false);
    }

    /** Whether creating a standby here replaces something the user has to confirm. */
    public boolean needsConfirmation() {
        return exists && !empty && !unfinishedCopy;
    }
}
