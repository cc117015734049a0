package io.understudy.engine.postgresql;

import io.understudy.core.database.Lsn;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.engine.EndOfRecovery;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.PreparedPrimary;
import io.understudy.engine.StopMode;
import io.understudy.engine.process.CommandRunner;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL data directory, observed from its files, {@code pg_controldata} and SQL, and
 * controlled with {@code pg_ctl}. Keeps one SQL connection open between observations. For use by
 * one thread at a time.
 */
public final class PostgresInstance implements Instance {
    private static final Logger log = LoggerFactory.getLogger(PostgresInstance.class);

    private static final Duration CONTROL_DATA_RETRY = Duration.ofSeconds(30);
    private static final Duration READY_POLL = Duration.ofMillis(100);
    /** How often a promotion is checked: each poll is a small query or a file read. */
    private static final Duration PROMOTE_POLL = Duration.ofMillis(10);

    private final InstanceConfig config;
    private final DataDirectory directory;
    private final CommandRunner runner;
    private final PostgresQueries queries;
    private final String majorVersion;
    private final Path logFile;
    private final WalArchive walArchive;

    private @Nullable PgCtl pgCtl;
    private @Nullable String systemIdentifier;
    private long nextControlDataAttempt = System.nanoTime();

    PostgresInstance(InstanceConfig config, DataDirectory directory, CommandRunner runner) {
        this.config = config;
        this.directory = directory;
        this.runner = runner;
        this.majorVersion = directory.majorVersion();
        this.logFile = PgCtl.defaultLogFile(directory.path());
        this.walArchive = new WalArchive(directory.path(), runner.runAsUser());
        this.queries = new PostgresQueries(
                config.host(),
                config.user(),
                config.password(),
                config.probeTimeout(),
                PostgresQueries.APPLICATION_NAME);
    }

    /** The data directory, absolute. */
    public Path dataDirectory() {
        return directory.path();
    }

