package io.understudy.center.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.center.MutableClock;
import io.understudy.center.store.JdbcStore;
import io.understudy.core.json.Json;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the hand-written OpenAPI description true to the routes actually registered. */
class OpenApiTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    private static JdbcStore store;
    private static ApiServer server;

    @BeforeAll
    static void buildServer() {
        store = JdbcStore.openInMemory();
        MutableClock clock = MutableClock.at("2024-05-01T12:00:00Z");
        server = Servers.build(store, clock);
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Test
    void everyRegisteredRouteIsDescribedAndEveryDescribedRouteIsRegistered() throws Exception {
        Set<String> registered =
                server.routes().stream().map(r -> r.method() + " " + r.path()).collect(Collectors.toSet());
        Set<String> described = describedOperations();

        assertThat(registered).isNotEmpty();
        assertThat(described).as("described in openapi.json").containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void everyRouteDeclaresExactlyOneAccess() {
        for (ApiServer.Route route : server.routes()) {
            assertThat(route.access())
                    .as("access of %s %s", route.method(), route.path())
                    .hasSize(1);
        }
    }

    @Test
    void onlyLoginEnrolmentReportsAndTheDescriptionWorkWithoutAUserSession() {
        List<String> withoutSession = server.routes().stream()
                .filter(r -> !r.access().contains(Access.USER) && !r.access().contains(Access.ADMIN))
                .map(r -> r.method() + " " + r.path())
                .sorted()
                .toList();
        assertThat(withoutSession)
                .containsExactly(
                        "GET /api/openapi.json",
                        "GET /api/v1/agents/{name}/goals/version",
                        "POST /api/v1/agents",
                        "POST /api/v1/agents/{name}/reports",
                        "POST /api/v1/login");
    }

    @Test
    void everyRouteThatChangesSomethingNeedsAnAdminButAUsersOwnAndItsDescriptionSaysSo() throws Exception {
        JsonNode paths = Json.mapper().readTree(OpenApiRoutes.load()).path("paths");
        for (ApiServer.Route route : server.routes()) {
            String name = route.method() + " " + route.path();
            boolean changes = !Set.of("GET", "HEAD", "OPTIONS").contains(route.method());
            boolean forUsers =
                    route.access().contains(Access.USER) || route.access().contains(Access.ADMIN);
            if (!changes || !forUsers) {
                continue;
            }
            if (ViewerAccessIT.OWN.contains(name)) {
                assertThat(route.access()).as(name).containsExactly(Access.USER);
                continue;
            }
            assertThat(route.access()).as(name).containsExactly(Access.ADMIN);
            JsonNode responses = paths.path(route.path())
                    .path(route.method().toLowerCase(Locale.ROOT))
                    .path("responses");
            assertThat(responses.has("403")).as("%s documents 403", name).isTrue();
        }
    }

    @Test
    void theDescriptionIsOpenApi3AndItsReferencesResolve() throws Exception {
        JsonNode root = Json.mapper().readTree(OpenApiRoutes.load());
        assertThat(root.path("openapi").asText()).startsWith("3.0");
        Set<String> references = new HashSet<>();
        collectReferences(root, references);
        for (String reference : references) {
            boolean missing = root.at(reference.substring(1)).isMissingNode();
            assertThat(missing).as("%s resolves", reference).isFalse();
        }
    }

    private static Set<String> describedOperations() throws Exception {
        JsonNode paths = Json.mapper().readTree(OpenApiRoutes.load()).path("paths");
        Set<String> operations = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (HTTP_METHODS.contains(method)) {
                    operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    private static void collectReferences(JsonNode node, Set<String> references) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null) {
                references.add(ref.asText());
            }
            node.elements().forEachRemaining(child -> collectReferences(child, references));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectReferences(child, references));
        }
    }
}
