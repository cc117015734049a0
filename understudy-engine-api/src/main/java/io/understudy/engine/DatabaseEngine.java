package io.understudy.engine;

import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.TargetInspection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * A database technology the agent can manage. Found with {@link ServiceLoader}; one Maven module
 * per engine, registered in {@code META-INF/services/io.understudy.engine.DatabaseEngine}.
 */
public interface DatabaseEngine {

    /** Stable id used in configuration and in the store, e.g. {@code "postgresql"}; never changes. */
    String id();

    /**
     * Whether {@code dataDirectory} holds a database of this engine. Reads files only; does not
     * block beyond that and never throws for a missing or unreadable directory (returns false).
     */
    boolean recognizes(Path dataDirectory);

    /**
     * Opens the database in {@code config.dataDirectory()} for observation and control. Does not
     * start, stop or connect to it.
     *
     * @throws EngineException PERMANENT, naming the directory and the reason, when it does not
     *     hold a database of this engine
     */
    Instance open(InstanceConfig config);

    /**
     * The major versions of this engine installed on this host, newest first, e.g. {@code
     * ["15"]}. Reads the file system; never throws (empty when none is found).
     */
    List<String> installedMajorVersions();

    /**
     * What {@code dataDirectory} holds now, for a standby target: nothing, an empty directory, or
     * a cluster (its version, whether it runs). Reads files only; never throws.
     */
    TargetInspection inspect(Path dataDirectory);

    /**
     * Creates a standby: copies the primary through the replication slot (a base backup), then
     * writes the standby's configuration for {@code request.replication()}'s mode and port. Does
     * not start it. Reports progress to {@code progress} as it goes. Blocks until done, at most
     * {@code request.timeout()}.
     *
     * <p>Safe to run again after an interruption: a directory left by an unfinished creation is
     * removed and the copy starts over; a finished copy of our own for the same primary and slot,
     * not running, is kept and only configured again (no second copy). A cluster that was there
     * before is moved aside (renamed, never deleted) only when {@code request.replaceExisting()};
     * it is stopped first if it runs.
     *
     * @throws EngineException PERMANENT when a cluster is there and replacing it was not
     *     confirmed, or the primary refuses the connection (credentials, pg_hba); TRANSIENT when
     *     the primary does not answer or the copy breaks off
     */
    void createStandby(StandbyCreation request, Consumer<ActionProgress> progress);

    /**
     * Makes the stopped old primary in {@code request.dataDirectory()} a standby of {@code
     * request.replication()}'s primary: drops its own copy of the replication slot, rewinds it
     * from the new primary first when {@code request.rewind()} (pg_rewind), and writes the
     * standby's configuration. When it cannot be rewound (the WAL it needs is gone, it lacks
     * {@code wal_log_hints} and checksums), copies it again as {@link #createStandby} does and
     * says why in the result. Does not start it. Safe to run again.
     *
     * @throws EngineException TRANSIENT when the new primary does not answer; PERMANENT when the
     *     directory holds no cluster or a running one that is not a standby of that primary
     */
    Rejoined rejoinAsStandby(StandbyRejoin request, Consumer<ActionProgress> progress);

    /**
     * Whether a database server answers its protocol at {@code host:port} within {@code timeout}:
     * more than an open port, since the kernel completes a connection to a frozen server. For the
     * standby's agent, which watches its primary.
     *
     * @return empty when it answers, else what went wrong in a few words
     */
    Optional<String> answers(String host, int port, Duration timeout);

    /**
     * This engine's side of WAL shipping.
     *
     * @throws EngineException UNSUPPORTED when the engine cannot ship WAL
     */
    default WalShipping walShipping() {
        throw new EngineException(Failure.UNSUPPORTED, "the " + id() + " engine cannot ship WAL files");
    }

    /** The engine that recognizes {@code dataDirectory}, among those on the class path. */
    static Optional<DatabaseEngine> forDataDirectory(Path dataDirectory) {
        for (DatabaseEngine engine : ServiceLoader.load(DatabaseEngine.class)) {
            if (engine.recognizes(dataDirectory)) {
                return Optional.of(engine);
            }
        }
        return Optional.empty();
    }
}
