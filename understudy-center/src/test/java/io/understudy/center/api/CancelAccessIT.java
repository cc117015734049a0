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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancelling an operation needs an admin's session; a viewer's is refused with 403. */
class CancelAccessIT {
    private static final String UNKNOWN = "/api/v1/operations/00000000-0000-0000-0000-000000000000/cancel";

    private JdbcStore store;
    private ApiServer server;
    private ApiClient client;

    @BeforeEach
    void start() {
        store = JdbcStore.openInMemory();
        store.insertUser(
                new UserRecord("admin", PasswordHash.hash(Secret.of("pw")), UserRecord.ADMIN, "en", Instant.now()));
        store.insertUser(
                new UserRecord("watcher", PasswordHash.hash(Secret.of("pw")), UserRecord.VIEWER, "en", Instant.now()));
        server = Servers.build(store, new MutableClock(Instant.now()));
        server.start("127.0.0.1", 0);
        client = new ApiClient("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.stop();
        store.close();
    }

    @Test
    void aViewerMayReadOperationsButNotCancelThem() {
        String viewer = login("watcher");

        ApiClient.Reply refused = client.post(UNKNOWN, "", ApiClient.bearer(viewer));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("code").asText()).isEqualTo("forbidden");
        assertThat(refused.json().path("message").asText()).contains("admin").contains("watcher");
        assertThat(client.get("/api/v1/operations", ApiClient.bearer(viewer)).status())
                .isEqualTo(200);
        assertThat(client.post(UNKNOWN, "", ApiClient.bearer(login("admin"))).status())
                .as("an admin gets as far as the operation, which does not exist")
                .isEqualTo(404);
        assertThat(client.post(UNKNOWN, "").status()).isEqualTo(401);
    }

    private String login(String user) {
        return client.post("/api/v1/login", new LoginRequest(user, Secret.of("pw")))
                .as(LoginReply.class)
                .token()
                .reveal();
    }
}
