package io.understudy.engine.postgresql;

import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.process.CommandRunner;
import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory a standby is created in, and what is there before: nothing, an empty directory,
 * a cluster, other files, or a copy of ours. An unfinished copy is known by its marker file,
 * {@code <dir>.understudy-creating}, beside the directory: written before the copy starts and
 * removed once the standby is configured. A finished copy of ours that is not running (the agent
 * had not started it, or it failed to start) is known by what {@link RecoveryConfig#write} left
 * in it: {@code standby.signal} and the {@code # understudy: standby of ...} header in {@code
 * postgresql.auto.conf}; see {@link #ownStandby}.
 */
final class TargetDirectory {
    private static final Logger log = LoggerFactory.getLogger(TargetDirectory.class);

    static final String MARKER_SUFFIX = ".understudy-creating";
    static final String REPLACED_INFIX = ".replaced-";
    /** Written by pg_basebackup into the copy; PostgreSQL renames it when it first starts on it. */
    static final String BACKUP_LABEL = "backup_label";

    /** What a creation for one primary and slot finds of an earlier one at the target. */
    enum OwnStandby {
        /** Nothing of ours for this primary and slot (or it runs): what is there is not ours to reuse. */
        NONE,
        /** A finished copy of ours that never started: its backup_label is still there. */
        NEVER_STARTED,
        /** A standby of ours that has started and stopped: in archive recovery, or shut down in recovery. */
        STARTED,
        /** Ours, but not a consistent standby (some other cluster state, or pg_control unreadable). */
        INCONSISTENT
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Duration CONTROL_DATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STRAY_EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final Path path;

    TargetDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    Path path() {
        return path;
    }

    /** {@code <dir>.understudy-creating}, beside the directory. */
    Path marker() {
        return path.resolveSibling(path.getFileName() + MARKER_SUFFIX);
    }

    /** Whether the marker of an unfinished creation is there. */
    boolean hasMarker() {
        return Files.exists(marker());
    }

    /**
     * What the directory holds now. Reads files and, for a cluster, runs pg_controldata with
     * {@code runner} (for the system identifier); never throws: what cannot be read is reported
     * as not there (null, false).
     */
    TargetInspection inspect(CommandRunner runner) {
        try {
            if (!Files.exists(path)) {
                return new TargetInspection(false, false, false, null, false, null);
            }
            boolean empty = Files.isDirectory(path) && isEmptyDirectory();
            boolean unfinished = hasMarker();
            DataDirectory data = new DataDirectory(path);
            if (data.problem().isPresent()) {
                return new TargetInspection(true, empty, false, null, false, null, unfinished);
            }
            String major = data.majorVersion();
            boolean running = isRunning();
            boolean ours = unfinished || (!running && RecoveryConfig.isConfiguredByUs(path));
            return new TargetInspection(true, false, true, major, running, systemIdentifier(major, runner), ours);
        } catch (RuntimeException e) {
            log.debug("cannot inspect {}: {}", path, e.getMessage());
            return new TargetInspection(Files.exists(path), false, false, null, false, null);
        }
    }

    /**
     * What an earlier creation of a standby of {@code spec}'s primary and slot left here, as
     * {@link OwnStandby} tells; {@code seen} is what {@link #inspect} saw. Only a cluster that does
     * not run and that {@link RecoveryConfig#isStandbyOf} this primary and slot is ours. Reads
     * files and, without a backup_label, runs pg_controldata; never throws.
     */
    OwnStandby ownStandby(ReplicationSpec spec, TargetInspection seen, CommandRunner runner) {
        if (!seen.holdsCluster() || seen.running() || seen.majorVersion() == null || isRunning()) {
            return OwnStandby.NONE;
        }
        if (!RecoveryConfig.isStandbyOf(path, spec)) {
            return OwnStandby.NONE;
        }
        if (Files.exists(path.resolve(BACKUP_LABEL))) {
            return OwnStandby.NEVER_STARTED;
        }
        ControlData control = controlData(seen.majorVersion(), runner);
        return classify(control == null ? null : control.clusterState());
    }

    /**
     * A standby of ours without a backup_label by its {@code clusterState}: STARTED when a
     * standby can go on from there, INCONSISTENT otherwise (or when null: pg_control unreadable).
     */
    static OwnStandby classify(@Nullable String clusterState) {
        if ("in archive recovery".equals(clusterState) || "shut down in recovery".equals(clusterState)) {
            return OwnStandby.STARTED;
        }
        return OwnStandby.INCONSISTENT;
    }

    /** Whether a live postmaster serves the directory (postmaster.pid names a live process). */
    boolean isRunning() {
        try {
            return PostmasterPid.read(path).map(PostmasterPid::isProcessAlive).orElse(false);
        } catch (EngineException e) {
            // postmaster.pid is being written: a postmaster is starting
            return e.failure() == Failure.TRANSIENT;
        }
    }

    /** The port the postmaster serving the directory listens on; null when none runs or it does not say. */
    @Nullable
    Integer runningPort() {
        try {
            return PostmasterPid.read(path)
                    .filter(PostmasterPid::isProcessAlive)
                    .map(PostmasterPid::port)
                    .orElse(null);
        } catch (EngineException e) {
            return null;
        }
    }

    /**
     * Writes the marker, owned by {@code owner} when given.
     *
     * @throws EngineException PERMANENT when it cannot be written
     */
    void writeMarker(String content, Optional<String> owner) {
        ConfigFiles.create(marker(), content, owner);
    }

    /**
     * Removes the marker; the directory then holds a finished standby. Idempotent.
     *
     * @throws EngineException PERMANENT when it cannot be removed
     */
    void removeMarker() {
        try {
            Files.deleteIfExists(marker());
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot remove " + marker() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames the directory to {@code <dir>.replaced-<yyyyMMdd-HHmmss>} (with a suffix when that
     * exists), never deleting anything.
     *
     * @return the new name
     * @throws EngineException PERMANENT when it cannot be renamed
     */
    Path moveAside(Instant now) {
        String stamp = STAMP.format(now.atZone(ZoneId.systemDefault()));
        Path aside = path.resolveSibling(path.getFileName() + REPLACED_INFIX + stamp);
        for (int i = 2; Files.exists(aside); i++) {
            aside = path.resolveSibling(path.getFileName() + REPLACED_INFIX + stamp + "-" + i);
        }
        try {
            try {
                Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("it is a mount point or on another file system than " + aside, e);
            }
        } catch (IOException e) {
            throw new EngineException(
                    Failure.PERMANENT, "cannot move " + path + " aside to " + aside + ": " + e.getMessage(), e);
        }
        log.info("{}: moved aside to {}", path, aside);
        return aside;
    }

    /**
     * Makes the directory exist, empty, mode 0700, owned by {@code owner} when given; removes
     * what an unfinished copy left in it. The caller has made sure that nothing else is there.
     *
     * @throws EngineException PERMANENT when that fails
     */
    void prepareEmpty(Optional<String> owner) {
        try {
            if (Files.exists(path)) {
                deleteContents();
            } else {
                Files.createDirectories(path);
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
            owner.ifPresent(user -> OsUser.chown(path, user));
        } catch (IOException | RuntimeException e) {
            if (e instanceof EngineException engine) {
                throw engine;
            }
            throw new EngineException(Failure.PERMANENT, "cannot prepare " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kills any pg_basebackup still writing into the directory: one started by an earlier
     * attempt whose agent died (kill -9 leaves its children running). It would hold the slot and
     * keep writing into the directory being cleaned. Matched by program name and {@code -D
     * <dir>}, killed by process id.
     */
    void stopStrayCopies() {
        List<ProcessHandle> strays;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            strays = all.filter(this::isCopyIntoThis).toList();
        }
        for (ProcessHandle stray : strays) {
            // pg_basebackup forks its WAL streamer: killing the parent's tree takes the child too.
            if (stray.parent().filter(strays::contains).isPresent()) {
                continue;
            }
            log.warn("{}: killing pg_basebackup {} left by an interrupted creation", path, stray.pid());
            stray.descendants().forEach(ProcessHandle::destroyForcibly);
            stray.destroyForcibly();
            try {
                stray.onExit().get(STRAY_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(Failure.TRANSIENT, "interrupted while stopping pg_basebackup", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new EngineException(
                        Failure.TRANSIENT, "pg_basebackup " + stray.pid() + " still runs after SIGKILL", e);
            }
        }
    }

    /** Whether the directory holds no entry. */
    private boolean isEmptyDirectory() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean isCopyIntoThis(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        Optional<String> command = info.command();
        Optional<String[]> arguments = info.arguments();
        if (command.isEmpty() || arguments.isEmpty() || !command.get().endsWith("/pg_basebackup")) {
            return false;
        }
        String[] args = arguments.get();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-D")
                    && Path.of(args[i + 1]).toAbsolutePath().normalize().equals(path)) {
                return true;
            }
        }
        return false;
    }

    private void deleteContents() throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(path)) {
                    try {
                        Files.delete(p);
                    } catch (NoSuchFileException e) {
                        // gone already
                    }
                }
            }
        }
    }

    private @Nullable String systemIdentifier(String majorVersion, CommandRunner runner) {
        ControlData control = controlData(majorVersion, runner);
        return control == null ? null : control.systemIdentifier();
    }

    private @Nullable ControlData controlData(String majorVersion, CommandRunner runner) {
        try {
            return ControlData.read(path, PostgresBinaries.forMajorVersion(majorVersion), runner, CONTROL_DATA_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("{}: pg_controldata failed: {}", path, e.getMessage());
            return null;
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
