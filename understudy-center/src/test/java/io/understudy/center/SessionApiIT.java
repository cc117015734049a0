package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static io.understudy.center.ApiClient.cookie;
import static io.understudy.center.ApiClient.cookieWithCsrf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.core.api.LoginReply;
import io.understudy.core.api.SessionView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Logging in and out, and how the API refuses bad requests, against a real Control Center. */
class SessionApiIT {
    @TempDir
    static Path root;

    private static RunningCenter center;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        center = RunningCenter.start(root);
        client = center.client;
    }

    @AfterAll
    static void stop() {
        center.close();
    }

    @Test
    void loginReturnsATokenAndSetsAStrictHttpOnlySessionCookie() {
        ApiClient.Reply reply = client.post("/api/v1/login", "{\"user\":\"admin\",\"password\":\"it-admin-password\"}");

        assertThat(reply.status()).isEqualTo(200);
        LoginReply login = reply.as(LoginReply.class);
        assertThat(login.user()).isEqualTo("admin");
        assertThat(login.role()).isEqualTo("admin");
        assertThat(login.token().reveal()).hasSize(43);
        assertThat(login.expiresAt())
                .isBetween(
                        Instant.now().plus(Duration.ofHours(11)), Instant.now().plus(Duration.ofHours(13)));
        assertThat(reply.header("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                .startsWith("understudy_session=" + login.token().reveal())
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/"));
    }

    @Test
    void theSessionWorksAsBearerTokenAndAsCookie() {
        String token = center.login();

        for (String[] credentials : new String[][] {bearer(token), cookie(token)}) {
            ApiClient.Reply reply = client.get("/api/v1/session", credentials);
            assertThat(reply.status()).isEqualTo(200);
            SessionView session = reply.as(SessionView.class);
            assertThat(session.user()).isEqualTo("admin");
            assertThat(session.role()).isEqualTo("admin");
            assertThat(session.language()).as("not chosen yet").isNull();
            assertThat(session.csrfToken()).hasSize(43).isNotEqualTo(token);
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSame401() {
        ApiClient.Reply wrongPassword =
                client.post("/api/v1/login", "{\"user\":\"admin\",\"password\":\"not-the-password\"}");
        ApiClient.Reply unknownUser =
                client.post("/api/v1/login", "{\"user\":\"nobody\",\"password\":\"it-admin-password\"}");

        for (ApiClient.Reply reply : new ApiClient.Reply[] {wrongPassword, unknownUser}) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.json().path("code").asText()).isEqualTo("unauthorized");
            assertThat(reply.json().path("message").asText()).isEqualTo("wrong user name or password");
            assertThat(reply.header("Set-Cookie")).isEmpty();
            assertThat(reply.body()).doesNotContain("not-the-password").doesNotContain("it-admin-password");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/agents", "/api/v1/databases", "/api/v1/events", "/api/v1/session"})
    void readingWithoutASessionGets401AndNoData(String path) {
        for (String[] credentials : new String[][] {new String[0], bearer("not-a-session"), cookie("not-a-session")}) {
            ApiClient.Reply reply = client.get(path, credentials);
            assertThat(reply.status())
                    .as("%s with %s", path, credentials.length)
                    .isEqualTo(401);
            JsonNode body = reply.json();
            assertThat(body.isObject()).isTrue();
            assertThat(body.path("code").asText()).isEqualTo("unauthorized");
            assertThat(reply.header("WWW-Authenticate")).contains("Bearer");
        }
    }

    @Test
    void afterLogoutTheSessionNoLongerWorks() {
        String token = center.login();
        assertThat(client.get("/api/v1/agents", bearer(token)).status()).isEqualTo(200);

        ApiClient.Reply logout = client.post("/api/v1/logout", "", bearer(token));

        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie"))
                .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(client.get("/api/v1/agents", bearer(token)).status()).isEqualTo(401);
        assertThat(client.post("/api/v1/logout", "", bearer(token)).status()).isEqualTo(401);
    }

    @Test
    void aChangeMadeWithTheCookieNeedsTheSessionsCsrfTokenAndOneWithABearerTokenDoesNot() {
        LoginReply login = client.post("/api/v1/login", "{\"user\":\"admin\",\"password\":\"it-admin-password\"}")
                .as(LoginReply.class);
        String token = login.token().reveal();
        String csrf = login.csrfToken();
        assertThat(client.get("/api/v1/session", cookie(token))
                        .as(SessionView.class)
                        .csrfToken())
                .isEqualTo(csrf);
        String other = client.get("/api/v1/session", bearer(center.login()))
                .as(SessionView.class)
                .csrfToken();

        for (String[] credentials :
                new String[][] {cookie(token), cookieWithCsrf(token, "forged"), cookieWithCsrf(token, other)}) {
            ApiClient.Reply refused = client.post("/api/v1/logout", "", credentials);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("code").asText()).isEqualTo("csrf_token_invalid");
            assertThat(refused.json().path("message").asText()).contains("X-CSRF-Token");
        }
        assertThat(client.get("/api/v1/session", cookie(token)).status())
                .as("a refused request changes nothing")
                .isEqualTo(200);

        assertThat(client.post("/api/v1/logout", "", cookieWithCsrf(token, csrf))
                        .status())
                .isEqualTo(204);
        assertThat(client.get("/api/v1/session", cookie(token)).status()).isEqualTo(401);
        assertThat(client.get("/api/v1/agents", cookie(token)).status()).isEqualTo(401);
    }

    @Test
    void malformedJsonGets400WithAShortReasonAndNoStackTrace() {
        ApiClient.Reply reply = client.post("/api/v1/login", "{\"user\": \"admin\", \"password\": hunter2}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("malformed_json");
        assertThat(reply.json().path("message").asText()).contains("not valid JSON");
        assertThat(reply.body())
                .doesNotContain("hunter2")
                .doesNotContain("Exception")
                .doesNotContain("at io.");
    }

    @Test
    void anUnknownKeyGets400NamingTheField() {
        ApiClient.Reply reply =
                client.post("/api/v1/login", "{\"user\":\"admin\",\"password\":\"x\",\"remember\":true}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("invalid_input");
        assertThat(reply.json().path("details").path("field").asText()).isEqualTo("remember");
    }

    @Test
    void aMissingKeyGets400NamingTheField() {
        ApiClient.Reply reply = client.post("/api/v1/login", "{\"user\":\"admin\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("details").path("field").asText()).isEqualTo("password");
    }

    @Test
    void aBadEventLimitGets400NamingLimit() {
        String token = center.login();

        ApiClient.Reply reply = client.get("/api/v1/events?limit=5000", bearer(token));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("details").path("field").asText()).isEqualTo("limit");
        assertThat(client.get("/api/v1/events?limit=2", bearer(token)).json().size())
                .isEqualTo(2);
    }

    @Test
    void eventsAreListedNewestFirstAndRecordLogins() {
        String token = center.login();

        JsonNode events = client.get("/api/v1/events", bearer(token)).json();

        assertThat(events.get(0).path("kind").asText()).isEqualTo("USER_LOGGED_IN");
        assertThat(events.get(0).path("id").asLong())
                .isGreaterThan(events.get(1).path("id").asLong());
    }

    @Test
    void anUnknownRouteGets404AndAWrongMethod405() {
        ApiClient.Reply missing = client.get("/api/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("code").asText()).isEqualTo("not_found");

        ApiClient.Reply wrongMethod = client.get("/api/v1/login");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void theWebUiIsServedFromTheClassPathWithoutASession() {
        ApiClient.Reply reply = client.get("/center-test-probe.txt");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("understudy-center test probe");
    }

    @Test
    void theOpenApiDescriptionIsServedWithoutASession() {
        ApiClient.Reply reply = client.get("/api/openapi.json");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("paths").has("/api/v1/agents/{name}/reports"))
                .isTrue();
    }
}
