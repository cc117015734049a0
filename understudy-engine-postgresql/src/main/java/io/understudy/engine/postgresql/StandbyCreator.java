package io.understudy.engine.postgresql;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.StandbyCreation;
import io.understudy.engine.StopMode;
import io.understudy.engine.postgresql.TargetDirectory.OwnStandby;
import io.understudy.engine.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a standby as {@link io.understudy.engine.DatabaseEngine#createStandby} describes:
 * checks that the primary takes the replication user and has the slot, makes room in the target
 * directory, copies the primary with {@link PgBaseBackup}, and writes the {@link RecoveryConfig}.
 * A finished copy of its own for the same primary and slot that does not run (see {@link
 * TargetDirectory#ownStandby}) is configured again instead of copied again, so that running the
 * creation again after the agent died or the standby failed to start resumes it.
 */
final class StandbyCreator {
    private static final Logger log = LoggerFactory.getLogger(StandbyCreator.class);

    static final String PHASE_MOVING_ASIDE = "moving the old cluster aside";
    static final String PHASE_COPYING = "copying (base backup)";
    static final String PHASE_CONFIGURING = "configuring the standby";

    /** The most often the copy's progress is passed on. */
    static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** PostgreSQL's rule for slot names. */
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private final CommandRunner runner;
    private final InstantSource clock;

    StandbyCreator(CommandRunner runner, InstantSource clock) {
        this.runner = runner;
        this.clock = clock;
    }

    void create(StandbyCreation request, Consumer<ActionProgress> progress) {
        TargetDirectory target = new TargetDirectory(request.dataDirectory());
        try {
            run(request, target, progress);
        } catch (EngineException e) {
            throw new EngineException(e.failure(), "create standby at " + target + ": " + e.getMessage(), e);
        }
    }

    private void run(StandbyCreation request, TargetDirectory target, Consumer<ActionProgress> progress) {
        Instant startedAt = clock.instant();
        long deadline = System.nanoTime() + request.timeout().toNanos();
        ReplicationSpec spec = request.replication();
        validate(request);
        String action = "base backup from " + spec.primaryHost() + ":" + spec.primaryPort();
        Optional<String> owner = runner.runAsUser();

        boolean unfinished = target.hasMarker();
        TargetInspection seen = target.inspect(runner);
        OwnStandby own = unfinished ? OwnStandby.NONE : target.ownStandby(spec, seen, runner);
        boolean occupied = !unfinished && own == OwnStandby.NONE && seen.exists() && !seen.empty();
        if (occupied && !request.replaceExisting()) {
            throw new EngineException(Failure.PERMANENT, describe(target, seen) + "; confirm replacing it");
        }
        // Nothing changes on this host until the primary is known to take us.
        Primary primary = probePrimary(spec);
        PostgresBinaries binaries = PostgresBinaries.forMajorVersion(primary.majorVersion());
        if (occupied && isThePrimaryItself(target, seen, primary, spec)) {
            throw new EngineException(
                    Failure.PERMANENT, target + " is the primary's own data directory; it cannot become its standby");
        }
        if (own != OwnStandby.NONE
                && seen.systemIdentifier() != null
                && !seen.systemIdentifier().equals(primary.systemIdentifier())) {
            // The primary's address and slot are the same, its cluster is not (made anew since).
            own = OwnStandby.NONE;
            occupied = true;
            if (!request.replaceExisting()) {
                throw new EngineException(
                        Failure.PERMANENT,
                        target + " holds a standby copy of another cluster (system " + seen.systemIdentifier()
                                + ", the primary's is " + primary.systemIdentifier() + "); confirm replacing it");
            }
        }

        if (spec.shipsWal()) {
            prepareArchive(target, primary, owner);
        }
        if (own == OwnStandby.NEVER_STARTED || (own == OwnStandby.STARTED && !request.replaceExisting())) {
            // A finished copy of ours that was not started, or did not start: configure it again
            // (the mode or port may have changed since) and let it be started; no copy again.
            progress.accept(new ActionProgress(action, PHASE_CONFIGURING, 0, 0, startedAt));
            RecoveryConfig.write(target.path(), spec, request.port(), owner);
            log.info(
                    "{}: holds a {} standby copy of its own from {}:{} through slot {}; configured again"
                            + " ({} on port {}), not copied again",
                    target,
                    own == OwnStandby.NEVER_STARTED ? "finished, never started," : "stopped",
                    spec.primaryHost(),
                    spec.primaryPort(),
                    spec.slotName(),
                    spec.mode(),
                    request.port());
            return;
        }
        if (own == OwnStandby.STARTED) {
            occupied = true; // replacing it was confirmed: moved aside as any cluster
        }

        if (unfinished || own == OwnStandby.INCONSISTENT) {
            log.info(
                    "{}: {}; starting over",
                    target,
                    unfinished
                            ? "an unfinished creation left a partial copy"
                            : "holds a standby copy of its own that is not consistent (no backup_label, and"
                                    + " not in recovery)");
            target.stopStrayCopies();
            if (target.isRunning()) {
                new PgCtl(binaries, runner).stop(target.path(), StopMode.IMMEDIATE, STOP_TIMEOUT);
            }
        } else if (occupied) {
            progress.accept(new ActionProgress(action, PHASE_MOVING_ASIDE, 0, 0, startedAt));
            String seenMajor = seen.majorVersion();
            if (seen.running() && seenMajor != null) {
                new PgCtl(PostgresBinaries.forMajorVersion(seenMajor), runner)
                        .stop(target.path(), StopMode.FAST, remaining(deadline, request.timeout()));
            }
            target.moveAside(clock.instant());
        }

        progress.accept(new ActionProgress(action, PHASE_COPYING, 0, 0, startedAt));
        target.prepareEmpty(owner);
        target.writeMarker(
                "Understudy is creating a standby here from " + spec.primaryHost() + ":" + spec.primaryPort()
                        + " (started " + startedAt + "). While this file exists, the directory is an unfinished"
                        + " copy that the next attempt removes.\n",
                owner);
        log.info("{}: copying {} through slot {}", target, action, spec.slotName());
        long[] copied = {0, 0};
        try {
            Throttle throttle = new Throttle(PROGRESS_INTERVAL);
            new PgBaseBackup(binaries, runner).copy(target.path(), spec, remaining(deadline, request.timeout()), p -> {
                copied[0] = p.bytesDone();
                copied[1] = p.bytesTotal();
                if (throttle.allows() || p.bytesDone() >= p.bytesTotal()) {
                    progress.accept(
                            new ActionProgress(action, PHASE_COPYING, p.bytesDone(), p.bytesTotal(), startedAt));
                }
            });
            progress.accept(new ActionProgress(action, PHASE_CONFIGURING, copied[0], copied[1], startedAt));
            // The copy holds the primary's own pg_ctl log; this server's log starts afresh.
            Files.deleteIfExists(PgCtl.defaultLogFile(target.path()));
            RecoveryConfig.write(target.path(), spec, request.port(), owner);
        } catch (IOException e) {
            cleanUp(target, owner);
            throw new EngineException(Failure.PERMANENT, "cannot configure the copy: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(target, owner);
            throw e;
        }
        target.removeMarker();
        log.info(
                "{}: created as a {} standby of {}:{} on port {}",
                target,
                spec.mode(),
                spec.primaryHost(),
                spec.primaryPort(),
                request.port());
    }

    private static void validate(StandbyCreation request) {
        ReplicationSpec spec = request.replication();
        if (spec.method() == ReplicationMethod.WAL_SHIPPING) {
            WalShippingPreparation.archiveTimeoutSeconds(spec); // its settings must be there
        }
        if (!request.dataDirectory().isAbsolute()) {
            throw new EngineException(Failure.PERMANENT, "the data directory must be an absolute path");
        }
        if (request.port() < 1 || request.port() > 65535) {
            throw new EngineException(Failure.PERMANENT, "port " + request.port() + " is not in 1-65535");
        }
        if (!SLOT_NAME.matcher(spec.slotName()).matches()) {
            throw new EngineException(
                    Failure.PERMANENT,
                    "slot name '" + spec.slotName() + "' is not 1-63 lower-case letters, digits or underscores");
        }
    }

    /**
     * Connects to the primary as the replication user, as the standby will, and checks its slot.
     *
     * @throws EngineException TRANSIENT when the primary does not answer; PERMANENT when it
     *     refuses the user (password, pg_hba) or has no such physical slot
     */
    static Primary probePrimary(ReplicationSpec spec) {
        Properties properties = new Properties();
        properties.setProperty("user", spec.user());
        properties.setProperty("password", spec.password().reveal());
        properties.setProperty("replication", "true");
        properties.setProperty("assumeMinServerVersion", "9.4");
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("connectTimeout", Long.toString(PROBE_TIMEOUT.toSeconds()));
        properties.setProperty("socketTimeout", Long.toString(PROBE_TIMEOUT.toSeconds()));
        properties.setProperty("ApplicationName", PostgresQueries.APPLICATION_NAME);
        String host = spec.primaryHost().contains(":") && !spec.primaryHost().startsWith("[")
                ? "[" + spec.primaryHost() + "]"
                : spec.primaryHost();
        String url = "jdbc:postgresql://" + host + ":" + spec.primaryPort() + "/postgres";
        String where = "the primary " + spec.primaryHost() + ":" + spec.primaryPort() + " as " + spec.user();
        try (Connection c = DriverManager.getConnection(url, properties);
                Statement statement = c.createStatement()) {
            int major = c.getMetaData().getDatabaseMajorVersion();
            String systemIdentifier;
            try (ResultSet system = statement.executeQuery("IDENTIFY_SYSTEM")) {
                systemIdentifier = system.next() ? system.getString(1) : "";
            }
            // READ_REPLICATION_SLOT exists from PostgreSQL 15; older primaries fail in pg_basebackup.
            // A WAL-shipping standby needs no slot.
            if (major >= 15 && !spec.shipsWal()) {
                try (ResultSet slot = statement.executeQuery("READ_REPLICATION_SLOT " + spec.slotName())) {
                    String type = slot.next() ? slot.getString(1) : null;
                    if (!"physical".equals(type)) {
                        throw new EngineException(
                                Failure.PERMANENT,
                                "the primary " + spec.primaryHost() + ":" + spec.primaryPort()
                                        + (type == null
                                                ? " has no replication slot "
                                                : " has a " + type + ", not physical, replication slot ")
                                        + spec.slotName());
                    }
                }
            }
            return new Primary(Integer.toString(major), systemIdentifier);
        } catch (SQLException e) {
            throw PostgresErrors.toEngineException("cannot connect to " + where + " for replication", e);
        }
    }

    /**
     * Readies the WAL archive of a WAL-shipping standby at {@code target}: its scripts, and no
     * end-of-recovery trigger left from before. Keeps the WAL files shipped so far (the primary
     * ships from its preparation on), unless they come from another system than the primary's.
     */
    private static void prepareArchive(TargetDirectory target, Primary primary, Optional<String> owner) {
        WalArchive archive = new WalArchive(target.path(), owner);
        try {
            Optional<String> stored = archive.systemIdentifier();
            if (stored.isPresent() && !stored.get().equals(primary.systemIdentifier())) {
                log.info(
                        "{}: holds WAL of system {}, the primary is system {}: emptied",
                        archive,
                        stored.get(),
                        primary.systemIdentifier());
                archive.clear();
            }
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot read " + archive + ": " + e.getMessage(), e);
        }
        archive.forgetEndOfRecovery();
        archive.prepare();
    }

    /** What the primary says of itself to a replication connection. */
    record Primary(String majorVersion, String systemIdentifier) {}

    /**
     * Whether the running cluster at the target is the primary: the same system, listening on
     * the primary's port, and the primary's host is this one.
     */
    private static boolean isThePrimaryItself(
            TargetDirectory target, TargetInspection seen, Primary primary, ReplicationSpec spec) {
        if (!seen.running() || !primary.systemIdentifier().equals(seen.systemIdentifier())) {
            return false;
        }
        Integer port = target.runningPort();
        return port != null && port == spec.primaryPort() && RecoveryConfig.isLocal(spec.primaryHost());
    }

    private static String describe(TargetDirectory target, TargetInspection seen) {
        if (seen.holdsCluster()) {
            return target + " holds a PostgreSQL " + seen.majorVersion() + " cluster ("
                    + (seen.running() ? "running" : "stopped") + ")";
        }
        return target + " is not empty and holds no PostgreSQL cluster";
    }

    /** Removes a failed copy, so that the directory is left empty; keeps the marker when that fails. */
    private static void cleanUp(TargetDirectory target, Optional<String> owner) {
        try {
            target.stopStrayCopies();
            target.prepareEmpty(owner);
            target.removeMarker();
        } catch (RuntimeException e) {
            log.warn("{}: could not remove the failed copy; the next attempt will: {}", target, e.getMessage());
        }
    }

    private static Duration remaining(long deadline, Duration total) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new EngineException(Failure.TRANSIENT, "not done within " + total.toSeconds() + " s");
        }
        return Duration.ofNanos(left);
    }

    /** Lets through one event per interval. */
    private static final class Throttle {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Throttle(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        boolean allows() {
            long now = System.nanoTime();
            if (now - next < 0) {
                return false;
            }
            next = now + intervalNanos;
            return true;
        }
    }
}
