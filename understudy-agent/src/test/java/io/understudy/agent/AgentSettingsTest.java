package io.understudy.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.database.AgentName;
import io.understudy.core.net.HostPort;
import io.understudy.core.protocol.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    private static AgentSettings settings(String name, List<Path> dirs) {
        return new AgentSettings(
                name,
                URI.create("http://127.0.0.1:7800"),
                Secret.of("p"),
                dirs,
                new HostPort("127.0.0.1", 0),
                "postgres",
                null,
                Duration.ofSeconds(2),
                Path.of("/var/lib/understudy/state"));
    }

    @Test
    void refusesNamesThatCannotTravelInAUrl() {
        assertThatThrownBy(() -> settings("psql 1", List.of(Path.of("/a"))))
                .hasMessageContaining("--name 'psql 1' is not a valid agent name");
        assertThatThrownBy(() -> settings("", List.of(Path.of("/a")))).hasMessageContaining("--name");
        assertThatThrownBy(() -> settings("-psql1", List.of(Path.of("/a"))))
                .hasMessage("--name '-psql1' is not a valid agent name: use " + AgentName.RULE);
    }

    @Test
    void refusesAStateDirectoryInsideAManagedDataDirectory() {
        assertThatThrownBy(() -> new AgentSettings(
                        "psql1",
                        URI.create("http://127.0.0.1:7800"),
                        Secret.of("p"),
                        List.of(Path.of("/srv/db1")),
                        new HostPort("127.0.0.1", 0),
                        "postgres",
                        null,
                        Duration.ofSeconds(2),
                        Path.of("/srv/db1/understudy")))
                .hasMessageContaining(
                        "--state-dir /srv/db1/understudy must not be in a data directory the agent manages");
    }

    @Test
    void refusesTheSameDataDirectoryTwice() {
        assertThatThrownBy(() -> settings("psql1", List.of(Path.of("/a"), Path.of("/a/../a"))))
                .hasMessageContaining("the same data directory is given twice");
    }
}
