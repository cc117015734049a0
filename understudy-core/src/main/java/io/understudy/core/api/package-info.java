/**
 * The bodies of the public REST API ({@code /api/v1}), shared by the Control Center, which
 * produces them, and the CLI, which reads them. Keys are camelCase, as the records' components.
 *
 * <p>Key types: {@link io.understudy.core.api.AgentView}, {@link
 * io.understudy.core.api.DatabaseView}, {@link io.understudy.core.api.ApiError}. Values only.
 */
@NullMarked
package io.understudy.core.api;

import org.jspecify.annotations.NullMarked;
