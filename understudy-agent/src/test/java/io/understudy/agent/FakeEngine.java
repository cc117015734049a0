package io.understudy.agent;

import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.Rejoined;
import io.understudy.engine.StandbyCreation;
import io.understudy.engine.StandbyRejoin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** An engine whose databases are {@link FakeInstance}s, keyed by data directory. Thread-safe. */
final class FakeEngine implements DatabaseEngine {
    static final Instant NOW = Instant.parse("2026-11-21T12:01:07Z");

    final Map<Path, FakeInstance> clusters = new ConcurrentHashMap<>();
    final List<StandbyCreation> creations = new CopyOnWriteArrayList<>();
    final List<StandbyRejoin> rejoins = new CopyOnWriteArrayList<>();
    final List<Path> opened = new CopyOnWriteArrayList<>();
    /** The next creations throw this, when set: an exception or an {@link Error}. */
    volatile @Nullable Throwable creationFailure;
    /** Thrown by the next creations, one each, before {@link #creationFailure}. */
    final Queue<RuntimeException> creationFailures = new ConcurrentLinkedQueue<>();
    /** The directories inspected, one entry per inspection started. */
    final List<Path> inspected = new CopyOnWriteArrayList<>();
    /** How many inspections have ended. */
    final AtomicInteger inspectionsEnded = new AtomicInteger();
    /** Inspection waits until this opens, as pg_controldata on a slow disk does. */
    volatile CountDownLatch inspectionGate = new CountDownLatch(0);
    /** Creation waits, after its first progress, until this opens. */
    volatile CountDownLatch creationGate = new CountDownLatch(0);

    FakeEngine with(FakeInstance instance, Path dataDirectory) {
        clusters.put(dataDirectory, instance);
        return this;
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public boolean recognizes(Path dataDirectory) {
        return clusters.containsKey(dataDirectory);
    }

    @Override
    public Instance open(InstanceConfig config) {
        FakeInstance instance = clusters.get(config.dataDirectory());
        if (instance == null) {
            throw new EngineException(Failure.PERMANENT, config.dataDirectory() + " holds no fake database");
        }
        opened.add(config.dataDirectory());
        return instance;
    }

    @Override
    public List<String> installedMajorVersions() {
        return List.of("16");
    }

    @Override
    public Optional<String> answers(String host, int port, java.time.Duration timeout) {
        return Optional.of("the fake engine watches no server");
    }

    @Override
    public TargetInspection inspect(Path dataDirectory) {
        inspected.add(dataDirectory);
        try {
            FakeInstance.await(inspectionGate, "inspection");
        } finally {
            inspectionsEnded.incrementAndGet();
        }
        FakeInstance instance = clusters.get(dataDirectory);
        return instance == null
                ? new TargetInspection(false, false, false, null, false, null)
                : new TargetInspection(
                        true, false, true, "16", instance.observe().running(), "7400000000000000001");
    }

    @Override
    public Rejoined rejoinAsStandby(StandbyRejoin request, Consumer<ActionProgress> progress) {
        rejoins.add(request);
        FakeInstance instance = clusters.get(request.dataDirectory());
        if (instance == null) {
            throw new EngineException(Failure.PERMANENT, request.dataDirectory() + " holds no cluster");
        }
        instance.becomeStandby();
        return new Rejoined(request.rewind(), null);
    }

    @Override
    public void createStandby(StandbyCreation request, Consumer<ActionProgress> progress) {
        creations.add(request);
        progress.accept(new ActionProgress("base backup from 127.0.0.1:5432", "copying files", 10, 100, NOW));
        FakeInstance.await(creationGate, "base backup");
        RuntimeException next = creationFailures.poll();
        if (next != null) {
            throw next;
        }
        Throwable failure = creationFailure;
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof RuntimeException exception) {
            throw exception;
        }
        clusters.put(request.dataDirectory(), FakeInstance.stoppedStandby(request.dataDirectory(), request.port()));
        progress.accept(new ActionProgress("base backup from 127.0.0.1:5432", "done", 100, 100, NOW));
    }
}
