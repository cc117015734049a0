package io.understudy.core.api;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code PATCH /api/v1/configurations/{name}}: the settings to change; a key left out
 * keeps its value.
 *
 * @param archiveTimeoutSeconds for WAL shipping, the primary's {@code archive_timeout} in seconds
 *     (1 to 86400): it bounds how stale the standby may be on a quiet primary
 */
public record ConfigurationChange(@Nullable Integer archiveTimeoutSeconds) {}
