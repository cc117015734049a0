package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.StandbyTarget;
import io.understudy.dist.AgentProcess;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two simulated hosts of a site: agent psql1 with a primary, agent psql2 with the streaming hot
 * standby created from it through the public API, in Configuration {@code name}.
 *
 * @param primaryAgent the primary's agent, as started first (tests that restart it keep their own)
 */
record TwoHosts(
        String name,
        PgCluster primary,
        AgentProcess primaryAgent,
        AgentProcess standbyAgent,
        int standbyPort,
        Path standbyDirectory) {

    /** Starts both agents against {@code centerUrl} and creates the Configuration and its standby. */
    static TwoHosts create(TestSite site, ApiClient api, String centerUrl, String name) {
        PgCluster primary = site.newCluster("primary");
        AgentProcess primaryAgent = site.startAgentWith(
                "psql1",
                List.of(
                        "--passphrase-file",
                        site.passphraseFile().toString(),
                        "--data-directory",
                        primary.dataDirectory().toString(),
                        "--control-center",
                        centerUrl));
        AgentProcess standbyAgent = site.startAgentWith(
                "psql2", List.of("--passphrase-file", site.passphraseFile().toString(), "--control-center", centerUrl));
        await("both agents online and the primary up")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.agents().stream().filter(a -> a.online()).count() == 2
                        && api.databases().stream().anyMatch(d -> d.id().equals("psql1:" + primary.port()) && d.up()));
        int standbyPort = FreePorts.next();
        Path standbyDirectory = site.standbyTarget("standby");
        api.createConfigurationJson(new ConfigurationRequest(
                name,
                "psql1:" + primary.port(),
                new StandbyTarget("psql2", standbyDirectory.toString(), standbyPort),
                "wal-streaming",
                "hot"));
        AtomicReference<String> operationId = new AtomicReference<>();
        await("target inspected")
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptionsMatching(
                        e -> e instanceof ApiException a && a.error().code().equals("target_not_inspected"))
                .until(() -> {
                    operationId.set(api.createStandby(name, false).operationId());
                    return true;
                });
        assertThat(Operations.awaitEnd(api, operationId.get(), Duration.ofSeconds(120))
                        .state())
                .isEqualTo("SUCCEEDED");
        return new TwoHosts(name, primary, primaryAgent, standbyAgent, standbyPort, standbyDirectory);
    }

    /** The JDBC URL of the database on {@code port}, as user postgres. */
    static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Whether the database on {@code port} accepts a write now. */
    static boolean writable(int port) {
        try (Connection c =
                        DriverManager.getConnection(url(port) + "?connectTimeout=2&socketTimeout=5", "postgres", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
            return r.next() && !r.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The first column of the first row of {@code sql} on the database on {@code port}. */
    static long count(int port, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(port), "postgres", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
