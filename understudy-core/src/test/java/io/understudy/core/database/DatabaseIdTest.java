package io.understudy.core.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseIdTest {

    @Test
    void parsesAgentAndPort() {
        assertThat(DatabaseId.parse("psql1:5432")).isEqualTo(new DatabaseId("psql1", 5432));
        assertThat(new DatabaseId("psql1", 5432)).hasToString("psql1:5432");
    }

    @Test
    void refusesMalformedNames() {
        assertThatThrownBy(() -> DatabaseId.parse("psql1")).hasMessageContaining("AGENT:PORT");
        assertThatThrownBy(() -> DatabaseId.parse("psql1:abc")).hasMessageContaining("AGENT:PORT");
        assertThatThrownBy(() -> DatabaseId.parse(":5432")).hasMessageContaining("AGENT:PORT");
        assertThatThrownBy(() -> DatabaseId.parse("psql1:70000")).hasMessageContaining("1-65535");
    }
}
