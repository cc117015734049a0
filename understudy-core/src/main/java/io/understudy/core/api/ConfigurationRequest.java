package io.understudy.core.api;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/configurations}. Method and mode are text so that a wrong one gets
 * an error naming the field and the allowed values.
 *
 * @param name the Configuration's name: letters, digits, {@code _} and {@code -}
 * @param primary the primary database's id, {@code AGENT:PORT}
 * @param standby where the standby goes
 * @param method {@code WAL_STREAMING} or {@code WAL_SHIPPING} (or {@code wal-streaming}, {@code
 *     wal-shipping})
 * @param mode {@code HOT} or {@code WARM}
 * @param archiveTimeoutSeconds for WAL shipping, the primary's {@code archive_timeout}: it bounds
 *     how stale the standby may be on a quiet primary; may be left out (60)
 */
public record ConfigurationRequest(
        String name,
        String primary,
        StandbyTarget standby,
        String method,
        String mode,
        @Nullable Integer archiveTimeoutSeconds) {

    /** A request with the default archive timeout. */
    public ConfigurationRequest(String name, String primary, StandbyTarget standby, String method, String mode) {
        this(name, primary, standby, method, mode, null);
    }
}
