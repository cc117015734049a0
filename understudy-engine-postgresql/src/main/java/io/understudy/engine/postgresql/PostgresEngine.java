package io.understudy.engine.postgresql;

import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.Rejoined;
import io.understudy.engine.StandbyCreation;
import io.understudy.engine.StandbyRejoin;
import io.understudy.engine.WalShipping;
import io.understudy.engine.process.CommandRunner;
import io.understudy.engine.process.OsUser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL {@link DatabaseEngine}. Registered for {@link java.util.ServiceLoader}; the
 * agent, which runs as the data directory's owner, uses the no-argument constructor.
 */
public final class PostgresEngine implements DatabaseEngine {
    /** This engine's {@link #id()}. */
    public static final String ID = "postgresql";

    private final CommandRunner runner;
    private final InstantSource clock;

    /** Runs PostgreSQL's programs as the current user. */
    public PostgresEngine() {
        this(commandRunner(null));
    }

    /**
     * Runs PostgreSQL's programs with {@code runner}, e.g. {@code commandRunner("postgres")} in a
     * test that runs as root. The runner must use the C locale; see {@link #commandRunner}.
     */
    public PostgresEngine(CommandRunner runner) {
        this(runner, InstantSource.system());
    }

    /** As {@link #PostgresEngine(CommandRunner)}, reading the time from {@code clock}. */
    public PostgresEngine(CommandRunner runner, InstantSource clock) {
        this.runner = runner;
        this.clock = clock;
    }

    /**
     * A runner for PostgreSQL's programs: in the C locale, so that their output parses whatever
     * the host's language, and as {@code runAsUser} when this process is root (see {@link
     * OsUser#commandAs}).
     *
     * @param runAsUser the data directory's owner; null to run as the current user
     */
    public static CommandRunner commandRunner(@Nullable String runAsUser) {
        return new CommandRunner(runAsUser, Map.of("LC_ALL", "C"));
    }

    @Override
    public String id() {
        return ID;
    }

    /** True when {@code dataDirectory} holds {@code PG_VERSION} and {@code global/pg_control}. */
    @Override
    public boolean recognizes(Path dataDirectory) {
        return new DataDirectory(dataDirectory).problem().isEmpty();
    }

    /**
     * Opens the data directory. Reads {@code PG_VERSION}; does not start, stop or connect to the
     * server, nor look for PostgreSQL's programs (that waits until one is needed).
     *
     * @throws EngineException PERMANENT "{@code <dir>} is not a PostgreSQL data directory: {@code
     *     <reason>}" (does not exist, not readable, no PG_VERSION file, ...)
     */
    @Override
    public PostgresInstance open(InstanceConfig config) {
        DataDirectory directory = new DataDirectory(config.dataDirectory());
        Optional<String> problem = directory.problem();
        if (problem.isPresent()) {
            throw new EngineException(
                    Failure.PERMANENT, directory + " is not a PostgreSQL data directory: " + problem.get());
        }
        return new PostgresInstance(config, directory, runner);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Looks where {@link PostgresBinaries} looks: {@value PostgresBinaries#ENV_VARIABLE},
     * Debian's {@code /usr/lib/postgresql/<major>/bin}, and {@code pg_config} on {@code PATH}.
     * Runs {@code pg_config} and {@code pg_ctl --version} (a few seconds at most).
     */
    @Override
    public List<String> installedMajorVersions() {
        return PostgresBinaries.installedMajorVersions();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A cluster is a directory with {@code PG_VERSION} and {@code global/pg_control}; it runs
     * when its {@code postmaster.pid} names a live process; its system identifier comes from
     * {@code pg_controldata} (null when that fails). A partial copy left by an interrupted {@link
     * #createStandby} is reported as what it holds; createStandby redoes it without confirmation.
     * So is, with {@code unfinishedCopy}, a cluster that does not run and that createStandby
     * configured as a standby ({@code standby.signal} and its header in {@code
     * postgresql.auto.conf}), which it resumes: the directory alone does not say for which
     * request, so createStandby refuses it, PERMANENT, when it is the standby of another primary,
     * slot or application name (or cluster), until replacing it is confirmed.
     */
    @Override
    public Optional<String> answers(String host, int port, Duration timeout) {
        return ServerProbe.answers(host, port, timeout);
    }

    @Override
    public TargetInspection inspect(Path dataDirectory) {
        return new TargetDirectory(dataDirectory).inspect(runner);
    }

    /**
     * {@inheritDoc}
     *
     * <p>In order, changing nothing until the primary is known to take the standby: refuses an
     * occupied target without {@code replaceExisting}; connects to the primary as the replication
     * user and checks its slot; moves a cluster or other files at the target aside when
     * confirmed, to {@code <dir>.replaced-<yyyyMMdd-HHmmss>}, after a fast stop when it runs (an
     * unfinished copy, known by its marker, is removed instead, and a pg_basebackup still
     * writing into it is killed). A finished copy of its own that does not run, configured for
     * the same primary host and port, slot and application name, of the same cluster, is not
     * copied again: when its {@code backup_label} is still there (never started), or it is in
     * archive recovery or shut down in recovery (unless replacing it was confirmed: then it is
     * moved aside), only its standby configuration is written again (mode and port may have
     * changed) and the creation ends there; in any other state it is removed and copied again
     * without confirmation. Otherwise: writes the marker {@code <dir>.understudy-creating}; runs
     * {@code pg_basebackup -X stream -S <slot>} with the password in its environment; writes
     * {@code standby.signal} and, in {@code postgresql.auto.conf}, {@code primary_conninfo} (with
     * keepalives), {@code primary_slot_name}, {@code hot_standby} and {@code port}; removes the
     * marker. A failed copy is removed again. Phases reported: {@value
     * StandbyCreator#PHASE_MOVING_ASIDE}, {@value StandbyCreator#PHASE_COPYING} (with bytes, at
     * most four times a second) and {@value StandbyCreator#PHASE_CONFIGURING}. Files are written
     * as, or given to, the runner's user.
     *
     * @throws EngineException "create standby at {@code <dir>}: ...": PERMANENT for an unconfirmed
     *     replacement, a refused user, a missing slot, missing binaries; TRANSIENT when the
     *     primary does not answer, the copy breaks off or the timeout passes. For WAL shipping,
     *     no slot is used, and the standby's WAL archive is made ready beside the data directory.
     */
    @Override
    public void createStandby(StandbyCreation request, Consumer<ActionProgress> progress) {
        new StandbyCreator(runner, clock).create(request, progress);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reports the phases {@value Rejoiner#PHASE_REWINDING} and {@value
     * Rejoiner#PHASE_CONFIGURING}, and those of {@link #createStandby} when it copies again.
     */
    @Override
    public Rejoined rejoinAsStandby(StandbyRejoin request, Consumer<ActionProgress> progress) {
        return new Rejoiner(runner, clock).rejoin(request, progress);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The shipping directory is {@code <data directory>.wal-shipping}, beside the data directory
     * (so its parent must be writable by the database's owner).
     */
    @Override
    public WalShipping walShipping() {
        return new PostgresWalShipping(runner);
    }
}
