package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.understudy.core.api.AgentView;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A Control Center keeps its users and agents across a restart on the same data directory. */
class RestartIT {
    private static final Pattern PRINTED_PASSWORD =
            Pattern.compile("Control Center admin user: admin {2}password: ([A-Za-z0-9_-]+)\\R");

    @TempDir
    Path root;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void aRestartKeepsTheAdminAndTheAgentsAndPrintsNoNewPassword() throws Exception {
        String password;
        String passphrase;
        String agentToken;
        try (RunningCenter first = RunningCenter.start(root, settings -> settings)) {
            Matcher printed = PRINTED_PASSWORD.matcher(first.console());
            assertThat(printed.find()).as(first.console()).isTrue();
            password = printed.group(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(16);

            Path passphraseFile = root.resolve("data").resolve("enrolment-passphrase");
            assertThat(first.console()).contains("Enrolment passphrase for agents written to " + passphraseFile);
            assertThat(Files.getPosixFilePermissions(passphraseFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            passphrase = Files.readString(passphraseFile).strip();
            assertThat(Files.getPosixFilePermissions(root.resolve("data")))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));

            String session = first.login(password);
            agentToken = enrol(first, passphrase, "keeper1");
            assertThat(report(first, agentToken).status()).isEqualTo(200);
            assertThat(first.client.get("/api/v1/agents", bearer(session)).listOf(AgentView.class))
                    .extracting(AgentView::name)
                    .containsExactly("keeper1");
        }

        try (RunningCenter second = RunningCenter.start(root, settings -> settings)) {
            assertThat(second.console()).isEmpty();
            String session = second.login(password);
            assertThat(second.client.get("/api/v1/agents", bearer(session)).listOf(AgentView.class))
                    .extracting(AgentView::name)
                    .containsExactly("keeper1");
            assertThat(report(second, agentToken).status()).isEqualTo(200);
            assertThat(enrol(second, passphrase, "newcomer1")).isNotBlank();
        }

        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .isNotEmpty()
                .noneMatch(m -> m.contains(password) || m.contains(passphrase) || m.contains(agentToken));
    }

    @Test
    void anAdminPasswordFileIsUsedAtTheFirstStartOnly() {
        Path file = RunningCenter.write(root.resolve("pw"), "first-password\n");
        try (RunningCenter first = RunningCenter.start(root, settings -> settings.withAdminPasswordFile(file))) {
            assertThat(first.console())
                    .contains("Control Center admin user: admin  password: taken from " + file)
                    .doesNotContain("first-password");
        }
        RunningCenter.write(file, "second-password\n");
        try (RunningCenter second = RunningCenter.start(root, settings -> settings.withAdminPasswordFile(file))) {
            assertThat(second.console()).isEmpty();
            assertThat(second.login("first-password")).isNotBlank();
        }
    }

    private static String enrol(RunningCenter center, String passphrase, String agent) {
        ApiClient.Reply reply = center.client.post("/api/v1/agents", RunningCenter.enrolment(agent, passphrase));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().path("token").asText();
    }

    private static ApiClient.Reply report(RunningCenter center, String token) {
        DatabaseObservation db = new DatabaseObservation(
                "/pg/a", 5432, "16", "16.4", true, Role.PRIMARY, null, "0/3000060", null, null, null);
        return center.client.post(
                "/api/v1/agents/keeper1/reports",
                new AgentReport("keeper1", 1, Instant.now(), List.of(db)),
                bearer(token));
    }
}
