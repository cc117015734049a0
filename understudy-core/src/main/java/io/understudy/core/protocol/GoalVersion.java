package io.understudy.core.protocol;

/**
 * The answer to an agent's goal watch ({@code GET /api/v1/agents/{name}/goals/version}): a number
 * that changes whenever a goal of one of its databases changes. The agent reports at once when it
 * differs from the one it knew, instead of waiting for its next tick.
 *
 * @param version the current version; compare for equality only
 */
public record GoalVersion(long version) {}
