package io.understudy.testkit;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters of this JVM not closed yet. A shutdown hook destroys them (SIGKILL to the
 * postmaster by process id, then the directory), so an aborted test run leaves no server behind.
 */
final class LiveClusters {
    private static final Set<PgCluster> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LiveClusters::destroyAll, "pgcluster-cleanup"));
    }

    private LiveClusters() {}

    static void register(PgCluster cluster) {
        LIVE.add(cluster);
    }

    static void forget(PgCluster cluster) {
        LIVE.remove(cluster);
    }

    private static void destroyAll() {
        for (PgCluster cluster : List.copyOf(LIVE)) {
            cluster.destroy();
        }
    }
}
