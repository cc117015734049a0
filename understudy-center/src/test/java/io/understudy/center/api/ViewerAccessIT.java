package io.understudy.center.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.center.ApiClient;
import io.understudy.center.MutableClock;
import io.understudy.center.auth.PasswordHash;
import io.understudy.center.store.JdbcStore;
import io.understudy.center.store.UserRecord;
import io.understudy.core.api.LoginReply;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.protocol.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A viewer sees everything and changes nothing: every registered route that changes something,
 * but for the user's own session, password and language, answers a viewer 403 {@code forbidden},
 * whatever it names and whatever the body.
 */
class ViewerAccessIT {
    /** What a viewer may change: what is their own. */
    static final Set<String> OWN =
            Set.of("POST /api/v1/logout", "PUT /api/v1/users/{name}/password", "PUT /api/v1/users/{name}/language");

    private JdbcStore store;
    private ApiServer server;
    private ApiClient client;

    @BeforeEach
    void start() {
        store = JdbcStore.openInMemory();
        store.insertUser(
                new UserRecord("admin", PasswordHash.hash(Secret.of("pw")), UserRecord.ADMIN, null, Instant.now()));
        store.insertUser(
                new UserRecord("watcher", PasswordHash.hash(Secret.of("pw")), UserRecord.VIEWER, null, Instant.now()));
        server = Servers.build(store, new MutableClock(Instant.now()));
        server.start("127.0.0.1", 0);
        client = new ApiClient("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.stop();
        store.close();
    }

    /** Routes that change something and are for users (not agents, not anyone). */
    private List<ApiServer.Route> changingUserRoutes() {
        return server.routes().stream()
                .filter(r -> !Set.of("GET", "HEAD", "OPTIONS").contains(r.method()))
                .filter(r -> r.access().contains(Access.USER) || r.access().contains(Access.ADMIN))
                .toList();
    }

    @Test
    void aViewerGets403OnEveryRouteThatChangesSomethingButTheirOwn() {
        String viewer = login("watcher");
        List<ApiServer.Route> routes = changingUserRoutes();
        assertThat(routes).extracting(r -> r.method() + " " + r.path()).contains("POST /api/v1/configurations");

        for (ApiServer.Route route : routes) {
            String name = route.method() + " " + route.path();
            if (OWN.contains(name)) {
                continue;
            }
            ApiClient.Reply reply = call(route, "{}", viewer);
            assertThat(reply.status()).as(name).isEqualTo(403);
            assertThat(reply.json().path("code").asText()).as(name).isEqualTo("forbidden");
        }
    }

    @Test
    void aViewerMayChangeOnlyTheirOwnPasswordAndLanguage() {
        String viewer = login("watcher");

        assertThat(client.put("/api/v1/users/admin/language", "{\"language\":\"ja\"}", ApiClient.bearer(viewer))
                        .status())
                .isEqualTo(403);
        assertThat(client.put(
                                "/api/v1/users/admin/password",
                                "{\"currentPassword\":\"pw\",\"password\":\"long-enough\"}",
                                ApiClient.bearer(viewer))
                        .status())
                .isEqualTo(403);
        assertThat(client.put("/api/v1/users/watcher/language", "{\"language\":\"ja\"}", ApiClient.bearer(viewer))
                        .status())
                .isEqualTo(204);
        assertThat(store.findUser("admin").orElseThrow().language()).isNull();
        assertThat(store.findUser("watcher").orElseThrow().language()).isEqualTo("ja");
    }

    @Test
    void anAdminGetsPastTheAccessCheckOnEveryRouteThatChangesSomething() {
        String admin = login("admin");
        for (ApiServer.Route route : changingUserRoutes()) {
            if (route.path().equals("/api/v1/logout")) {
                continue;
            }
            ApiClient.Reply reply = call(route, "{}", admin);
            assertThat(reply.status())
                    .as(route.method() + " " + route.path() + ": " + reply.body())
                    .isNotIn(401, 403);
        }
    }

    private ApiClient.Reply call(ApiServer.Route route, String body, String token) {
        String path = route.path().replace("{name}", "x").replace("{id}", "00000000-0000-0000-0000-000000000000");
        String[] bearer = ApiClient.bearer(token);
        return switch (route.method()) {
            case "POST" -> client.post(path, body, bearer);
            case "PUT" -> client.put(path, body, bearer);
            case "PATCH" -> client.patch(path, body, bearer);
            case "DELETE" -> client.delete(path, bearer);
            default -> throw new AssertionError("no test call for " + route.method() + " " + route.path());
        };
    }

    private String login(String user) {
        return client.post("/api/v1/login", new LoginRequest(user, Secret.of("pw")))
                .as(LoginReply.class)
                .token()
                .reveal();
    }
}
