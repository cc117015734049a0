package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.core.api.EventView;
import io.understudy.core.api.LoginReply;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.api.SessionView;
import io.understudy.core.api.UserView;
import io.understudy.core.protocol.Secret;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users, their roles, passwords and languages, over real HTTP. */
class UsersApiIT {
    @TempDir
    static Path root;

    private static RunningCenter center;
    private static ApiClient client;
    private static String admin;

    @BeforeAll
    static void start() {
        center = RunningCenter.start(root);
        client = center.client;
        admin = center.login();
    }

    @AfterAll
    static void stop() {
        center.close();
    }

    private static void add(String name, String password, String role) {
        ApiClient.Reply reply = client.post(
                "/api/v1/users",
                "{\"name\":\"" + name + "\",\"password\":\"" + password + "\",\"role\":\"" + role + "\"}",
                bearer(admin));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private static String login(String user, String password) {
        ApiClient.Reply reply = client.post("/api/v1/login", new LoginRequest(user, Secret.of(password)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.as(LoginReply.class).token().reveal();
    }

    private static List<String> names() {
        return client.get("/api/v1/users", bearer(admin)).listOf(UserView.class).stream()
                .map(UserView::name)
                .toList();
    }

    @Test
    void anAdminAddsAViewerWhoSeesEverythingButMayChangeOnlyTheirOwnPasswordAndLanguage() {
        add("vera", "vera-password-1", "viewer");
        String vera = login("vera", "vera-password-1");

        assertThat(client.get("/api/v1/users", bearer(admin)).listOf(UserView.class))
                .filteredOn(u -> u.name().equals("vera"))
                .singleElement()
                .satisfies(u -> {
                    assertThat(u.role()).isEqualTo("viewer");
                    assertThat(u.language()).isNull();
                });
        assertThat(client.get("/api/v1/status", bearer(vera)).status()).isEqualTo(200);
        assertThat(client.get("/api/v1/users", bearer(vera)).status()).isEqualTo(403);
        assertThat(client.put("/api/v1/users/admin/language", "{\"language\":\"ja\"}", bearer(vera))
                        .json()
                        .path("code")
                        .asText())
                .isEqualTo("forbidden");

        assertThat(client.put("/api/v1/users/vera/language", "{\"language\":\"ja\"}", bearer(vera))
                        .status())
                .isEqualTo(204);
        assertThat(client.get("/api/v1/session", bearer(vera))
                        .as(SessionView.class)
                        .language())
                .isEqualTo("ja");
        assertThat(login("vera", "vera-password-1")).isNotEmpty();

        String other = login("vera", "vera-password-1");
        ApiClient.Reply changed = client.put(
                "/api/v1/users/vera/password",
                "{\"currentPassword\":\"vera-password-1\",\"password\":\"vera-password-2\"}",
                bearer(vera));
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertThat(client.get("/api/v1/session", bearer(vera)).status())
                .as("the session that changed it goes on")
                .isEqualTo(200);
        assertThat(client.get("/api/v1/session", bearer(other)).status())
                .as("the user's other sessions end")
                .isEqualTo(401);
        assertThat(client.post("/api/v1/login", new LoginRequest("vera", Secret.of("vera-password-1")))
                        .status())
                .isEqualTo(401);
        login("vera", "vera-password-2");

        List<EventView> events =
                client.get("/api/v1/events?limit=20", bearer(admin)).listOf(EventView.class);
        assertThat(events).extracting(EventView::kind).contains("USER_CREATED", "USER_LANGUAGE_CHANGED");
        assertThat(events).extracting(EventView::kind).contains("USER_PASSWORD_CHANGED");
        assertThat(events).extracting(EventView::message).noneMatch(m -> m.contains("vera-password"));
    }

    @Test
    void anAdminSetsAnotherUsersPasswordWithTheirOwnAndRemovesTheUserWhoseSessionsEnd() {
        add("otto", "otto-password-1", "viewer");
        String otto = login("otto", "otto-password-1");

        ApiClient.Reply wrong = client.put(
                "/api/v1/users/otto/password",
                "{\"currentPassword\":\"not-the-admin-password\",\"password\":\"otto-password-2\"}",
                bearer(admin));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("details").path("field").asText()).isEqualTo("currentPassword");
        assertThat(client.get("/api/v1/session", bearer(otto)).status())
                .as("a refused change changes nothing")
                .isEqualTo(200);

        ApiClient.Reply set = client.put(
                "/api/v1/users/otto/password",
                "{\"currentPassword\":\"" + RunningCenter.ADMIN_PASSWORD + "\",\"password\":\"otto-password-2\"}",
                bearer(admin));
        assertThat(set.status()).as(set.body()).isEqualTo(204);
        assertThat(client.get("/api/v1/session", bearer(otto)).status()).isEqualTo(401);
        otto = login("otto", "otto-password-2");

        assertThat(client.delete("/api/v1/users/otto", bearer(admin)).status()).isEqualTo(204);
        assertThat(client.get("/api/v1/session", bearer(otto)).status()).isEqualTo(401);
        assertThat(names()).doesNotContain("otto");
        assertThat(client.delete("/api/v1/users/otto", bearer(admin))
                        .json()
                        .path("code")
                        .asText())
                .isEqualTo("not_found");
    }

    @Test
    void anAdminCannotRemoveTheirOwnUserSoAnAdminIsAlwaysLeft() {
        ApiClient.Reply self = client.delete("/api/v1/users/admin", bearer(admin));

        assertThat(self.status()).isEqualTo(409);
        assertThat(self.json().path("code").asText()).isEqualTo("conflict");
        assertThat(self.json().path("message").asText()).contains("your own user");
        assertThat(names()).contains("admin");
    }

    @Test
    void badUsersAreRefusedNamingTheFieldAndChangeNothing() {
        List<String> before = names();
        String[][] cases = {
            {"{\"name\":\"bad name\",\"password\":\"long-enough\",\"role\":\"viewer\"}", "name"},
            {"{\"name\":\"short\",\"password\":\"short\",\"role\":\"viewer\"}", "password"},
            {"{\"name\":\"role\",\"password\":\"long-enough\",\"role\":\"root\"}", "role"},
            {"{\"name\":\"missing\",\"password\":\"long-enough\"}", "role"},
            {"{\"name\":\"admin\",\"password\":\"long-enough\",\"role\":\"viewer\"}", "name"},
        };
        for (String[] c : cases) {
            ApiClient.Reply reply = client.post("/api/v1/users", c[0], bearer(admin));
            assertThat(reply.status()).as(c[0]).isIn(400, 409);
            JsonNode body = reply.json();
            assertThat(body.path("details").path("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(reply.body()).doesNotContain("long-enough");
        }
        ApiClient.Reply language = client.put("/api/v1/users/admin/language", "{\"language\":\"fr\"}", bearer(admin));
        assertThat(language.json().path("details").path("field").asText()).isEqualTo("language");
        assertThat(names()).isEqualTo(before);
        assertThat(client.get("/api/v1/session", bearer(admin))
                        .as(SessionView.class)
                        .language())
                .isNull();
    }
}
