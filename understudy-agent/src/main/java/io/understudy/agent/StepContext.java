package io.understudy.agent;

import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.Instance;
import io.understudy.engine.InstanceConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Everything a step of {@link NodeFsm} works with. Immutable; a step that needs the database opens
 * its own {@link Instance} ({@link #openInstance()}), so that a long action never shares one with
 * the loop's observations.
 *
 * @param goal the goal being reached
 * @param dataDirectory its data directory, absolute
 * @param observation what the tick that started the step observed there; null when nothing
 * @param engine the engine for the directory (the one that recognizes it, else the first one)
 * @param instanceConfig how to reach the database there
 * @param action the name of the action, for progress
 * @param startedAt when the step started
 * @param progress where the step reports how far it has got
 * @param partialSegments ships a stopped primary's partial last WAL segment (WAL shipping)
 */
record StepContext(
        Goal goal,
        Path dataDirectory,
        @Nullable DatabaseObservation observation,
        DatabaseEngine engine,
        InstanceConfig instanceConfig,
        String action,
        Instant startedAt,
        Consumer<ActionProgress> progress,
        PartialSegments partialSegments) {

    /** A context without a file-transfer channel: a partial WAL segment is never shipped. */
    StepContext(
            Goal goal,
            Path dataDirectory,
            @Nullable DatabaseObservation observation,
            DatabaseEngine engine,
            InstanceConfig instanceConfig,
            String action,
            Instant startedAt,
            Consumer<ActionProgress> progress) {
        this(
                goal,
                dataDirectory,
                observation,
                engine,
                instanceConfig,
                action,
                startedAt,
                progress,
                PartialSegments.NONE);
    }

    /** The same context, reporting progress to {@code to}. */
    StepContext withProgress(Consumer<ActionProgress> to) {
        return new StepContext(
                goal, dataDirectory, observation, engine, instanceConfig, action, startedAt, to, partialSegments);
    }

    /** Reports a phase without a byte count, e.g. {@code starting the standby}. */
    void phase(String phase) {
        progress.accept(new ActionProgress(action, phase, 0, 0, startedAt));
    }

    /** Opens the database at the directory; the caller closes it. */
    Instance openInstance() {
        return engine.open(instanceConfig);
    }

    /**
     * The goal's replication settings.
     *
     * @throws UnderstudyException when the goal carries none (the Control Center sent a goal
     *     that needs them without them)
     */
    ReplicationSpec replication() {
        ReplicationSpec replication = goal.replication();
        if (replication == null) {
            throw new UnderstudyException("the goal " + goal.state() + " of configuration " + goal.configuration()
                    + " carries no replication settings");
        }
        return replication;
    }
}
