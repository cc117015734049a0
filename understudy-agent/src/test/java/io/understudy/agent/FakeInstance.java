package io.understudy.agent;

import io.understudy.core.database.Role;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import io.understudy.engine.PreparedPrimary;
import io.understudy.engine.StopMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A database that exists only in memory: tests set what it observes and count what it is asked. */
final class FakeInstance implements Instance {
    private final Path dataDirectory;
    private final int port;
    private volatile Role role;
    private volatile boolean running;
    private volatile ReplicationObservation replication;

    /** What {@link #shutdownCheckpoint} says of a stopped primary. */
    static final String SHUTDOWN_CHECKPOINT = "0/3000028";

    final AtomicInteger prepareCalls = new AtomicInteger();
    final AtomicInteger promoteCalls = new AtomicInteger();
    volatile @Nullable String promotedAfter;
    final AtomicInteger startCalls = new AtomicInteger();
    final AtomicInteger stopCalls = new AtomicInteger();
    /** The statements {@link #execute} was given: the fake takes a CHECKPOINT, nothing else. */
    final List<String> executed = new CopyOnWriteArrayList<>();

    volatile @Nullable ReplicationSpec preparedFor;
    /** Said before the preparation "restarts"; null for a preparation that needs no restart. */
    volatile @Nullable String restartNotice;
    /** Preparation waits until this opens. */
    volatile CountDownLatch prepareGate = new CountDownLatch(0);
    /** The next preparations throw this, when set. */
    volatile @Nullable RuntimeException prepareFailure;

    private FakeInstance(Path dataDirectory, int port, Role role, boolean running) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.role = role;
        this.running = running;
        this.replication = ReplicationObservation.none(dataDirectory.toString());
    }

    static FakeInstance primary(Path dataDirectory, int port) {
        return new FakeInstance(dataDirectory, port, Role.PRIMARY, true);
    }

    static FakeInstance stoppedStandby(Path dataDirectory, int port) {
        return new FakeInstance(dataDirectory, port, Role.STANDBY, false);
    }

    void runs(boolean running) {
        this.running = running;
    }

    void replicationIs(ReplicationObservation replication) {
        this.replication = replication;
    }

    @Override
    public DatabaseObservation observe() {
        return new DatabaseObservation(
                dataDirectory.toString(),
                port,
                "16",
                running ? "16.4" : null,
                running,
                role,
                running ? null : "not running",
                running && role == Role.PRIMARY ? "0/3000060" : null,
                null,
                null,
                "7400000000000000001",
                running);
    }

    @Override
    public ReplicationObservation observeReplication() {
        return running ? replication : ReplicationObservation.none(dataDirectory.toString());
    }

    @Override
    public PreparedPrimary prepareForStandby(
            ReplicationSpec replication, Consumer<String> beforeRestart, Duration timeout) {
        prepareCalls.incrementAndGet();
        preparedFor = replication;
        String notice = restartNotice;
        if (notice != null) {
            beforeRestart.accept(notice);
        }
        await(prepareGate, "preparation");
        RuntimeException failure = prepareFailure;
        if (failure != null) {
            throw failure;
        }
        return new PreparedPrimary(notice == null ? List.of() : List.of("wal_log_hints"), notice != null);
    }

    @Override
    public Optional<String> shutdownCheckpoint() {
        return !running && role == Role.PRIMARY ? Optional.of(SHUTDOWN_CHECKPOINT) : Optional.empty();
    }

    @Override
    public void promote(@Nullable String afterLsn, Duration timeout) {
        promoteCalls.incrementAndGet();
        promotedAfter = afterLsn;
        role = Role.PRIMARY;
    }

    /** Becomes a standby, as a rejoin leaves it: stopped. */
    void becomeStandby() {
        role = Role.STANDBY;
        running = false;
    }

    @Override
    public void start(Duration timeout) {
        startCalls.incrementAndGet();
        running = true;
    }

    @Override
    public void stop(StopMode mode, Duration timeout) {
        stopCalls.incrementAndGet();
        running = false;
    }

    @Override
    public void restart(Duration timeout) {
        running = true;
    }

    @Override
    public boolean fence() {
        boolean was = running;
        running = false;
        return was;
    }

    @Override
    public List<Map<String, @Nullable Object>> query(String sql, Object... parameters) {
        throw new UnsupportedOperationException("the fake takes no SQL");
    }

    @Override
    public long execute(String sql, Object... parameters) {
        executed.add(sql);
        if (!sql.equals("CHECKPOINT")) {
            throw new UnsupportedOperationException("the fake takes no SQL but a CHECKPOINT");
        }
        return 0;
    }

    @Override
    public void close() {}

    static void await(CountDownLatch gate, String what) {
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new EngineException(Failure.TRANSIENT, what + ": the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.TRANSIENT, what + " was interrupted", e);
        }
    }
}
