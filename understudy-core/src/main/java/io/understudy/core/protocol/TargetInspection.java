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
 */
public record TargetInspection(
        boolean exists,
        boolean empty,
        boolean holdsCluster,
        @Nullable String majorVersion,
        boolean running,
        @Nullable String systemIdentifier) {}
