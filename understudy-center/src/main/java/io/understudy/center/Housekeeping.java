package io.understudy.center;

import io.understudy.center.auth.Sessions;
import io.understudy.center.monitor.LagHistory;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.orchestrator.Orchestrator;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Control Center's background loop: every {@link #PERIOD} it checks agents' liveness and runs
 * the orchestrator's rules for every Configuration (so an agent going offline is noticed without a
 * report); now and then it removes expired sessions and prunes the lag history. A failing tick is
 * logged and the next one runs anyway: an exception that escaped would cancel every later tick
 * (STYLE.md 2.5).
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    static final Duration PERIOD = Duration.ofMillis(250);
    private static final Duration SESSION_SWEEP = Duration.ofMinutes(1);
    private static final Duration LAG_PRUNE = Duration.ofMinutes(1);
    /** A tick starting this much later than planned means the JVM was starved or the clock jumped. */
    private static final Duration LATE = Duration.ofSeconds(2);

    private final Monitor monitor;
    private final Orchestrator orchestrator;
    private final LagHistory lagHistory;
    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private long lastTickEnd = System.nanoTime();
    private long lastSessionSweep = System.nanoTime();
    private long lastLagPrune = System.nanoTime() - LAG_PRUNE.toNanos();
    private int failedTicks;
    private volatile @Nullable ScheduledFuture<?> ticks;

    Housekeeping(Monitor monitor, Orchestrator orchestrator, LagHistory lagHistory, Sessions sessions) {
        this.monitor = monitor;
        this.orchestrator = orchestrator;
        this.lagHistory = lagHistory;
        this.sessions = sessions;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "understudy-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        lastTickEnd = System.nanoTime();
        ticks = scheduler.scheduleWithFixedDelay(this::tick, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One tick; never throws. Runs on the scheduler's single thread only. */
    void tick() {
        long started = System.nanoTime();
        long late = started - lastTickEnd - PERIOD.toNanos();
        if (late > LATE.toNanos()) {
            log.warn(
                    "housekeeping tick started {} ms late: thread starvation or a clock leap",
                    TimeUnit.NANOSECONDS.toMillis(late));
        }
        MDC.put("op", "housekeeping");
        try {
            runOnce(started);
            if (failedTicks > 0) {
                log.info("housekeeping works again after {} failed tick(s)", failedTicks);
                failedTicks = 0;
            }
        } catch (RuntimeException e) {
            failedTicks++;
            if (failedTicks == 1) {
                log.error("housekeeping tick failed; retrying every {} ms", PERIOD.toMillis(), e);
            } else {
                log.debug("housekeeping tick failed again ({} in a row): {}", failedTicks, e.toString());
            }
        } finally {
            MDC.remove("op");
            lastTickEnd = System.nanoTime();
        }
    }

    private void runOnce(long now) {
        monitor.checkLiveness();
        orchestrator.reconsiderAll();
        if (now - lastLagPrune >= LAG_PRUNE.toNanos()) {
            lastLagPrune = now;
            int pruned = lagHistory.prune();
            if (pruned > 0) {
                log.debug("pruned {} lag point(s)", pruned);
            }
        }
        if (now - lastSessionSweep >= SESSION_SWEEP.toNanos()) {
            lastSessionSweep = now;
            int removed = sessions.removeExpired();
            if (removed > 0) {
                log.debug("removed {} expired session(s)", removed);
            }
        }
    }

    /** Stops the loop, waiting up to 5 s for a running tick. Idempotent. */
    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("housekeeping did not stop within 5 s; interrupting it");
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
