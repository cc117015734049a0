package io.understudy.engine;

import io.understudy.core.protocol.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the agent reaches one local database.
 *
 * @param dataDirectory absolute path of the data directory
 * @param host where the database listens for the agent's SQL connections, e.g. {@code 127.0.0.1}
 * @param user the database user the agent connects as (a superuser)
 * @param password that user's password, or null where the database trusts the agent
 * @param probeTimeout the longest one observation may take
 */
public record InstanceConfig(
        Path dataDirectory, String host, String user, @Nullable Secret password, Duration probeTimeout) {

    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);

    public InstanceConfig {
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("probeTimeout must be positive: " + probeTimeout);
        }
    }

    /** Connects as {@code postgres} on loopback with no password, the local test drive's way. */
    public static InstanceConfig local(Path dataDirectory) {
        return new InstanceConfig(dataDirectory, "127.0.0.1", "postgres", null, DEFAULT_PROBE_TIMEOUT);
    }

    public Optional<Secret> passwordIfAny() {
        return Optional.ofNullable(password);
    }
}
