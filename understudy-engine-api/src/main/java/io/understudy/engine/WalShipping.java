package io.understudy.engine;

import io.understudy.core.protocol.Secret;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An engine's side of WAL shipping (DESIGN.md: WAL_SHIPPING): on the primary, the WAL files its
 * archive command hands to the agent; on the standby, the archive those files are stored in, which
 * its waiting restore command reads; and the two primitives a switchover or failover needs: end the
 * standby's recovery, and take the partial last WAL file of a primary that stopped. The agent moves
 * the files between hosts; the engine knows their format.
 *
 * <p>Each database keeps what shipping needs in its shipping directory, beside its data directory
 * ({@link #shippingDirectory}): on a primary, the archive command's script and where it reaches its
 * agent; on a standby, the WAL files received and the restore command's script. Thread-safe.
 */
public interface WalShipping {

    /** The shipping directory of the database in {@code dataDirectory}. Pure. */
    Path shippingDirectory(Path dataDirectory);

    /**
     * Writes where the primary's archive command reaches its agent ({@code endpoint}, to which it
     * appends {@code /archive/<WAL file>}) and
     * the token it presents, readable by the database's owner only. Idempotent: writes only what
     * changed. Blocks on the file system only.
     *
     * @return whether anything changed
     * @throws EngineException PERMANENT when the files cannot be written
     */
    boolean writeArchiveTarget(Path dataDirectory, String endpoint, Secret token);

    /**
     * The WAL file {@code name} of the primary in {@code dataDirectory}, to ship: a segment, a
     * timeline history file or a backup history file in its WAL directory. Reads it whole once
     * (its checksum).
     *
     * @throws EngineException PERMANENT for a name that is no WAL file's; TRANSIENT when it
     *     cannot be read
     */
    WalFile walFile(Path dataDirectory, String name);

    /**
     * The complete WAL segments of the primary in {@code dataDirectory} that its archive command
     * has not archived yet (its {@code .ready} files), oldest first: what a shutdown could not ship.
     *
     * @throws EngineException TRANSIENT when they cannot be read
     */
    List<WalFile> pendingSegments(Path dataDirectory);

    /**
     * The partial last WAL segment of a primary that does not run: the segment being written when
     * it stopped, found from its files (the newest segment whose first page is its own, on the
     * timeline of its control file), named {@code <segment>.partial}. Empty when there is none.
     *
     * @throws EngineException TRANSIENT when the primary runs (its last segment is still written)
     *     or its files cannot be read
     */
    Optional<WalFile> partialSegment(Path dataDirectory, Duration timeout);

    /**
     * Stores a WAL file received for the standby in {@code dataDirectory} in its archive, durably:
     * written to a temporary file, checked, fsynced, renamed, and the directory fsynced; only then
     * does it return STORED. A file whose checksum differs from {@code sha256} is never stored (so
     * never replayed); nor is a segment whose page header names another system than the archive's
     * (or, for its first file, than {@code systemIdentifier}). A file already there with the same
     * content is a DUPLICATE (success); with other content, a CONFLICT, kept as the archive's last
     * refusal. A {@code .partial} file replaces an older one. Blocks on the file system.
     *
     * @param systemIdentifier the primary's system identifier, as its agent states it
     * @throws EngineException TRANSIENT when the file cannot be written (a full disk): the sender
     *     tries again later
     */
    StoredWal store(Path dataDirectory, String name, InputStream content, String sha256, String systemIdentifier);

    /**
     * Ends the recovery of the WAL-shipping standby in {@code config}'s data directory: the
     * waiting restore command stops waiting, and the standby is promoted. {@link EndOfRecovery#SMART}
     * replays every WAL file received first (and a {@code .partial} one last), {@link
     * EndOfRecovery#FAST} ends at once. Blocks until the standby runs as a primary, at most {@code
     * timeout}. Idempotent: returns at once when it is a primary already.
     *
     * @throws EngineException TRANSIENT when it is down or not done within {@code timeout};
     *     PERMANENT when it is not a WAL-shipping standby
     */
    void endRecovery(InstanceConfig config, EndOfRecovery mode, Duration timeout);

    /**
     * Sets the running primary's {@code archive_timeout} to {@code seconds} and reloads, when it
     * differs. Blocks at most the probe timeout per statement.
     *
     * @return whether it changed
     * @throws EngineException as {@link Instance#execute}
     */
    boolean applyArchiveTimeout(InstanceConfig config, long seconds);
}
