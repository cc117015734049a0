package io.understudy.agent;

import io.understudy.core.database.AgentName;
import io.understudy.core.net.HostPort;
import io.understudy.core.protocol.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything an agent needs to run, validated on construction: a bad value fails with the
 * setting's name, the value and what is allowed (STYLE.md 1.6).
 *
 * @param name the agent's unique name, e.g. {@code psql1}
 * @param controlCenter the Control Center's base URL, e.g. {@code http://127.0.0.1:7800}
 * @param passphrase the enrolment passphrase shared with the Control Center
 * @param dataDirectories the data directories of the databases this agent manages from its start;
 *     may be empty on a host that holds no database yet (a standby target)
 * @param listen where the agent's own endpoint listens
 * @param databaseUser the database user the agent connects as
 * @param databasePassword that user's password; null where the database trusts the agent
 * @param probeTimeout the longest one observation of one database may take
 * @param stateDirectory where the agent keeps the state it has reached ({@link StateFile})
 */
public record AgentSettings(
        String name,
        URI controlCenter,
        Secret passphrase,
        List<Path> dataDirectories,
        HostPort listen,
        String databaseUser,
        @Nullable Secret databasePassword,
        Duration probeTimeout,
        Path stateDirectory) {

    public AgentSettings {
        if (!AgentName.isValid(name)) {
            throw new IllegalArgumentException(
                    "--name '" + name + "' is not a valid agent name: use " + AgentName.RULE);
        }
        String scheme = controlCenter.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || controlCenter.getHost() == null) {
            throw new IllegalArgumentException(
                    "--control-center '" + controlCenter + "' must be an http:// or https:// URL with a host");
        }
        if (passphrase.isEmpty()) {
            throw new IllegalArgumentException("--passphrase-file: the enrolment passphrase is empty");
        }
        dataDirectories = dataDirectories.stream()
                .map(p -> p.toAbsolutePath().normalize())
                .toList();
        if (dataDirectories.stream().distinct().count() != dataDirectories.size()) {
            throw new IllegalArgumentException("--data-directory: the same data directory is given twice");
        }
        if (databaseUser.isBlank()) {
            throw new IllegalArgumentException("--database-user must not be empty");
        }
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("probe timeout must be positive, got " + probeTimeout);
        }
        stateDirectory = stateDirectory.toAbsolutePath().normalize();
        for (Path dataDirectory : dataDirectories) {
            if (stateDirectory.startsWith(dataDirectory)) {
                throw new IllegalArgumentException("--state-dir " + stateDirectory
                        + " must not be in a data directory the agent manages (" + dataDirectory + ")");
            }
        }
    }
}
