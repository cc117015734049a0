package io.understudy.center.store;

import java.time.Instant;

/**
 * The last lease the Control Center granted to a Configuration's primary (DESIGN.md, invariant 1).
 *
 * @param holder the member that holds it, as users name it ({@code AGENT:PORT})
 * @param epoch the epoch it was granted in
 * @param expiresAt when it runs out, by the Control Center's clock; the agent counts it from the
 *     moment it sent the report, so its own runs out no later
 */
public record LeaseRecord(String holder, long epoch, Instant expiresAt) {}
