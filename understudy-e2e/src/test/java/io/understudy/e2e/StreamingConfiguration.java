package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationView;
import io.understudy.testkit.PgCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmarks' Configuration on a {@link TestSite}: a primary on agent psql1 and the streaming
 * hot standby that agent psql2 creates for it, each agent in its own process; with the waits the
 * benchmarks share. Its databases are named by id ({@code AGENT:PORT}), as the API names them.
 */
final class StreamingConfiguration {
    private static final Duration OPERATION = Duration.ofSeconds(120);
    private static final Duration IN_SYNC = Duration.ofSeconds(60);

    private final String name;
    private final ApiClient api;
    private final PgCluster primary;
    private final int standbyPort;
    private final Path standbyDirectory;

    private StreamingConfiguration(
            String name, ApiClient api, PgCluster primary, int standbyPort, Path standbyDirectory) {
        this.name = name;
        this.api = api;
        this.primary = primary;
        this.standbyPort = standbyPort;
        this.standbyDirectory = standbyDirectory;
    }

    /**
     * Starts both agents, creates Configuration {@code name} and its standby, and returns once the
     * standby streams and is in sync.
     */
    static StreamingConfiguration create(TestSite site, String name) {
        TwoHosts hosts = TwoHosts.create(site, site.api(), site.url(), name);
        StreamingConfiguration configuration = new StreamingConfiguration(
                name, site.api(), hosts.primary(), hosts.standbyPort(), hosts.standbyDirectory());
        configuration.awaitInSync();
        return configuration;
    }

    String name() {
        return name;
    }

    /** The port the Configuration's first primary listens on. */
    int primaryPort() {
        return primary.port();
    }

    /** The port its standby was created on. */
    int standbyPort() {
        return standbyPort;
    }

    /** The port of database {@code id} ({@code AGENT:PORT}). */
    static int port(String id) {
        return Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
    }

    /** The data directory of database {@code id}, one of the two. */
    Path dataDirectory(String id) {
        int port = port(id);
        if (port == primary.port()) {
            return primary.dataDirectory();
        }
        if (port == standbyPort) {
            return standbyDirectory;
        }
        throw new IllegalArgumentException(id + " is not a database of " + name);
    }

    /** A JDBC URL of the database on {@code port}, as the superuser. */
    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Waits, polling, for operation {@code id} to end (at most two minutes) and returns it. */
    OperationView awaitEnd(String id) {
        return Operations.awaitEnd(api, id, OPERATION);
    }

    /**
     * Waits, polling, until no operation runs and the standby streams and is in sync (at most a
     * minute), and returns the status then.
     */
    ConfigurationStatus awaitInSync() {
        AtomicReference<ConfigurationStatus> status = new AtomicReference<>();
        await("the standby of " + name + " streaming and in sync")
                .atMost(IN_SYNC)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    status.set(api.status(name));
                    MemberStatus standby = status.get().standbys().get(0);
                    return status.get().operation() == null && standby.streaming() && standby.inSync();
                });
        return status.get();
    }
}
