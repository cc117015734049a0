package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.database.Lsn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ControlDataTest {

    static String sample(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(ControlDataTest.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesARunningPrimary() throws IOException {
        ControlData data = ControlData.parse(sample("pg_controldata-15-primary.txt"));

        assertThat(data.systemIdentifier()).isEqualTo("7710519993171777972");
        assertThat(data.clusterState()).isEqualTo("in production");
        assertThat(data.latestCheckpoint()).isEqualTo(Lsn.parse("0/1500718"));
        assertThat(data.timeline()).isEqualTo(1);
        assertThat(data.isShutDown()).isFalse();
    }

    @Test
    void parsesAStandbyCopyWithTheSameSystemIdentifier() throws IOException {
        ControlData data = ControlData.parse(sample("pg_controldata-15-standby.txt"));

        assertThat(data.systemIdentifier()).isEqualTo("7710519993171777972");
        assertThat(data.clusterState()).isEqualTo("in archive recovery");
        assertThat(data.latestCheckpoint()).isEqualTo(Lsn.parse("0/2000060"));
    }

    @Test
    void knowsACleanShutdown() throws IOException {
        String shutDown = sample("pg_controldata-15-primary.txt")
                .replace(
                        "Database cluster state:               in production",
                        "Database cluster state:               shut down in recovery");

        assertThat(ControlData.parse(shutDown).isShutDown()).isTrue();
    }

    @Test
    void namesTheMissingField() {
        assertThatThrownBy(() -> ControlData.parse("pg_control version number:            1300\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Database system identifier");
    }
}
