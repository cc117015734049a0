package io.understudy.core.protocol;

/**
 * The primary's lease (DESIGN.md, invariant 1), sent while automatic failover is on, in the goals
 * of both databases of a Configuration. The primary's agent holds the lease: every reply of the
 * Control Center to its report renews it, and while the Control Center does not answer it renews it
 * with the standby's agent, which then promises not to be promoted for as long. When it can renew
 * with neither, it fences its database before the lease runs out. The standby's agent also watches
 * the primary's port for the Control Center's second opinion.
 *
 * @param holder whether this goal's database holds the lease (the Configuration's primary, until
 *     it is stopped by a switchover or fenced by a failover); false for the standby, which renews it
 * @param durationMillis how long one renewal lasts, counted by the primary's agent from the moment
 *     it asked; the Control Center promotes only after the last one it granted has run out
 * @param intervalMillis the observer's check interval: how often the agents report and the standby
 *     watches the primary
 * @param peerAgentAddress {@code host:port} of the other database's agent endpoint: for the
 *     primary, where it renews the lease when the Control Center does not answer
 * @param secret the bearer token the agents of this Configuration accept from each other
 */
public record LeaseSpec(
        boolean holder, long durationMillis, long intervalMillis, String peerAgentAddress, Secret secret) {}
