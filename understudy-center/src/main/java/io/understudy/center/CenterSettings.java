package io.understudy.center;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;

/**
 * How a Control Center runs. Validated when built: a bad value fails at once with the setting, the
 * value and the allowed range, and is never corrected quietly.
 *
 * @param listenHost address to listen on, e.g. {@code 127.0.0.1}
 * @param listenPort port to listen on, 0 for any free port
 * @param dataDirectory where the store and the generated enrolment passphrase live; created if absent
 * @param adminPasswordFile file whose first line is the first admin's password; null to generate one
 * @param passphraseFile file whose first line is the enrolment passphrase; null to use (or generate)
 *     {@code DATA/enrolment-passphrase}
 * @param reportInterval how often agents are told to report
 * @param offlineAfter an agent without a report for longer than this is offline
 * @param clock the Control Center's clock for every stored time
 */
public record CenterSettings(
        String listenHost,
        int listenPort,
        Path dataDirectory,
        @Nullable Path adminPasswordFile,
        @Nullable Path passphraseFile,
        Duration reportInterval,
        Duration offlineAfter,
        InstantSource clock) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7800;
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofSeconds(2);

    static final Duration MIN_REPORT_INTERVAL = Duration.ofMillis(50);
    static final Duration MAX_REPORT_INTERVAL = Duration.ofMinutes(1);
    static final Duration MAX_OFFLINE_AFTER = Duration.ofMinutes(10);

    /**
     * Validates every setting.
     *
     * @throws IllegalArgumentException naming the setting, the value and what is allowed
     */
    public CenterSettings {
        if (listenHost == null || listenHost.isBlank()) {
            throw new IllegalArgumentException("listen host must not be empty; e.g. 127.0.0.1");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException(
                    "listen port must be from 0 to 65535 (0 = any free port); got " + listenPort);
        }
        if (dataDirectory == null) {
            throw new IllegalArgumentException("data directory is required");
        }
        if (dataDirectory.toString().contains(";")) {
            throw new IllegalArgumentException(
                    "data directory must not contain ';' (it goes into a JDBC URL); got " + dataDirectory);
        }
        if (reportInterval == null
                || reportInterval.compareTo(MIN_REPORT_INTERVAL) < 0
                || reportInterval.compareTo(MAX_REPORT_INTERVAL) > 0) {
            throw new IllegalArgumentException("report interval must be from " + millis(MIN_REPORT_INTERVAL) + " to "
                    + millis(MAX_REPORT_INTERVAL) + "; got " + millis(reportInterval));
        }
        if (offlineAfter == null
                || offlineAfter.compareTo(reportInterval) <= 0
                || offlineAfter.compareTo(MAX_OFFLINE_AFTER) > 0) {
            throw new IllegalArgumentException("offline-after must be more than the report interval ("
                    + millis(reportInterval) + ") and at most " + millis(MAX_OFFLINE_AFTER) + "; got "
                    + millis(offlineAfter));
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock is required");
        }
    }

    /**
     * Listen on {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}, generated admin password and passphrase,
     * default intervals, the system clock.
     */
    public static CenterSettings defaults(Path dataDirectory) {
        return new CenterSettings(
                DEFAULT_HOST,
                DEFAULT_PORT,
                dataDirectory,
                null,
                null,
                DEFAULT_REPORT_INTERVAL,
                DEFAULT_OFFLINE_AFTER,
                InstantSource.system());
    }

    public CenterSettings withListen(String host, int port) {
        return new CenterSettings(
                host, port, dataDirectory, adminPasswordFile, passphraseFile, reportInterval, offlineAfter, clock);
    }

    public CenterSettings withAdminPasswordFile(@Nullable Path file) {
        return new CenterSettings(
                listenHost, listenPort, dataDirectory, file, passphraseFile, reportInterval, offlineAfter, clock);
    }

    public CenterSettings withPassphraseFile(@Nullable Path file) {
        return new CenterSettings(
                listenHost, listenPort, dataDirectory, adminPasswordFile, file, reportInterval, offlineAfter, clock);
    }

    /** Both intervals at once, as each is validated against the other. */
    public CenterSettings withIntervals(Duration report, Duration offline) {
        return new CenterSettings(
                listenHost, listenPort, dataDirectory, adminPasswordFile, passphraseFile, report, offline, clock);
    }

    public CenterSettings withClock(InstantSource source) {
        return new CenterSettings(
                listenHost,
                listenPort,
                dataDirectory,
                adminPasswordFile,
                passphraseFile,
                reportInterval,
                offlineAfter,
                source);
    }

    private static String millis(@Nullable Duration d) {
        return d == null ? "nothing" : d.toMillis() + " ms";
    }
}
