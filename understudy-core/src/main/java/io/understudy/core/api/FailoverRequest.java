package io.understudy.core.api;

/**
 * The body of {@code POST /api/v1/configurations/{name}/failover}.
 *
 * @param confirm the user confirms the failover: the standby is promoted whatever the primary's
 *     state, and the old primary is FENCED until it is reinstated
 */
public record FailoverRequest(boolean confirm) {}
