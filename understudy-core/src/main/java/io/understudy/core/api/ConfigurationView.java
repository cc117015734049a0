package io.understudy.core.api;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A Configuration as the API shows it.
 *
 * @param name its name
 * @param primary the primary database's id
 * @param standby where its standby is or will be
 * @param method how the standby is fed
 * @param mode HOT or WARM
 * @param epoch its primary term, 1 at creation
 * @param standbyCreated whether a standby has been created for it
 * @param createdAt when it was created
 * @param activeOperationId the operation running on it, if any
 * @param archiveTimeoutSeconds the primary's {@code archive_timeout} for WAL shipping: the longest
 *     a quiet primary keeps WAL before it is shipped
 */
public record ConfigurationView(
        String name,
        String primary,
        StandbyTarget standby,
        ReplicationMethod method,
        StandbyMode mode,
        long epoch,
        boolean standbyCreated,
        Instant createdAt,
        @Nullable String activeOperationId,
        long archiveTimeoutSeconds) {

    /** A view with the default archive timeout. */
    public ConfigurationView(
            String name,
            String primary,
            StandbyTarget standby,
            ReplicationMethod method,
            StandbyMode mode,
            long epoch,
            boolean standbyCreated,
            Instant createdAt,
            @Nullable String activeOperationId) {
        this(
                name,
                primary,
                standby,
                method,
                mode,
                epoch,
                standbyCreated,
                createdAt,
                activeOperationId,
                DEFAULT_ARCHIVE_TIMEOUT_SECONDS);
    }

    /** PostgreSQL's docs suggest a minute: a quiet primary ships at least a WAL file a minute. */
    public static final long DEFAULT_ARCHIVE_TIMEOUT_SECONDS = 60;
}
