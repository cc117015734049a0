package io.understudy.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * What an agent observed of its databases on one tick.
 *
 * @param agentName who reports
 * @param pid the agent's OS process id (it changes when the agent restarts)
 * @param observedAt when the agent took the observations, by its own clock
 * @param databases one observation per managed data directory, in the agent's order
 */
public record AgentReport(String agentName, long pid, Instant observedAt, List<DatabaseObservation> databases) {
    public AgentReport {
        databases = List.copyOf(databases);
    }
}
