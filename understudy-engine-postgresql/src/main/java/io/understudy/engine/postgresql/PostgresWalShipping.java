package io.understudy.engine.postgresql;

import io.understudy.core.protocol.Secret;
import io.understudy.engine.EndOfRecovery;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.StoredWal;
import io.understudy.engine.WalFile;
import io.understudy.engine.WalShipping;
import io.understudy.engine.process.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's side of WAL shipping: WAL files read from {@code pg_wal}, the standby's archive in
 * its shipping directory ({@link WalArchive}), the scripts PostgreSQL calls ({@link
 * ShippingScripts}), promotion with {@code pg_ctl promote}. Thread-safe.
 */
final class PostgresWalShipping implements WalShipping {
    private static final Logger log = LoggerFactory.getLogger(PostgresWalShipping.class);
    private static final Duration CONTROL_DATA_TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner;
    private final Map<Path, String> systemIdentifiers = new ConcurrentHashMap<>();

    PostgresWalShipping(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public Path shippingDirectory(Path dataDirectory) {
        return WalArchive.directoryOf(dataDirectory);
    }

    @Override
    public boolean writeArchiveTarget(Path dataDirectory, String endpoint, Secret token) {
        return archive(dataDirectory).writeAgentTarget(endpoint, "Authorization: Bearer " + token.reveal());
    }

    @Override
    public WalFile walFile(Path dataDirectory, String name) {
        if (!WalNames.isArchived(name)) {
            throw new EngineException(Failure.PERMANENT, "'" + name + "' is not the name of a WAL file to archive");
        }
        Path file = dataDirectory.resolve("pg_wal").resolve(name);
        try {
            return new WalFile(name, file, Files.size(file), WalArchive.sha256(file), systemIdentifier(dataDirectory));
        } catch (IOException e) {
            throw new EngineException(Failure.TRANSIENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<WalFile> pendingSegments(Path dataDirectory) {
        Path status = dataDirectory.resolve("pg_wal").resolve("archive_status");
        List<WalFile> pending = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(status, "*.ready")) {
            List<String> names = new ArrayList<>();
            for (Path f : files) {
                String name = f.getFileName().toString();
                names.add(name.substring(0, name.length() - ".ready".length()));
            }
            names.sort(Comparator.naturalOrder());
            for (String name : names) {
                if (WalNames.isArchived(name)) {
                    pending.add(walFile(dataDirectory, name));
                }
            }
            return pending;
        } catch (IOException e) {
            throw new EngineException(Failure.TRANSIENT, "cannot read " + status + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<WalFile> partialSegment(Path dataDirectory, Duration timeout) {
        DataDirectory directory = new DataDirectory(dataDirectory);
        if (directory.postmasterPid().map(PostmasterPid::isProcessAlive).orElse(false)) {
            throw new EngineException(
                    Failure.TRANSIENT,
                    dataDirectory + " runs: its last WAL segment is still being written; stop it first");
        }
        ControlData control = ControlData.read(
                dataDirectory, PostgresBinaries.forMajorVersion(directory.majorVersion()), runner, timeout);
        Path walDirectory = dataDirectory.resolve("pg_wal");
        try {
            List<String> segments = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(walDirectory)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (WalNames.isSegment(name) && Integer.parseInt(name.substring(0, 8), 16) == control.timeline()) {
                        segments.add(name);
                    }
                }
            }
            segments.sort(Comparator.reverseOrder());
            for (String name : segments) {
                Path file = walDirectory.resolve(name);
                byte[] head;
                try (InputStream in = Files.newInputStream(file)) {
                    head = in.readNBytes(WalPageHeader.LENGTH);
                }
                Optional<WalPageHeader> header = WalPageHeader.parse(head);
                // A recycled or preallocated segment does not start with its own first page.
                if (header.isPresent() && header.get().belongsTo(name)) {
                    log.info("{}: the last WAL segment written is {}", dataDirectory, name);
                    return Optional.of(new WalFile(
                            name + ".partial",
                            file,
                            Files.size(file),
                            WalArchive.sha256(file),
                            control.systemIdentifier()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new EngineException(Failure.TRANSIENT, "cannot read " + walDirectory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StoredWal store(
            Path dataDirectory, String name, InputStream content, String sha256, String systemIdentifier) {
        return archive(dataDirectory).store(name, content, sha256, systemIdentifier);
    }

    @Override
    public void endRecovery(InstanceConfig config, EndOfRecovery mode, Duration timeout) {
        DataDirectory directory = new DataDirectory(config.dataDirectory());
        boolean running =
                directory.postmasterPid().map(PostmasterPid::isProcessAlive).orElse(false);
        if (!directory.hasRecoverySignal()) {
            if (running) {
                return; // a primary already
            }
            throw new EngineException(
                    Failure.PERMANENT, config.dataDirectory() + " is not a standby (no standby.signal)");
        }
        if (!running) {
            throw new EngineException(
                    Failure.TRANSIENT, config.dataDirectory() + " does not run; start it to end its recovery");
        }
        WalArchive archive = archive(config.dataDirectory());
        if (!Files.isDirectory(archive.archive())) {
            throw new EngineException(
                    Failure.PERMANENT, config.dataDirectory() + " is not a WAL-shipping standby (no " + archive + ")");
        }
        log.info("{}: ending recovery ({}), then promoting", config.dataDirectory(), mode);
        archive.requestEndOfRecovery(mode);
        try (PostgresInstance standby = new PostgresInstance(config, directory, runner)) {
            standby.promote(null, timeout);
        }
    }

    @Override
    public boolean applyArchiveTimeout(InstanceConfig config, long seconds) {
        DataDirectory directory = new DataDirectory(config.dataDirectory());
        int port = directory
                .postmasterPid()
                .filter(PostmasterPid::isProcessAlive)
                .map(PostmasterPid::port)
                .orElse(directory.configuredPort());
        try (PostgresQueries queries = new PostgresQueries(
                config.host(),
                config.user(),
                config.password(),
                config.probeTimeout(),
                PostgresQueries.APPLICATION_NAME)) {
            @Nullable
            Object current = queries.query(port, "select setting from pg_settings where name = 'archive_timeout'")
                    .get(0)
                    .get("setting");
            if (String.valueOf(seconds).equals(String.valueOf(current))) {
                return false;
            }
            queries.execute(port, "alter system set archive_timeout = '" + seconds + "s'");
            queries.query(port, "select pg_reload_conf()");
            log.info("{}: archive_timeout {} s → {} s", config.dataDirectory(), current, seconds);
            return true;
        } catch (SQLException e) {
            throw PostgresErrors.toEngineException("set archive_timeout on " + config.dataDirectory(), e);
        }
    }

    private WalArchive archive(Path dataDirectory) {
        return new WalArchive(dataDirectory, runner.runAsUser());
    }

    private String systemIdentifier(Path dataDirectory) {
        return systemIdentifiers.computeIfAbsent(dataDirectory, dir -> ControlData.read(
                        dir,
                        PostgresBinaries.forMajorVersion(new DataDirectory(dir).majorVersion()),
                        runner,
                        CONTROL_DATA_TIMEOUT)
                .systemIdentifier());
    }
}
