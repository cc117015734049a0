package io.understudy.center.orchestrator;

import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.PrimaryView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the observer needs of the agents' reports, kept in memory as they arrive: when each
 * database was last reported up (accepting connections), and the standby's agent's view of its
 * primary (the second opinion). A restarted Control Center starts from nothing, so it waits a full
 * round of checks before it may declare a primary failed. Thread-safe.
 */
public final class PrimaryHealth {
    /** A standby's view of its primary, and when the Control Center received it. */
    record SecondOpinion(String agent, PrimaryView view, Instant receivedAt) {}

    /** An agent fenced its database by itself, at {@code at} by its clock. */
    record SelfFence(String agent, String configuration, String dataDirectory, Instant at) {}

    private final Map<String, Instant> lastUp = new ConcurrentHashMap<>();
    private final Map<String, Instant> selfFences = new ConcurrentHashMap<>();
    private final Queue<SelfFence> newSelfFences = new ConcurrentLinkedQueue<>();
    private final Map<String, SecondOpinion> opinions = new ConcurrentHashMap<>();

    /** Takes a report of {@code agent}, recorded at {@code at}. */
    void noted(String agent, AgentReport report, Instant at) {
        for (DatabaseObservation database : report.databases()) {
            if (database.up()) {
                lastUp.put(key(agent, database.dataDirectory()), at);
            }
        }
        for (NodeStatus node : report.nodes()) {
            Instant fencedAt = node.selfFencedAt();
            if (fencedAt != null && !fencedAt.equals(selfFences.put(key(agent, node.dataDirectory()), fencedAt))) {
                newSelfFences.add(new SelfFence(agent, node.configuration(), node.dataDirectory(), fencedAt));
            }
            PrimaryView view = node.primaryView();
            if (view != null) {
                opinions.put(node.configuration(), new SecondOpinion(agent, view, at));
            }
        }
    }

    /** The self-fences reported since the last call, each once. */
    List<SelfFence> drainSelfFences() {
        List<SelfFence> drained = new ArrayList<>();
        for (SelfFence fence = newSelfFences.poll(); fence != null; fence = newSelfFences.poll()) {
            drained.add(fence);
        }
        return drained;
    }

    /** When the database at {@code dataDirectory} of {@code agent} was last reported up. */
    Optional<Instant> lastUp(String agent, String dataDirectory) {
        return Optional.ofNullable(lastUp.get(key(agent, dataDirectory)));
    }

    /** The last view the standby's agent of {@code configuration} reported of its primary. */
    Optional<SecondOpinion> opinion(String configuration) {
        return Optional.ofNullable(opinions.get(configuration));
    }

    private static String key(String agent, String dataDirectory) {
        return agent + "\u0000" + dataDirectory;
    }
}
