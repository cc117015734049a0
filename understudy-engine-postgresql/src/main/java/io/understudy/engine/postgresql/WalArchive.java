package io.understudy.engine.postgresql;

import io.understudy.core.protocol.WalArchiveObservation;
import io.understudy.engine.EndOfRecovery;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.StoredWal;
import io.understudy.engine.StoredWal.Outcome;
import io.understudy.engine.process.OsUser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipping directory of one database, {@code <data directory>.wal-shipping}: on a standby,
 * the WAL files received ({@value #ARCHIVE}/), the restore script and its notes (which segment it
 * was asked for, which it served, which is applied), the end-of-recovery trigger, the archive's
 * system identifier and its last refusal; on a primary, the archive script and where it reaches
 * its agent. Files are given to {@code owner} when this process is root. Methods block on the file
 * system only; one writer per file name at a time (the agent serializes a WAL file's transfers).
 */
final class WalArchive {
    private static final Logger log = LoggerFactory.getLogger(WalArchive.class);

    static final String SUFFIX = ".wal-shipping";
    static final String ARCHIVE = "archive";
    static final String END_RECOVERY = "end-recovery";
    static final String SERVED = "served";
    static final String APPLIED = "applied";
    static final String REQUESTED = "requested";
    static final String DEFERRED = "deferred";
    static final String SYSTEM_IDENTIFIER = "system-identifier";
    static final String REFUSED = "refused";
    private static final String INCOMING = ".incoming-";

    private final Path directory;
    private final Optional<String> owner;

    WalArchive(Path dataDirectory, Optional<String> owner) {
        this.directory = directoryOf(dataDirectory);
        this.owner = owner;
    }

    /** {@code <data directory>.wal-shipping}. */
    static Path directoryOf(Path dataDirectory) {
        Path normalized = dataDirectory.toAbsolutePath().normalize();
        return normalized.resolveSibling(normalized.getFileName() + SUFFIX);
    }

    Path directory() {
        return directory;
    }

    Path archive() {
        return directory.resolve(ARCHIVE);
    }

    /**
     * Creates the directory and its archive when missing, and (re)writes both scripts when their
     * text differs.
     *
     * @throws EngineException PERMANENT when they cannot be written
     */
    void prepare() {
        try {
            createDirectory(directory);
            createDirectory(archive());
            writeIfChanged(directory.resolve(ShippingScripts.ARCHIVE), ShippingScripts.archiveScript(), "rwx------");
            writeIfChanged(directory.resolve(ShippingScripts.RESTORE), ShippingScripts.restoreScript(), "rwx------");
        } catch (IOException e) {
            throw new EngineException(
                    Failure.PERMANENT,
                    "cannot write the WAL shipping directory " + directory + ": " + e.getMessage(),
                    e);
        }
    }

    /** Writes the archive script's agent URL and token header; returns whether either changed. */
    boolean writeAgentTarget(String url, String header) {
        try {
            prepare();
            boolean changed = writeIfChanged(directory.resolve(ShippingScripts.AGENT_URL), url + "\n", "rw-------");
            changed |= writeIfChanged(directory.resolve(ShippingScripts.AGENT_HEADER), header + "\n", "rw-------");
            return changed;
        } catch (IOException e) {
            throw new EngineException(
                    Failure.PERMANENT,
                    "cannot write the WAL shipping directory " + directory + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Stores a received file; see {@link io.understudy.engine.WalShipping#store}.
     *
     * @throws EngineException TRANSIENT when it cannot be written
     */
    StoredWal store(String name, InputStream content, String sha256, String declaredSystemIdentifier) {
        if (!WalNames.isStorable(name)) {
            return new StoredWal(Outcome.INVALID_NAME, "'" + cut(name) + "' is not the name of a WAL file");
        }
        Path temporary = null;
        try {
            prepare();
            temporary = archive().resolve(INCOMING + name + "-" + UUID.randomUUID());
            String actual = writeDurably(content, temporary);
            if (!actual.equalsIgnoreCase(sha256)) {
                return new StoredWal(
                        Outcome.DAMAGED,
                        name + " arrived damaged (SHA-256 " + actual + ", sent as " + sha256
                                + "); not stored, send it again");
            }
            if (WalNames.hasPageHeader(name)) {
                String expected = systemIdentifier().orElse(declaredSystemIdentifier);
                Optional<WalPageHeader> header = WalPageHeader.parse(head(temporary));
                if (header.isEmpty()) {
                    return refuse(Outcome.FOREIGN_SYSTEM, name + " does not start with a WAL page header; refused");
                }
                if (!header.get().systemIdentifier().equals(expected)) {
                    return refuse(
                            Outcome.FOREIGN_SYSTEM,
                            name + " comes from another system (" + header.get().systemIdentifier()
                                    + "); this archive is of system " + expected + "; refused");
                }
            }
            Path target = archive().resolve(name);
            if (Files.exists(target) && !WalNames.isPartial(name)) {
                String stored = sha256(target);
                if (stored.equalsIgnoreCase(actual)) {
                    return new StoredWal(Outcome.DUPLICATE, name + " is stored already with the same content");
                }
                return refuse(
                        Outcome.CONFLICT,
                        name + " is stored already with other content (SHA-256 " + stored + ", received " + actual
                                + "); the stored copy is kept and the new one refused");
            }
            move(temporary, target);
            temporary = null;
            fsyncDirectory(archive());
            if (systemIdentifier().isEmpty() && WalNames.hasPageHeader(name)) {
                writeDurably(declaredSystemIdentifier, directory.resolve(SYSTEM_IDENTIFIER));
            }
            log.debug("{}: stored {}", archive(), name);
            return new StoredWal(Outcome.STORED, name + " stored");
        } catch (IOException e) {
            throw new EngineException(
                    Failure.TRANSIENT, "cannot store " + name + " in " + archive() + ": " + e.getMessage(), e);
        } finally {
            ConfigFiles.deleteQuietly(temporary);
        }
    }

    /** The system identifier of the archive's first segment; empty before it. */
    Optional<String> systemIdentifier() throws IOException {
        try {
            return Optional.of(Files.readString(directory.resolve(SYSTEM_IDENTIFIER), StandardCharsets.UTF_8)
                            .strip())
                    .filter(s -> !s.isEmpty());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Empties the archive and forgets its notes, its system identifier and its trigger: for a
     * standby created anew from another primary.
     */
    void clear() {
        try {
            if (Files.isDirectory(archive())) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(archive())) {
                    for (Path f : files) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            for (String note :
                    new String[] {SERVED, APPLIED, REQUESTED, DEFERRED, SYSTEM_IDENTIFIER, REFUSED, END_RECOVERY}) {
                Files.deleteIfExists(directory.resolve(note));
            }
        } catch (IOException e) {
            throw new EngineException(Failure.PERMANENT, "cannot empty " + archive() + ": " + e.getMessage(), e);
        }
    }

    /** Asks the restore script to stop waiting, and how; the file it reads is written durably. */
    void requestEndOfRecovery(EndOfRecovery mode) {
        try {
            prepare();
            writeDurably(mode.name().toLowerCase(java.util.Locale.ROOT), directory.resolve(END_RECOVERY));
        } catch (IOException e) {
            throw new EngineException(
                    Failure.PERMANENT, "cannot ask " + directory + " to end recovery: " + e.getMessage(), e);
        }
    }

    /**
     * Asks the restore script to stop waiting in {@code mode}, unless an end was asked already (a
     * fast one stays fast), for a standby ({@code inRecovery}) that restores from this archive;
     * does nothing for any other database.
     */
    void endRecoveryUnlessAsked(boolean inRecovery, EndOfRecovery mode) {
        if (!inRecovery || Files.exists(directory.resolve(END_RECOVERY))) {
            return;
        }
        Path dataDirectory = directory.resolveSibling(directory
                .getFileName()
                .toString()
                .substring(0, directory.getFileName().toString().length() - SUFFIX.length()));
        boolean restoresHere = ConfigFiles.lastSetting(
                        dataDirectory.resolve(RecoveryConfig.AUTO_CONF), "restore_command")
                .map(command -> command.equals(ShippingScripts.restoreCommand(directory)))
                .orElse(false);
        if (restoresHere) {
            requestEndOfRecovery(mode);
        }
    }

    /** Removes the end-of-recovery trigger, so that a standby made here later waits again. */
    void forgetEndOfRecovery() {
        ConfigFiles.deleteQuietly(directory.resolve(END_RECOVERY));
    }

    /** What the archive holds and how far the restore has got; null when there is no archive. Never throws. */
    @Nullable
    WalArchiveObservation observe() {
        if (!Files.isDirectory(archive())) {
            return null;
        }
        try {
            String applied = note(APPLIED);
            String newest = null;
            Instant newestAt = null;
            long notApplied = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(archive())) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (!WalNames.isSegment(name)) {
                        continue;
                    }
                    if (newest == null || name.compareTo(newest) > 0) {
                        newest = name;
                        newestAt = Files.getLastModifiedTime(f).toInstant();
                    }
                    if (applied == null || name.compareTo(applied) > 0) {
                        notApplied++;
                    }
                }
            }
            return new WalArchiveObservation(newest, newestAt, applied, note(REQUESTED), notApplied, note(REFUSED));
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read {}: {}", archive(), e.getMessage());
            return null;
        }
    }

    private @Nullable String note(String name) throws IOException {
        try {
            String text = Files.readString(directory.resolve(name), StandardCharsets.UTF_8)
                    .strip();
            return text.isEmpty() ? null : text;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private StoredWal refuse(Outcome outcome, String message) throws IOException {
        writeDurably(Instant.now() + " " + message, directory.resolve(REFUSED));
        log.warn("{}: {}", archive(), message);
        return new StoredWal(outcome, message);
    }

    /** Copies {@code content} to {@code file}, fsynced, and returns its SHA-256. */
    private String writeDurably(InputStream content, Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = java.nio.channels.Channels.newOutputStream(channel);
                DigestInputStream in = new DigestInputStream(content, digest)) {
            in.transferTo(out);
            out.flush();
            channel.force(true);
        }
        give(file, "rw-------");
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Writes a small note through a temporary file, fsynced, renamed, its directory fsynced. */
    private void writeDurably(String text, Path file) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel =
                FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        give(temporary, "rw-------");
        move(temporary, file);
        fsyncDirectory(file.toAbsolutePath().resolveSibling("."));
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(WalPageHeader.LENGTH);
        }
    }

    /** The SHA-256 of {@code file}, in lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private void createDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            give(dir, "rwx------");
        }
    }

    private boolean writeIfChanged(Path file, String text, String mode) throws IOException {
        if (Files.isRegularFile(file)
                && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return false;
        }
        writeDurably(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text, file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return true;
    }

    private void give(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        if (owner.isPresent() && OsUser.isRoot()) {
            OsUser.chown(path, owner.get());
        }
    }

    private static String cut(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
