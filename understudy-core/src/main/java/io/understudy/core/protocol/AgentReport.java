package io.understudy.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * What an agent observed of its databases on one tick.
 *
 * @param agentName who reports
 * @param pid the agent's OS process id (it changes when the agent restarts)
 * @param observedAt when the agent took the observations, by its own clock
 * @param databases one observation per database it observes, in the agent's order
 * @param replication what it sees of replication at those databases
 * @param nodes the state it has reached towards each goal it holds
 * @param installedMajorVersions the PostgreSQL major versions installed on its host, e.g. 15
 */
public record AgentReport(
        String agentName,
        long pid,
        Instant observedAt,
        List<DatabaseObservation> databases,
        List<ReplicationObservation> replication,
        List<NodeStatus> nodes,
        List<String> installedMajorVersions) {
    public AgentReport {
        databases = List.copyOf(databases);
        replication = List.copyOf(replication);
        nodes = List.copyOf(nodes);
        installedMajorVersions = List.copyOf(installedMajorVersions);
    }

    /** A report of observations only: no replication, no goals. */
    public AgentReport(String agentName, long pid, Instant observedAt, List<DatabaseObservation> databases) {
        this(agentName, pid, observedAt, databases, List.of(), List.of(), List.of());
    }
}
