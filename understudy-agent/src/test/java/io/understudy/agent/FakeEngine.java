package io.understudy.agent;

import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.StandbyCreation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** An engine whose databases are {@link FakeInstance}s, keyed by data directory. Thread-safe. */
final class FakeEngine implements DatabaseEngine {
    static final Instant NOW = Instant.parse("2026-11-21T12:01:07Z");

    final Map<Path, FakeInstance> clusters = new ConcurrentHashMap<>();
    final List<StandbyCreation> creations = new CopyOnWriteArrayList<>();
    final List<Path> opened = new CopyOnWriteArrayList<>();
    /** The next creations throw this, when set. */
    volatile @Nullable RuntimeException creationFailure;
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
    public TargetInspection inspect(Path dataDirectory) {
        FakeInstance instance = clusters.get(dataDirectory);
        return instance == null
                ? new TargetInspection(false, false, false, null, false, null)
                : new TargetInspection(
                        true, false, true, "16", instance.observe().running(), "7400000000000000001");
    }

    @Override
    public void createStandby(StandbyCreation request, Consumer<ActionProgress> progress) {
        creations.add(request);
        progress.accept(new ActionProgress("base backup from 127.0.0.1:5432", "copying files", 10, 100, NOW));
        FakeInstance.await(creationGate, "base backup");
        RuntimeException failure = creationFailure;
        if (failure != null) {
            throw failure;
        }
        clusters.put(request.dataDirectory(), FakeInstance.stoppedStandby(request.dataDirectory(), request.port()));
        progress.accept(new ActionProgress("base backup from 127.0.0.1:5432", "done", 100, 100, NOW));
    }
}
