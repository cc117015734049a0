package io.understudy.agent;

import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.ActionProgress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent's one long action at a time (a base backup, a primary's preparation), on a thread of
 * its own so that the loop keeps reporting while it runs, after Patroni's {@code AsyncExecutor}
 * (STYLE.md 2.6). It keeps the latest progress the action reported, for the reports. An action
 * that throws, an {@link Error} included, does not stop later ones: its failure is logged and kept,
 * never taken for success. Thread-safe.
 */
final class LongAction implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LongAction.class);

    /** The work of an action; reports its progress to {@code progress}. */
    @FunctionalInterface
    interface Work {
        void run(Consumer<ActionProgress> progress);
    }

    /**
     * The action that runs now.
     *
     * @param name what it does, e.g. {@code create the standby at /srv/db2 (sales)}
     * @param progress the latest progress it reported, or {@code starting} before any
     */
    record Running(String name, ActionProgress progress) {}

    /**
     * How the last action ended.
     *
     * @param name its name
     * @param failure why it failed, when it threw anything (an {@link Error} too); null only when
     *     it returned
     * @param finishedAt when it ended
     */
    record Outcome(String name, @Nullable String failure, Instant finishedAt) {}

    private final InstantSource clock;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private @Nullable Running running; // guarded by lock
    private @Nullable Outcome last; // guarded by lock

    LongAction(InstantSource clock) {
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agent-long-action");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code work} on the action's thread, unless another action runs. Returns at once.
     * The caller's MDC travels with the work.
     *
     * @return empty when it started; the name of the action that runs, when one does
     * @throws IllegalStateException when the agent is shutting down
     */
    Optional<String> trySubmit(String name, Work work) {
        synchronized (lock) {
            if (running != null) {
                return Optional.of(running.name());
            }
            running = new Running(name, new ActionProgress(name, "starting", 0, 0, clock.instant()));
        }
        Map<String, String> context = MDC.getCopyOfContextMap();
        try {
            executor.execute(() -> run(name, work, context));
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                running = null;
            }
            throw new IllegalStateException("the agent is shutting down; cannot start " + name, e);
        }
        return Optional.empty();
    }

    /** The action that runs now; empty when none does. */
    Optional<Running> running() {
        synchronized (lock) {
            return Optional.ofNullable(running);
        }
    }

    /** How the last action ended; empty before the first has ended. */
    Optional<Outcome> lastOutcome() {
        synchronized (lock) {
            return Optional.ofNullable(last);
        }
    }

    private void run(String name, Work work, @Nullable Map<String, String> context) {
        if (context != null) {
            MDC.setContextMap(context);
        }
        String failure = null;
        try {
            work.run(progress -> progressed(name, progress));
        } catch (UnderstudyException e) {
            failure = String.valueOf(e.getMessage());
            log.warn("{} failed: {}", name, failure);
        } catch (Throwable e) { // a bug, or an Error: say where, once, and never count it as done
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.error("{} failed unexpectedly", name, e);
        } finally {
            synchronized (lock) {
                last = new Outcome(name, failure, clock.instant());
                running = null;
            }
            MDC.clear();
        }
    }

    private void progressed(String name, ActionProgress progress) {
        synchronized (lock) {
            if (running != null && running.name().equals(name)) {
                running = new Running(name, progress);
            }
        }
    }

    /**
     * Interrupts the running action and waits a few seconds for it to end. What it had started
     * outside this process (a base backup) is left to the engine's own timeout.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                running().ifPresent(r -> log.warn("{} still runs as the agent stops", r.name()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
