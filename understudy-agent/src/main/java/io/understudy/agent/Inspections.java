package io.understudy.agent;

import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.DatabaseEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inspects standby targets ({@link DatabaseEngine#inspect}, which may run pg_controldata for
 * seconds) on probe threads, so that no inspection delays a report past the probes' deadline: one
 * that takes longer is reported by a later tick. A target is inspected when its goal changes, and
 * otherwise at most once every {@link #INTERVAL}; never twice at once.
 *
 * <p>The Control Center takes the arrival of an inspection for its time, so each inspection is
 * reported until a report carrying it is delivered, and only while the goal it was made for
 * holds; between inspections nothing is reported and the Control Center keeps the last one.
 *
 * <p>Used by the loop's thread only; the inspections themselves run on their own threads.
 */
final class Inspections {
    private static final Logger log = LoggerFactory.getLogger(Inspections.class);

    /** The least time between two inspections of a target whose goal has not changed. */
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private record Started(Goal goal, Instant at, Future<TargetInspection> result) {}

    private record Done(Goal goal, Instant at, TargetInspection inspection, boolean delivered) {}

    private final ExecutorService threads;
    private final InstantSource clock;
    private final Map<Path, Started> running = new HashMap<>();
    private final Map<Path, Done> done = new HashMap<>();
    private final Set<Path> failing = new HashSet<>();

    Inspections(ExecutorService threads, InstantSource clock) {
        this.threads = threads;
        this.clock = clock;
    }

    /**
     * Starts an inspection of each target that is due and not being inspected, with the engine
     * {@code engines} gives for it, and forgets the last inspection of a directory that is no
     * longer a target. Never blocks.
     *
     * @param targets the directories to inspect, with their goals
     */
    void start(Map<Path, Goal> targets, Function<Path, DatabaseEngine> engines) {
        done.keySet().retainAll(targets.keySet());
        Instant now = clock.instant();
        targets.forEach((dir, goal) -> {
            if (running.containsKey(dir) || !isDue(dir, goal, now)) {
                return;
            }
            DatabaseEngine engine = engines.apply(dir);
            running.put(dir, new Started(goal, now, threads.submit(() -> engine.inspect(dir))));
        });
    }

    private boolean isDue(Path dir, Goal goal, Instant now) {
        Done last = done.get(dir);
        return last == null
                || !last.goal().equals(goal)
                || !now.isBefore(last.at().plus(INTERVAL));
    }

    /**
     * Waits for the running inspections of targets until {@code end} (a {@link System#nanoTime()})
     * at most, and returns, for each target, its latest inspection that was made for its goal and
     * has not been delivered yet.
     */
    Map<Path, TargetInspection> collect(Map<Path, Goal> targets, long end) {
        for (Iterator<Map.Entry<Path, Started>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Started> entry = it.next();
            Path dir = entry.getKey();
            Started started = entry.getValue();
            try {
                long wait = targets.containsKey(dir) ? Math.max(0, end - System.nanoTime()) : 0;
                TargetInspection inspection = started.result().get(wait, TimeUnit.NANOSECONDS);
                it.remove();
                if (failing.remove(dir)) {
                    log.info("{} can be inspected again", dir);
                }
                if (targets.containsKey(dir)) {
                    done.put(dir, new Done(started.goal(), started.at(), inspection, false));
                }
            } catch (TimeoutException e) {
                log.debug("the inspection of {} still runs; reported by a later tick", dir);
            } catch (ExecutionException e) {
                it.remove();
                if (failing.add(dir)) { // a bug in the engine, which never throws here: say it once
                    log.error("inspection of {} failed unexpectedly", dir, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Map<Path, TargetInspection> fresh = new LinkedHashMap<>();
        targets.forEach((dir, goal) -> {
            Done last = done.get(dir);
            if (last != null && !last.delivered() && last.goal().equals(goal)) {
                fresh.put(dir, last.inspection());
            }
        });
        return fresh;
    }

    /** A report carrying the latest inspection of each of {@code directories} was delivered. */
    void delivered(Collection<Path> directories) {
        for (Path dir : directories) {
            done.computeIfPresent(dir, (d, last) -> new Done(last.goal(), last.at(), last.inspection(), true));
        }
    }

    /** Whether an inspection of {@code dir} runs now. */
    boolean isInspecting(Path dir) {
        Started started = running.get(dir);
        return started != null && !started.result().isDone();
    }

    /** Forgets the last inspection of {@code dir}: what it holds is about to change. */
    void forget(Path dir) {
        done.remove(dir);
    }
}
