package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.core.api.AgentView;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.EventView;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.EnrolmentReply;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.ReportReply;
import io.understudy.core.protocol.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents enrolling and reporting, and users reading what they reported, over real HTTP. */
class AgentApiIT {
    @TempDir
    static Path root;

    private static RunningCenter center;
    private static ApiClient client;
    private static String session;

    @BeforeAll
    static void start() {
        center = RunningCenter.start(root);
        client = center.client;
        session = center.login();
    }

    @AfterAll
    static void stop() {
        center.close();
    }

    @Test
    void aWrongPassphraseGets403AndRegistersNothing(@TempDir Path own) {
        try (RunningCenter fresh = RunningCenter.start(own)) {
            ApiClient.Reply reply =
                    fresh.client.post("/api/v1/agents", RunningCenter.enrolment("psql1", "not-the-passphrase"));

            assertThat(reply.status()).isEqualTo(403);
            assertThat(reply.json().path("code").asText()).isEqualTo("wrong_passphrase");
            assertThat(reply.json().path("message").asText()).contains("passphrase does not match");
            assertThat(reply.body()).doesNotContain("not-the-passphrase");
            String token = fresh.login();
            assertThat(fresh.client.get("/api/v1/agents", bearer(token)).json().size())
                    .isZero();
            List<EventView> events =
                    fresh.client.get("/api/v1/events", bearer(token)).listOf(EventView.class);
            assertThat(events)
                    .filteredOn(e -> e.kind().equals("AGENT_ENROLMENT_REFUSED"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.result()).isEqualTo("FAILED");
                        assertThat(e.message())
                                .isEqualTo("enrolment of agent psql1 from 127.0.0.1 refused: wrong passphrase");
                    });
            assertThat(events).noneMatch(e -> e.message().contains("not-the-passphrase"));
        }
    }

    @Test
    void anEnrolledAgentsReportsListItsDatabasesWithTheirFields() {
        ApiClient.Reply enrolled =
                client.post("/api/v1/agents", RunningCenter.enrolment("fields1", RunningCenter.PASSPHRASE));
        assertThat(enrolled.status()).isEqualTo(201);
        EnrolmentReply enrolment = enrolled.as(EnrolmentReply.class);
        assertThat(enrolment.agentName()).isEqualTo("fields1");
        assertThat(enrolment.reportIntervalMillis()).isEqualTo(200);
        String token = enrolment.token().reveal();

        DatabaseObservation primary = new DatabaseObservation(
                "/pg/16/main",
                5433,
                "16",
                "16.4",
                true,
                Role.PRIMARY,
                null,
                "0/3000060",
                null,
                null,
                "7301234567890123456");
        DatabaseObservation stopped = new DatabaseObservation(
                "/pg/15/main", 5432, "15", null, false, Role.STANDBY, "connection refused", null, null, null, null);
        ApiClient.Reply reported = report("fields1", token, primary, stopped);

        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
        ReportReply reply = reported.as(ReportReply.class);
        assertThat(reply.reportIntervalMillis()).isEqualTo(200);
        assertThat(reply.receivedAt())
                .isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(5));

        List<DatabaseView> databases = databasesOf("fields1");
        assertThat(databases).extracting(DatabaseView::id).containsExactly("fields1:5432", "fields1:5433");
        DatabaseView down = databases.get(0);
        assertThat(down.up()).isFalse();
        assertThat(down.reason()).isEqualTo("connection refused");
        assertThat(down.version()).isEqualTo("15");
        assertThat(down.role()).isEqualTo(Role.STANDBY);
        DatabaseView up = databases.get(1);
        assertThat(up.agent()).isEqualTo("fields1");
        assertThat(up.host()).isEqualTo("fields1.example.com");
        assertThat(up.port()).isEqualTo(5433);
        assertThat(up.dataDirectory()).isEqualTo("/pg/16/main");
        assertThat(up.version()).isEqualTo("16.4");
        assertThat(up.role()).isEqualTo(Role.PRIMARY);
        assertThat(up.up()).isTrue();
        assertThat(up.reason()).isNull();
        assertThat(up.currentLsn()).isEqualTo("0/3000060");
        assertThat(up.observedAt()).isEqualTo(reply.receivedAt());

        AgentView agent = agent("fields1");
        assertThat(agent.online()).isTrue();
        assertThat(agent.address()).isEqualTo("127.0.0.1:7801");
        assertThat(agent.lastReportAt()).isEqualTo(reply.receivedAt());
    }

    @Test
    void aReportWithAnotherAgentsTokenGets401AndChangesNothing() {
        String mine = center.enrol("victim1");
        String theirs = center.enrol("intruder1");

        ApiClient.Reply reply = report("victim1", theirs, up("/pg/a", 5432));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("code").asText()).isEqualTo("unauthorized");
        assertThat(databasesOf("victim1")).isEmpty();
        assertThat(report("victim1", mine, up("/pg/a", 5432)).status()).isEqualTo(200);
    }

    @Test
    void aReportWithoutATokenOrForAnUnknownAgentGets401() {
        AgentReport report = new AgentReport("ghost", 1, Instant.now(), List.of());
        assertThat(client.post("/api/v1/agents/ghost/reports", report).status()).isEqualTo(401);
        assertThat(client.post("/api/v1/agents/ghost/reports", report, bearer("made-up"))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aReportNamingAnotherAgentInItsBodyGets400() {
        String token = center.enrol("named1");

        AgentReport report = new AgentReport("named2", 1, Instant.now(), List.of());
        ApiClient.Reply reply = client.post("/api/v1/agents/named1/reports", report, bearer(token));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("details").path("field").asText()).isEqualTo("agentName");
    }

    @Test
    void reEnrolmentInvalidatesTheOldToken() {
        String old = center.enrol("restarted1");
        String fresh = center.enrol("restarted1");

        assertThat(report("restarted1", old, up("/pg/a", 5432)).status()).isEqualTo(401);
        assertThat(report("restarted1", fresh, up("/pg/a", 5432)).status()).isEqualTo(200);
        assertThat(agents()).filteredOn(a -> a.name().equals("restarted1")).hasSize(1);
    }

    @Test
    void enrolmentWithAnotherProtocolVersionOrABadNameGets400() {
        EnrolmentRequest future =
                new EnrolmentRequest(99, "future1", Secret.of(RunningCenter.PASSPHRASE), "h", "h:1", 1, "9.0");
        ApiClient.Reply reply = client.post("/api/v1/agents", future);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("details").path("field").asText()).isEqualTo("protocolVersion");

        ApiClient.Reply badName =
                client.post("/api/v1/agents", RunningCenter.enrolment("-bad name", RunningCenter.PASSPHRASE));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().path("details").path("field").asText()).isEqualTo("agentName");
        assertThat(agents()).noneMatch(a -> a.name().equals("future1"));
    }

    @Test
    void anAgentThatStopsReportingGoesOfflineAndItsDatabasesAreNoLongerUp() {
        String token = center.enrol("silent1");
        assertThat(report("silent1", token, up("/pg/a", 5432)).status()).isEqualTo(200);
        assertThat(databasesOf("silent1"))
                .singleElement()
                .extracting(DatabaseView::up)
                .isEqualTo(true);

        await().atMost(RunningCenter.OFFLINE_AFTER.plusSeconds(3)).untilAsserted(() -> {
            assertThat(agent("silent1").online()).isFalse();
            DatabaseView database = databasesOf("silent1").get(0);
            assertThat(database.up()).isFalse();
            assertThat(database.reason()).startsWith("agent silent1 is offline (last report ");
        });
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(events())
                .anyMatch(e -> e.kind().equals("AGENT_OFFLINE") && e.subject().equals("silent1")));

        assertThat(report("silent1", token, up("/pg/a", 5432)).status()).isEqualTo(200);
        assertThat(agent("silent1").online()).isTrue();
        assertThat(databasesOf("silent1").get(0).up()).isTrue();
        assertThat(events())
                .anyMatch(e -> e.kind().equals("AGENT_ONLINE")
                        && e.subject().equals("silent1")
                        && e.message().contains("offline -> online"));
    }

    @Test
    void aDatabaseGoingDownIsAnEventWithTheReason() {
        String token = center.enrol("flaky1");
        report("flaky1", token, up("/pg/a", 5432));
        report(
                "flaky1",
                token,
                new DatabaseObservation(
                        "/pg/a",
                        5432,
                        "16",
                        null,
                        false,
                        Role.PRIMARY,
                        "could not connect: connection refused",
                        null,
                        null,
                        null,
                        null));

        assertThat(events())
                .anyMatch(e -> e.kind().equals("DATABASE_DOWN")
                        && e.subject().equals("flaky1:5432")
                        && e.message()
                                .equals("database flaky1:5432 up -> down: could not connect: connection refused"));
    }

    @Test
    void anUnknownKeyInAnObservationGets400NamingItsPath() {
        String token = center.enrol("typo1");
        String body = "{\"agentName\":\"typo1\",\"pid\":1,\"observedAt\":\"2024-05-01T12:00:00Z\",\"databases\":[{"
                + "\"dataDirectory\":\"/d\",\"port\":5432,\"majorVersion\":\"16\",\"serverVersion\":null,\"up\":true,"
                + "\"role\":\"PRIMARY\",\"reason\":null,\"currentLsn\":null,\"receivedLsn\":null,\"replayedLsn\":null,"
                + "\"systemIdentifier\":null,\"running\":true,\"lag\":5}]}";

        ApiClient.Reply reply = client.post("/api/v1/agents/typo1/reports", body, bearer(token));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("invalid_input");
        assertThat(reply.json().path("details").path("field").asText()).isEqualTo("databases[0].lag");
        assertThat(databasesOf("typo1")).isEmpty();
    }

    @Test
    void agentsAreSortedByName() {
        center.enrol("zeta1");
        center.enrol("alpha1");
        List<String> names = agents().stream().map(AgentView::name).toList();
        assertThat(names).isSorted();
    }

    private static ApiClient.Reply report(String agent, String token, DatabaseObservation... databases) {
        return client.post(
                "/api/v1/agents/" + agent + "/reports",
                new AgentReport(agent, 4343, Instant.now(), List.of(databases)),
                bearer(token));
    }

    private static DatabaseObservation up(String directory, int port) {
        return new DatabaseObservation(
                directory, port, "16", "16.4", true, Role.PRIMARY, null, "0/3000060", null, null, null);
    }

    private static List<DatabaseView> databasesOf(String agent) {
        ApiClient.Reply reply = client.get("/api/v1/databases", bearer(session));
        assertThat(reply.status()).isEqualTo(200);
        return reply.listOf(DatabaseView.class).stream()
                .filter(d -> d.agent().equals(agent))
                .toList();
    }

    private static List<AgentView> agents() {
        return client.get("/api/v1/agents", bearer(session)).listOf(AgentView.class);
    }

    private static AgentView agent(String name) {
        return agents().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<EventView> events() {
        return client.get("/api/v1/events?limit=1000", bearer(session)).listOf(EventView.class);
    }
}
