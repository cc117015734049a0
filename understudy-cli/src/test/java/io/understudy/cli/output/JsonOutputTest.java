package io.understudy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.cli.client.ApiClient;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.EventView;
import io.understudy.core.database.Role;
import io.understudy.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --json} prints what the Control Center sends: its camelCase keys, pretty-printed. */
class JsonOutputTest {
    private static final ObjectMapper SERVER = Json.mapper(); // what the Control Center writes with
    private static final Instant NOW = Instant.parse("2025-01-31T12:00:00Z");

    @Test
    void agentsKeepTheApisCamelCaseKeysAndIsoInstants() throws Exception {
        JsonNode sent = SERVER.valueToTree(List.of(ViewsTest.agent("psql1", 4242, true, NOW)));

        JsonNode printed = SERVER.readTree(JsonOutput.pretty(sent));

        assertThat(printed.isArray()).isTrue();
        assertThat(fieldNames(printed.get(0)))
                .containsExactly("name", "host", "address", "pid", "version", "enrolledAt", "lastReportAt", "online");
        assertThat(printed.get(0).get("lastReportAt").asText()).isEqualTo("2025-01-31T12:00:00Z");
        assertThat(printed.toString()).isEqualTo(sent.toString());
    }

    @Test
    void databasesAndEventsKeepTheirKeys() throws Exception {
        JsonNode databases = SERVER.readTree(JsonOutput.pretty(
                SERVER.valueToTree(List.of(ViewsTest.database("psql2", 5433, Role.STANDBY, false, "gone")))));
        JsonNode events = SERVER.readTree(JsonOutput.pretty(SERVER.valueToTree(
                List.of(new EventView(1, NOW, "admin", "LOGIN", "admin", "OK", "admin logged in")))));

        assertThat(fieldNames(databases.get(0)))
                .contains("id", "agent", "host", "port", "dataDirectory", "version", "role", "up", "reason")
                .contains("currentLsn", "receivedLsn", "replayedLsn", "observedAt");
        assertThat(databases.get(0).get("role").asText()).isEqualTo("STANDBY");
        assertThat(fieldNames(events.get(0)))
                .containsExactly("id", "at", "actor", "kind", "subject", "result", "message");
    }

    @Test
    void keysTheCliDoesNotKnowArePrintedAndIgnoredWhenReading() throws Exception {
        JsonNode sent = SERVER.readTree("[{\"name\":\"psql1\",\"host\":\"h\",\"address\":\"h:7801\",\"pid\":1,"
                + "\"version\":\"0.2\",\"enrolledAt\":\"2025-01-31T12:00:00Z\",\"lastReportAt\":null,"
                + "\"online\":false,\"zone\":\"eu-1\"}]");

        assertThat(JsonOutput.pretty(sent)).contains("\"zone\" : \"eu-1\"").endsWith("]\n");
        List<AgentView> read = ApiClient.read(sent, ApiClient.agentList());
        assertThat(read).singleElement().extracting(AgentView::name).isEqualTo("psql1");
    }

    @Test
    void theTypedReadersAcceptWhatTheServerWrites() {
        DatabaseView database = ViewsTest.database("psql1", 5432, Role.PRIMARY, true, null);

        assertThat(ApiClient.read(SERVER.valueToTree(List.of(database)), ApiClient.databaseList()))
                .containsExactly(database);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
