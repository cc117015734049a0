package io.understudy.agent;

import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.ReplicationObservation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes each database on a thread of its own, under one deadline, so that a database that
 * does not answer delays no report: the agent reports on time, and says of that database that it
 * did not answer. A probe still running at the next tick is waited for, never started twice, so
 * an {@link io.understudy.engine.Instance} is never used by two threads at once.
 */
final class Probes {
    private static final Logger log = LoggerFactory.getLogger(Probes.class);

    /**
     * What one probe saw: the database, and replication ({@link ReplicationObservation#none} where
     * it does not run); replication is null only when it is not known (the probe did not answer).
     */
    record Probe(DatabaseObservation database, @Nullable ReplicationObservation replication) {}

    private final Duration deadline;
    private final ExecutorService threads = threads();
    private final Map<Path, Future<Optional<Probe>>> inFlight = new ConcurrentHashMap<>();
    private final Map<Path, Probe> last = new ConcurrentHashMap<>();

    Probes(Duration deadline) {
        this.deadline = deadline;
    }

    /** Threads for work that must not delay a report (probes, inspections): daemons, as many as needed. */
    static ExecutorService threads() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "agent-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** The deadline of probes started now, in {@link System#nanoTime()}'s terms. */
    long deadlineFromNow() {
        return System.nanoTime() + deadline.toNanos();
    }

    /**
     * Probes every directory, in parallel, and returns by {@code end} (a {@link
     * System#nanoTime()}, see {@link #deadlineFromNow()}), plus a little: a database whose probe
     * has not ended by then is reported from its last probe, down, with the reason; one never
     * probed before is left out.
     */
    Map<Path, Probe> observe(Collection<Path> directories, Function<Path, Optional<Probe>> probe, long end) {
        for (Path dir : directories) {
            inFlight.computeIfAbsent(dir, d -> threads.submit(() -> probe.apply(d)));
        }
        Map<Path, Probe> seen = new LinkedHashMap<>();
        for (Path dir : directories) {
            Future<Optional<Probe>> future = inFlight.get(dir);
            if (future == null) {
                continue;
            }
            try {
                Optional<Probe> result = future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                inFlight.remove(dir);
                result.ifPresentOrElse(
                        p -> {
                            seen.put(dir, p);
                            last.put(dir, p);
                        },
                        () -> last.remove(dir));
            } catch (TimeoutException e) {
                Probe before = last.get(dir);
                if (before != null) {
                    seen.put(dir, new Probe(unanswered(before.database()), null));
                }
            } catch (ExecutionException e) {
                inFlight.remove(dir);
                log.error("probe of {} failed unexpectedly", dir, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return seen;
            }
        }
        inFlight.keySet().retainAll(directories);
        last.keySet().retainAll(directories);
        return seen;
    }

    private DatabaseObservation unanswered(DatabaseObservation before) {
        return new DatabaseObservation(
                before.dataDirectory(),
                before.port(),
                before.majorVersion(),
                before.serverVersion(),
                false,
                before.role(),
                "no answer from the database within " + deadline.toMillis() + " ms (still probing)",
                before.currentLsn(),
                before.receivedLsn(),
                before.replayedLsn(),
                before.systemIdentifier(),
                before.running());
    }
}
