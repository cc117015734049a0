package io.understudy.center.orchestrator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The version of each agent's goals, in memory, so that an agent waiting on {@code GET
 * /api/v1/agents/{name}/goals/version} learns at once that its goals changed (DESIGN.md: a goal
 * reaches its agent at once, not at its next tick). Versions start from a number of this process's
 * own, so that after a restart of the Control Center every agent sees a change and reports.
 * Thread-safe.
 */
public final class GoalSignals {
    private final long base = System.nanoTime();
    private final Map<String, Long> versions = new HashMap<>(); // guarded by this
    private final Map<String, List<CompletableFuture<Long>>> waiting = new HashMap<>(); // guarded by this

    /** The current version of {@code agent}'s goals. */
    public synchronized long version(String agent) {
        return base + versions.getOrDefault(agent, 0L);
    }

    /** Records that a goal of {@code agent} changed (after its transaction committed) and wakes its watch. */
    public void changed(String agent) {
        List<CompletableFuture<Long>> woken;
        long now;
        synchronized (this) {
            versions.merge(agent, 1L, Long::sum);
            now = version(agent);
            woken = waiting.remove(agent);
        }
        if (woken != null) {
            woken.forEach(f -> f.complete(now));
        }
    }

    /**
     * The version of {@code agent}'s goals once it differs from {@code known}: at once when it
     * does already, else when it changes, else after {@code wait} (then the version unchanged).
     */
    public CompletableFuture<Long> await(String agent, long known, Duration wait) {
        synchronized (this) {
            long current = version(agent);
            if (current != known) {
                return CompletableFuture.completedFuture(current);
            }
            List<CompletableFuture<Long>> list = waiting.computeIfAbsent(agent, a -> new ArrayList<>());
            list.removeIf(CompletableFuture::isDone);
            CompletableFuture<Long> future = new CompletableFuture<>();
            list.add(future);
            return future.completeOnTimeout(current, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
