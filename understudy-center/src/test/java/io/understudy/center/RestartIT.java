package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.CreateStandbyRequest;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.StepView;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.Goal;
import io.understudy.core.state.NodeState;
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

/**
 * A Control Center keeps its users, agents, Configurations and running operations across a restart
 * on the same data directory.
 */
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

    @Test
    void aRunningOperationSurvivesARestartAndResumes() {
        String operation;
        String replicationPassword;
        FakeAgent primary;
        FakeAgent standby;
        try (RunningCenter first = RunningCenter.start(root)) {
            String session = first.login();
            primary = FakeAgent.enrol(first, "durable-p").primary("/pg/main", 5432, "0/5000000");
            standby = FakeAgent.enrol(first, "durable-s");
            primary.report();
            standby.report();
            ApiClient.Reply created = first.client.post(
                    "/api/v1/configurations",
                    new ConfigurationRequest(
                            "durable",
                            "durable-p:5432",
                            new StandbyTarget("durable-s", "/pg/standby", 5433),
                            "WAL_STREAMING",
                            "WARM"),
                    bearer(session));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            standby.inspected("durable", "/pg/standby", FakeAgent.nothing()).report();
            operation = first.client
                    .post("/api/v1/configurations/durable/standby", new CreateStandbyRequest(false), bearer(session))
                    .as(OperationAccepted.class)
                    .operationId();
            replicationPassword =
                    primary.goal("/pg/main").replication().password().reveal();
        }

        try (RunningCenter second = RunningCenter.start(root)) {
            String session = second.login();
            primary = primary.at(second);
            standby = standby.at(second);
            Goal prepare = primary.goal("/pg/main");
            assertThat(prepare.state()).isEqualTo(NodeState.WAIT_PRIMARY);
            assertThat(prepare.operationId()).isEqualTo(operation);
            assertThat(prepare.replication().password().reveal()).isEqualTo(replicationPassword);
            primary.reached("durable", "/pg/main", NodeState.WAIT_PRIMARY, operation, null, null, null)
                    .report();
            assertThat(standby.goal("/pg/standby").state()).isEqualTo(NodeState.CATCHINGUP);
            OperationView view = second.client
                    .get("/api/v1/operations/" + operation, bearer(session))
                    .as(OperationView.class);
            assertThat(view.state()).isEqualTo("RUNNING");
            assertThat(view.steps()).extracting(StepView::state).containsExactly("DONE", "RUNNING", "PENDING");
        }

        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains(replicationPassword));
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
