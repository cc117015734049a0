package io.understudy.core.api;

/**
 * Body of {@code POST /api/v1/configurations/{name}/standby}.
 *
 * @param replaceExisting the user confirms that a cluster already at the target may be replaced
 */
public record CreateStandbyRequest(boolean replaceExisting) {}
