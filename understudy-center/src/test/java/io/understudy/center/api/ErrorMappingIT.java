package io.understudy.center.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.understudy.center.ApiClient;
import io.understudy.center.MutableClock;
import io.understudy.center.auth.PasswordHash;
import io.understudy.center.store.JdbcStore;
import io.understudy.center.store.Store;
import io.understudy.center.store.StoreException;
import io.understudy.center.store.UserRecord;
import io.understudy.core.api.LoginReply;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.protocol.Secret;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An unexpected failure becomes a generic 500, logged once with its stack trace. */
class ErrorMappingIT {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private JdbcStore real;
    private ApiServer server;

    @BeforeEach
    void start() {
        real = JdbcStore.openInMemory();
        real.insertUser(
                new UserRecord("admin", PasswordHash.hash(Secret.of("pw")), UserRecord.ADMIN, "en", Instant.now()));
        Store store = agentsFail(real);
        MutableClock clock = new MutableClock(Instant.now());
        server = Servers.build(store, clock);
        server.start("127.0.0.1", 0);
        logs.start();
        ((Logger) LoggerFactory.getLogger(ErrorMapping.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(ErrorMapping.class)).detachAppender(logs);
        server.stop();
        real.close();
    }

    @Test
    void anUnexpectedFailureIsA500WithAGenericMessageLoggedOnceWithItsStackTrace() {
        ApiClient client = new ApiClient("http://127.0.0.1:" + server.port());
        String token = client.post("/api/v1/login", new LoginRequest("admin", Secret.of("pw")))
                .as(LoginReply.class)
                .token()
                .reveal();

        ApiClient.Reply reply = client.get("/api/v1/agents", ApiClient.bearer(token));

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().path("code").asText()).isEqualTo("internal_error");
        assertThat(reply.body()).doesNotContain("disk on fire").doesNotContain("StoreException");
        assertThat(logs.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getThrowableProxy()).isNotNull();
            assertThat(event.getThrowableProxy().getMessage()).contains("disk on fire");
        });
    }

    private static Store agentsFail(Store delegate) {
        return (Store)
                Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, args) -> {
                    if (m.getName().equals("agents")) {
                        throw new StoreException("store: list agents: disk on fire");
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
