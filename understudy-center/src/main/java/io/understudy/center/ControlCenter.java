package io.understudy.center;

import io.understudy.center.api.ApiServer;
import io.understudy.center.auth.EnrolmentPassphrase;
import io.understudy.center.auth.Sessions;
import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.Enrolment;
import io.understudy.center.monitor.LagHistory;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.orchestrator.Configurations;
import io.understudy.center.orchestrator.GoalSignals;
import io.understudy.center.orchestrator.Orchestrator;
import io.understudy.center.orchestrator.PrimaryHealth;
import io.understudy.center.orchestrator.PrimaryWatch;
import io.understudy.center.store.JdbcStore;
import io.understudy.core.SecretFiles;
import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.Secret;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Control Center: the store, the HTTP server (REST API and web UI) and the housekeeping
 * loop. Wiring only; the behaviour lives in the packages below. Thread-safe.
 */
public final class ControlCenter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlCenter.class);

    private final CenterSettings settings;
    private final JdbcStore store;
    private final EventLog events;
    private final ApiServer api;
    private final Housekeeping housekeeping;
    private final PrimaryWatch observer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ControlCenter(
            CenterSettings settings,
            JdbcStore store,
            EventLog events,
            ApiServer api,
            Housekeeping housekeeping,
            PrimaryWatch observer) {
        this.observer = observer;
        this.settings = settings;
        this.store = store;
        this.events = events;
        this.api = api;
        this.housekeeping = housekeeping;
    }

    /**
     * Starts a Control Center, printing first-start credentials on stdout. See {@link
     * #start(CenterSettings, PrintWriter)}.
     */
    public static ControlCenter start(CenterSettings settings) {
        return start(settings, new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    }

    /**
     * Starts a Control Center and returns once it serves requests. First, changing nothing, it
     * reads the password and passphrase files it was given and checks that the data directory can
     * be one and that the port is free; only then does it create the data directory if needed, open
     * (or create) the store, resolve the enrolment passphrase, listen, create the first admin user on
     * an empty store, and start the housekeeping loop.
     *
     * @param console where what the operator must see once is printed (a generated admin password,
     *     the path of a generated passphrase); never a log
     * @throws UnderstudyException with a message fit for the operator when it cannot start (data
     *     directory not writable, store in use, port in use, empty password file, ...); a failure of
     *     the first checks leaves nothing behind, and everything started later is stopped again
     */
    public static ControlCenter start(CenterSettings settings, PrintWriter console) {
        @Nullable Path passwordFile = settings.adminPasswordFile();
        Optional<Secret> adminPassword = passwordFile == null
                ? Optional.empty()
                : Optional.of(SecretFiles.readFirstLine(passwordFile, "admin password"));
        @Nullable Path passphraseFile = settings.passphraseFile();
        Optional<Secret> givenPassphrase = passphraseFile == null
                ? Optional.empty()
                : Optional.of(SecretFiles.readFirstLine(passphraseFile, "enrolment passphrase"));
        requireDirectoryOrAbsent(settings.dataDirectory());
        ApiServer.requireCanListen(settings.listenHost(), settings.listenPort());
        // From here on, things are created.
        Path data = prepareDataDirectory(settings.dataDirectory());
        // The store keeps microseconds: every time the Control Center hands out is one it can store.
        InstantSource clock = () -> settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
        JdbcStore store = JdbcStore.openFile(data);
        @Nullable ApiServer api = null;
        try {
            EventLog events = new EventLog(store, clock);
            EnrolmentPassphrase passphrase =
                    Credentials.enrolmentPassphrase(data, passphraseFile, givenPassphrase, events, console);
            Liveness liveness = new Liveness(settings.offlineAfter());
            Sessions sessions = new Sessions(store, events, clock);
            Enrolment enrolment = new Enrolment(store, events, passphrase, clock, settings.reportInterval());
            Monitor monitor = new Monitor(store, events, liveness, clock);
            LagHistory lagHistory = new LagHistory(store, clock);
            PrimaryHealth health = new PrimaryHealth();
            Orchestrator orchestrator =
                    new Orchestrator(store, events, monitor, liveness, lagHistory, clock, new GoalSignals(), health);
            Configurations configurations = new Configurations(store, events, orchestrator, liveness, lagHistory);
            api = new ApiServer(
                    sessions, enrolment, monitor, orchestrator, configurations, events, store, liveness, clock);
            api.start(settings.listenHost(), settings.listenPort());
            // Only now that it listens: a password printed by a start that then failed would be lost.
            Credentials.ensureAdmin(store, events, clock, passwordFile, adminPassword, console);
            Housekeeping housekeeping = new Housekeeping(monitor, orchestrator, lagHistory, sessions);
            housekeeping.start();
            PrimaryWatch observer = new PrimaryWatch(store, events, orchestrator, configurations, health, clock);
            observer.start();
            ControlCenter center = new ControlCenter(settings, store, events, api, housekeeping, observer);
            events.record(Event.ok(
                    Event.CONTROL_CENTER,
                    EventKind.CENTER_STARTED,
                    "control-center",
                    "Control Center started on " + center.url() + " with data directory " + data));
            return center;
        } catch (RuntimeException e) {
            if (api != null) {
                api.stop();
            }
            store.close();
            throw e;
        }
    }

    /** The port it listens on (the one chosen when the settings said 0). */
    public int port() {
        return api.port();
    }

    /** {@code http://HOST:PORT}. */
    public String url() {
        return "http://" + ApiServer.hostPort(settings.listenHost(), port());
    }

    /** The settings it runs with. */
    public CenterSettings settings() {
        return settings;
    }

    /**
     * Stops the HTTP server (waiting for requests in progress), the housekeeping loop and the store.
     * Idempotent and safe to call from a shutdown hook.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        String url = url();
        api.stop();
        observer.close();
        housekeeping.close();
        try {
            events.record(Event.ok(
                    Event.CONTROL_CENTER,
                    EventKind.CENTER_STOPPED,
                    "control-center",
                    "Control Center on " + url + " stopped"));
        } catch (RuntimeException e) {
            log.warn("could not record the stop in the event history: {}", e.getMessage());
        }
        store.close();
    }

    /** Refuses a data directory that exists but is not a directory, without creating anything. */
    private static void requireDirectoryOrAbsent(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new UnderstudyException("data directory " + directory + " exists but is not a directory");
        }
    }

    /** Creates the data directory if needed and checks that it can be written. */
    private static Path prepareDataDirectory(Path directory) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // The store holds password and token hashes: readable by this user only, when created here.
                Files.createDirectories(
                        directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UnderstudyException("data directory " + directory + " exists but is not a directory", e);
        } catch (IOException e) {
            throw new UnderstudyException(
                    "cannot create data directory " + directory + ": " + Credentials.describe(e), e);
        }
        try {
            Path probe = Files.createTempFile(directory, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UnderstudyException(
                    "data directory " + directory + " is not writable: " + Credentials.describe(e), e);
        }
        return directory;
    }
}