    /** Where pg_ctl has the server write its output: {@link PgCtl#defaultLogFile}. */
    public Path logFile() {
        return logFile;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads {@code postmaster.pid} first: without a live postmaster it does not connect. Runs
     * {@code pg_controldata} once for the system identifier (again every 30 s while that fails).
     */
    @Override
    public DatabaseObservation observe() {
        DatabaseObservation observation;
        try {
            observation = observeServer();
        } catch (EngineException e) {
            // The files themselves could not be read (deleted, permissions): down, and say why.
            observation = down(DataDirectory.DEFAULT_PORT, Role.UNKNOWN, "cannot observe: " + e.getMessage(), false);
        }
        log.debug("observed {}", observation);
        return observation;
    }

    private DatabaseObservation observeServer() {
        Role roleFromFiles = directory.hasRecoverySignal() ? Role.STANDBY : Role.PRIMARY;
        Optional<PostmasterPid> found = directory.postmasterPid();
        if (found.isEmpty()) {
            return down(directory.configuredPort(), roleFromFiles, "not running: no postmaster.pid", false);
        }
        PostmasterPid pid = found.get();
        if (!pid.isProcessAlive()) {
            return down(
                    directory.configuredPort(),
                    roleFromFiles,
                    "not running: postmaster.pid names process " + pid.pid() + " which is gone",
                    false);
        }
        // From now on the postmaster runs, whether or not it takes connections.
        Integer listening = pid.port();
        int port = listening != null ? listening : directory.configuredPort();
        switch (pid.status()) {
            case STARTING:
                return down(port, roleFromFiles, "starting up", true);
            case STOPPING:
                return down(port, roleFromFiles, "shutting down", true);
            case STANDBY:
                return down(port, Role.STANDBY, "running as a warm standby: accepts no connections", true);
            default:
                break;
        }
        try {
            PostgresQueries.ServerState state = queries.serverState(port);
            return new DatabaseObservation(
                    directory.toString(),
                    port,
                    majorVersion,
                    state.serverVersion(),
                    true,
                    state.inRecovery() ? Role.STANDBY : Role.PRIMARY,
                    null,
                    text(state.currentLsn()),
                    text(state.receivedLsn()),
                    text(state.replayedLsn()),
                    systemIdentifier(),
                    true);
        } catch (SQLException e) {
            return down(port, roleFromFiles, whyNotUp(e, port), true);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads {@code postmaster.pid} first and does not connect unless it says the server is
     * ready. Then at most two queries on the kept connection, each bounded by the probe timeout:
     * one for the recovery status (and, on a standby, the WAL receiver and replay), one on a
     * primary for {@code pg_stat_replication} and the physical slots. Failures are logged at
     * DEBUG.
     */
    @Override
    public ReplicationObservation observeReplication() {
        // A WAL-shipping standby's archive is read from its files, hot or warm.
        return observeServerReplication().withWalArchive(walArchive.observe());
    }

    private ReplicationObservation observeServerReplication() {
        String dir = directory.toString();
        try {
            Optional<PostmasterPid> pid = directory.postmasterPid();
            if (pid.isEmpty() || !pid.get().isProcessAlive() || pid.get().status() != PostmasterPid.Status.READY) {
                return ReplicationObservation.none(dir);
            }
            Integer listening = pid.get().port();
            int port = listening != null ? listening : directory.configuredPort();
            ReplicationObservation seen = ReplicationViews.read(queries, port, dir);
            log.debug("observed replication {}", seen);
            return seen;
        } catch (SQLException | RuntimeException e) {
            log.debug("{}: cannot observe replication: {}", dir, e.getMessage());
            return ReplicationObservation.none(dir);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Uses connections of its own, not the one {@link #observe} keeps. In order: the role (on a
     * session that logs no statement; the password reaches the server only as a SCRAM-SHA-256
     * verifier), the pg_hba entry ({@code host replication <user> <standby>/32 scram-sha-256},
     * inserted after the file's leading comments; the file keeps its owner and mode), the
     * settings (ALTER SYSTEM), one reload, the restart when needed (then a check that the
     * settings took), the slot. The sentence given to {@code beforeRestart} reads like
     * "restarting PostgreSQL at /data (port 5432): wal_log_hints and max_wal_senders take effect
     * only at a restart".
     */
    @Override
    public PreparedPrimary prepareForStandby(
            ReplicationSpec replication, Consumer<String> beforeRestart, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String context = "prepare " + directory + " for standby " + replication.applicationName();
        // A connection of its own: the agent's loop may keep observing through the kept one.
        try (PostgresQueries own = new PostgresQueries(
                config.host(),
                config.user(),
                config.password(),
                config.probeTimeout(),
                PostgresQueries.APPLICATION_NAME)) {
            int port = readyPort();
            PrimaryPreparation preparation = new PrimaryPreparation(own, port);
            if (preparation.isInRecovery()) {
                throw new EngineException(
                        Failure.PERMANENT,
                        "it is in recovery (a standby), not a primary; only a primary can serve one");
            }
            preparation.ensureRole(replication);
            boolean hbaChanged = preparation.ensureHbaEntry(replication);
            Map<String, Boolean> changed = preparation.applySettings();
            if (replication.shipsWal()) {
                changed.putAll(preparation.applyArchiveSettings(
                        WalShippingPreparation.archiveCommand(directory.path(), runner),
                        WalShippingPreparation.archiveTimeoutSeconds(replication)));
            }
            if (hbaChanged || !changed.isEmpty()) {
                preparation.reload();
            }
            List<String> needRestart = PrimaryPreparation.needingRestart(changed);
            boolean restarted = false;
            if (!needRestart.isEmpty()) {
                beforeRestart.accept(PrimaryPreparation.restartReason(directory.toString(), port, needRestart));
                restart(remaining(deadline, timeout));
                restarted = true;
                own.close();
                port = readyPort();
                preparation = new PrimaryPreparation(own, port);
                List<String> stillWrong = preparation.settingsStillWrong();
                if (!stillWrong.isEmpty()) {
                    throw new EngineException(
                            Failure.PERMANENT,
                            String.join(", ", stillWrong)
                                    + " still not as replication needs after a restart: set on the command line?");
                }
            }
            if (!replication.shipsWal()) {
                preparation.ensureSlot(replication.slotName());
            }
            return new PreparedPrimary(List.copyOf(changed.keySet()), restarted);
        } catch (SQLException e) {
            throw PostgresErrors.toEngineException(context, e);
        } catch (EngineException e) {
            throw new EngineException(e.failure(), context + ": " + e.getMessage(), e);
        }
    }

    /**
     * The port of a server that is ready for queries.
     *
     * @throws EngineException TRANSIENT when it is down, starting or stopping; PERMANENT when it
     *     runs as a warm standby
     */
    private int readyPort() {
        Optional<PostmasterPid> pid = directory.postmasterPid();
        if (pid.isEmpty() || !pid.get().isProcessAlive()) {
            throw new EngineException(Failure.TRANSIENT, "the database is down");
        }
        switch (pid.get().status()) {
            case READY:
                break;
            case STANDBY:
                throw new EngineException(
                        Failure.PERMANENT, "it runs as a warm standby, not a primary; only a primary can serve one");
            default:
                throw new EngineException(
                        Failure.TRANSIENT,
                        "the database is " + pid.get().status().name().toLowerCase(Locale.ROOT));
        }
        Integer listening = pid.get().port();
        return listening != null ? listening : directory.configuredPort();
    }

    private static Duration remaining(long deadline, Duration total) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new EngineException(Failure.TRANSIENT, "not done within " + total.toSeconds() + " s");
        }
        return Duration.ofNanos(left);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs {@code pg_ctl start}, writing the server's output to {@link #logFile()}. A warm
     * standby counts as started once it runs, though it accepts no connections.
     */
    @Override
    public void start(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        control("start", () -> {
            pgCtl().start(directory.path(), logFile, timeout);
            awaitReady(deadline, timeout);
        });
    }

    @Override
    public Optional<String> shutdownCheckpoint() {
        if (directory.postmasterPid().filter(PostmasterPid::isProcessAlive).isPresent()) {
            return Optional.empty();
        }
        ControlData control = ControlData.read(
                directory.path(), PostgresBinaries.forMajorVersion(majorVersion), runner, config.probeTimeout());
        return ControlData.SHUT_DOWN.equals(control.clusterState())
                ? Optional.of(control.latestCheckpoint().toString())
                : Optional.empty();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Polls every {@link #PROMOTE_POLL}: the replayed position and {@code pg_is_in_recovery()}
     * over SQL on a hot standby; {@code postmaster.pid}'s status on a warm one, which turns
     * "ready" once the server takes connections as a primary.
     */
    @Override
    public void promote(@Nullable String afterLsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        PostmasterPid pid = directory
                .postmasterPid()
                .filter(PostmasterPid::isProcessAlive)
                .orElseThrow(() -> new EngineException(
                        Failure.TRANSIENT, "promote " + directory + ": it does not run, so it cannot be promoted"));
        boolean hot = pid.status() == PostmasterPid.Status.READY;
        if (hot && !isInRecovery()) {
            return; // promoted already
        }
        // A WAL-shipping standby's waiting restore stops waiting: what was received is replayed
        // (a partial last segment too), then recovery ends.
        walArchive.endRecoveryUnlessAsked(directory.hasRecoverySignal(), EndOfRecovery.SMART);
        if (!hot && pid.status() != PostmasterPid.Status.STANDBY) {
            throw new EngineException(
                    Failure.TRANSIENT,
                    "promote " + directory + ": it is " + pid.status().name().toLowerCase(Locale.ROOT)
                            + ", not a running standby");
        }
        if (hot && afterLsn != null) {
            Lsn target = Lsn.parse(afterLsn);
            while (true) {
                Object replayed = query("select pg_last_wal_replay_lsn()::text as lsn")
                        .get(0)
                        .get("lsn");
                if (replayed != null && Lsn.parse(replayed.toString()).compareTo(target) > 0) {
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new EngineException(
                            Failure.TRANSIENT,
                            "promote " + directory + ": it has replayed up to " + replayed
                                    + ", not past the old primary's shutdown checkpoint " + afterLsn + " within "
                                    + timeout.toSeconds() + " s; not promoted");
                }
                pause(PROMOTE_POLL);
            }
        }
        pgCtl().promote(directory.path(), timeout);
        while (hot ? isInRecovery() : !promotedWarm()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new EngineException(
                        Failure.TRANSIENT,
                        "promote " + directory + ": still in recovery " + timeout.toSeconds()
                                + " s after pg_ctl promote");
            }
            pause(PROMOTE_POLL);
        }
        log.info("{}: promoted; it accepts writes", directory);
    }

    private boolean isInRecovery() {
        return Boolean.TRUE.equals(
                query("select pg_is_in_recovery() as r").get(0).get("r"));
    }

    private boolean promotedWarm() {
        return directory
                .postmasterPid()
                .filter(PostmasterPid::isProcessAlive)
                .map(p -> p.status() == PostmasterPid.Status.READY)
                .orElse(false);
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.TRANSIENT, "interrupted while promoting", e);
        }
    }

    @Override
    public void stop(StopMode mode, Duration timeout) {
        control("stop", () -> pgCtl().stop(directory.path(), mode, timeout));
    }

    @Override
    public boolean fence() {
        Optional<PostmasterPid> pid = directory.postmasterPid();
        Optional<ProcessHandle> postmaster =
                pid.flatMap(p -> ProcessHandle.of(p.pid())).filter(ProcessHandle::isAlive);
        if (postmaster.isEmpty()) {
            return false;
        }
        // The children first: a backend whose postmaster is gone may still commit until it notices.
        List<ProcessHandle> children = postmaster.get().children().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.get().destroyForcibly();
        log.warn(
                "{}: fenced: killed its postmaster (pid {}) and {} process(es) of it",
                directory,
                postmaster.get().pid(),
                children.size());
        return true;
    }

    @Override
    public void restart(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        control("restart", () -> {
            pgCtl().restart(directory.path(), logFile, timeout);
            awaitReady(deadline, timeout);
        });
    }

    @Override
    public List<Map<String, @Nullable Object>> query(String sql, Object... parameters) {
        int port = currentPort();
        try {
            return queries.query(port, sql, parameters);
        } catch (SQLException e) {
            throw PostgresErrors.toEngineException("query " + directory + " on port " + port, e);
        }
    }

    @Override
    public long execute(String sql, Object... parameters) {
        int port = currentPort();
        try {
            return queries.execute(port, sql, parameters);
        } catch (SQLException e) {
            throw PostgresErrors.toEngineException("execute " + directory + " on port " + port, e);
        }
    }

    @Override
    public void close() {
        queries.close();
    }

    /**
     * Runs a pg_ctl {@code step}, dropping the SQL connection first (the server it reaches is
     * going away), and names the action and the directory in any failure.
     */
    private void control(String action, Runnable step) {
        queries.close();
        try {
            step.run();
        } catch (EngineException e) {
            throw new EngineException(e.failure(), action + " " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Where the server listens now (postmaster.pid), or will when started (its configuration). */
    private int currentPort() {
        Integer listening = directory
                .postmasterPid()
                .filter(PostmasterPid::isProcessAlive)
                .map(PostmasterPid::port)
                .orElse(null);
        return listening != null ? listening : directory.configuredPort();
    }

    private PgCtl pgCtl() {
        PgCtl found = pgCtl;
        if (found == null) {
            found = new PgCtl(PostgresBinaries.forMajorVersion(majorVersion), runner);
            pgCtl = found;
        }
        return found;
    }

    /**
     * Waits until postmaster.pid says ready (or warm standby), as pg_ctl -w does; needed when
     * start found the server already running but not yet ready.
     */
    private void awaitReady(long deadline, Duration timeout) {
        while (true) {
            Optional<PostmasterPid> pid = directory.postmasterPid();
            if (pid.isEmpty() || !pid.get().isProcessAlive()) {
                throw new EngineException(
                        Failure.PERMANENT, "the server stopped while starting: " + PgCtl.logTail(logFile));
            }
            PostmasterPid.Status status = pid.get().status();
            if (status == PostmasterPid.Status.READY || status == PostmasterPid.Status.STANDBY) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new EngineException(
                        Failure.TRANSIENT,
                        "still " + status.name().toLowerCase(Locale.ROOT) + " after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(READY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(Failure.TRANSIENT, "interrupted while waiting for the server", e);
            }
        }
    }

    /** The system identifier from pg_controldata, read once; null while it cannot be read. */
    private @Nullable String systemIdentifier() {
        if (systemIdentifier != null || System.nanoTime() - nextControlDataAttempt < 0) {
            return systemIdentifier;
        }
        try {
            systemIdentifier = ControlData.read(
                            directory.path(),
                            PostgresBinaries.forMajorVersion(majorVersion),
                            runner,
                            config.probeTimeout())
                    .systemIdentifier();
        } catch (EngineException e) {
            nextControlDataAttempt = System.nanoTime() + CONTROL_DATA_RETRY.toNanos();
            log.warn(
                    "{}: cannot read the system identifier; trying again in {} s: {}",
                    directory,
                    CONTROL_DATA_RETRY.toSeconds(),
                    e.getMessage());
        }
        return systemIdentifier;
    }

    /** A reason a DBA understands, from the SQLState and the kind of I/O failure. */
    private String whyNotUp(SQLException e, int port) {
        Optional<ConnectException> refused = PostgresErrors.cause(e, ConnectException.class);
        if (refused.isPresent()) {
            return "port " + port + " refuses connections: " + refused.get().getMessage();
        }
        if (PostgresErrors.cause(e, SocketTimeoutException.class).isPresent()) {
            return "port " + port + " does not answer within "
                    + config.probeTimeout().toMillis() + " ms";
        }
        String state = PostgresErrors.sqlState(e);
        if (state != null && state.startsWith("28")) {
            return "authentication failed for user " + config.user() + " (" + state + ")";
        }
        return "port " + port + " does not answer queries: " + e.getMessage()
                + (state == null ? "" : " (" + state + ")");
    }

    /** Not taking queries; {@code running} when its postmaster runs all the same. */
    private DatabaseObservation down(int port, Role role, String reason, boolean running) {
        return new DatabaseObservation(
                directory.toString(),
                port,
                majorVersion,
                null,
                false,
                role,
                reason,
                null,
                null,
                null,
                systemIdentifier(),
                running);
    }

    private static @Nullable String text(@Nullable Lsn lsn) {
        return lsn == null ? null : lsn.toString();
    }
}
