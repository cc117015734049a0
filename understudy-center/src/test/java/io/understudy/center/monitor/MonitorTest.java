package io.understudy.center.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.center.MutableClock;
import io.understudy.center.auth.EnrolmentPassphrase;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.EventRecord;
import io.understudy.center.store.Fixtures;
import io.understudy.center.store.JdbcStore;
import io.understudy.center.store.MemberRecord;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.EnrolmentReply;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MonitorTest {
    private static final Secret PASSPHRASE = Secret.of("open sesame");

    private final MutableClock clock = MutableClock.at("2024-05-01T12:00:00Z");
    private JdbcStore store;
    private Monitor monitor;
    private Enrolment enrolment;

    @BeforeEach
    void open() {
        store = JdbcStore.openInMemory();
        EventLog events = new EventLog(store, clock);
        monitor = new Monitor(store, events, new Liveness(Duration.ofSeconds(2)), clock);
        enrolment = new Enrolment(store, events, EnrolmentPassphrase.of(PASSPHRASE), clock, Duration.ofMillis(500));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aWrongPassphraseRegistersNothingAndIsRecordedAsRefused() {
        var reply = enrolment.enrol(request("psql1", Secret.of("guess")), "127.0.0.1");

        assertThat(reply).isEmpty();
        assertThat(store.agents()).isEmpty();
        assertThat(kinds()).containsExactly("AGENT_ENROLMENT_REFUSED");
        assertThat(store.events(1).get(0).result()).isEqualTo("FAILED");
        assertThat(store.events(1).get(0).message()).doesNotContain("guess").contains("wrong passphrase");
    }

    @Test
    void reEnrolmentIssuesANewTokenAndTheOldOneStopsWorking() {
        Secret first = enrol("psql1");
        Secret second = enrol("psql1");

        assertThat(monitor.isAgentToken("psql1", first)).isFalse();
        assertThat(monitor.isAgentToken("psql1", second)).isTrue();
        assertThat(monitor.record("psql1", first, report("psql1", List.of()))).isEmpty();
        assertThat(store.findAgent("psql1").orElseThrow().lastReportAt()).isNull();
    }

    @Test
    void theFirstReportBringsTheAgentOnlineAndAddsItsDatabases() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432), down("/pg/b", 5433))));

        assertThat(kinds()).containsExactly("DATABASE_ADDED", "DATABASE_ADDED", "AGENT_ONLINE", "AGENT_ENROLLED");
        assertThat(store.databasesOf("psql1")).hasSize(2);
        assertThat(store.findAgent("psql1").orElseThrow().lastReportAt()).isEqualTo(clock.instant());
    }

    @Test
    void anUnchangedReportWritesNoEvent() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));
        int before = store.events(100).size();

        clock.advance(Duration.ofMillis(500));
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));

        assertThat(store.events(100)).hasSize(before);
        assertThat(store.databasesOf("psql1").get(0).observedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aDatabaseGoingDownAndUpIsRecordedOnceEachWithTheReason() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));
        monitor.record("psql1", token, report("psql1", List.of(down("/pg/a", 5432))));
        monitor.record("psql1", token, report("psql1", List.of(down("/pg/a", 5432))));
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));

        List<EventRecord> events = store.events(2);
        assertThat(events).extracting(EventRecord::kind).containsExactly("DATABASE_UP", "DATABASE_DOWN");
        assertThat(events.get(1).message()).isEqualTo("database psql1:5432 up -> down: connection refused");
        assertThat(events.get(1).subject()).isEqualTo("psql1:5432");
    }

    @Test
    void anAgentSilentForLongerThanOfflineAfterGoesOfflineOnceAndComesBackWithItsNextReport() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));

        clock.advance(Duration.ofSeconds(2));
        assertThat(monitor.checkLiveness()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(monitor.checkLiveness()).isEqualTo(1);
        assertThat(monitor.checkLiveness()).isZero();
        assertThat(store.events(1).get(0).kind()).isEqualTo("AGENT_OFFLINE");
        assertThat(store.events(1).get(0).message()).startsWith("agent psql1 online -> offline: no report for 2.0 s");

        clock.advance(Duration.ofSeconds(5));
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));
        assertThat(store.events(1).get(0).kind()).isEqualTo("AGENT_ONLINE");
        assertThat(store.events(1).get(0).message()).contains("offline -> online");
    }

    @Test
    void aRoleChangeIsRecordedButNotTheUnknownRoleOfADownDatabase() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));
        DatabaseObservation unknown = new DatabaseObservation(
                "/pg/a", 5432, "16", null, false, Role.UNKNOWN, "no control file", null, null, null, null);
        monitor.record("psql1", token, report("psql1", List.of(unknown)));
        DatabaseObservation standby = new DatabaseObservation(
                "/pg/a", 5432, "16", "16.4", true, Role.STANDBY, null, null, "0/3000060", "0/3000060", null);
        monitor.record("psql1", token, report("psql1", List.of(standby)));

        assertThat(store.events(2)).extracting(EventRecord::kind).containsExactly("DATABASE_UP", "DATABASE_DOWN");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));
        assertThat(store.events(1).get(0).message()).isEqualTo("database psql1:5432 STANDBY -> PRIMARY");
    }

    @Test
    void anAgentThatNeverReportedIsNotReportedOffline() {
        enrol("psql1");
        clock.advance(Duration.ofMinutes(1));
        assertThat(monitor.checkLiveness()).isZero();
    }

    @Test
    void storesLsnsInPostgresCanonicalForm() {
        Secret token = enrol("psql1");
        DatabaseObservation lowerCase = new DatabaseObservation(
                "/pg/a", 5432, "16", "16.4", true, Role.PRIMARY, null, "16/b374d848", null, null, null);
        monitor.record("psql1", token, report("psql1", List.of(lowerCase)));
        assertThat(store.databasesOf("psql1").get(0).currentLsn()).isEqualTo("16/B374D848");
    }

    @Test
    void aDatabaseNoLongerReportedIsMarkedDownOnceAndKeepsItsId() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432), up("/pg/b", 5433))));
        clock.advance(Duration.ofSeconds(1));
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432))));

        DatabaseRecord gone = store.databasesOf("psql1").get(1);
        assertThat(gone.dataDirectory()).isEqualTo("/pg/b");
        assertThat(gone.up()).isFalse();
        assertThat(gone.running()).isFalse();
        assertThat(gone.reason()).isEqualTo("no longer reported by agent psql1");
        assertThat(kinds()).filteredOn("DATABASE_DOWN"::equals).hasSize(1);
        assertThat(store.events(1).get(0).message())
                .isEqualTo("database psql1:5433 up -> down: no longer reported by agent psql1");
    }

    @Test
    void aPortTakenOverByAnotherDataDirectoryForgetsTheOldOneSoAnIdNamesOneDatabase() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/old", 5432))));
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/new", 5432))));

        assertThat(store.databasesOf("psql1"))
                .singleElement()
                .extracting(DatabaseRecord::dataDirectory)
                .isEqualTo("/pg/new");
        assertThat(kinds()).contains("DATABASE_REPLACED");
    }

    @Test
    void databasesMaySwapPortsInOneReport() {
        Secret token = enrol("psql1");
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5432), up("/pg/b", 5433))));
        monitor.record("psql1", token, report("psql1", List.of(up("/pg/a", 5433), up("/pg/b", 5432))));

        assertThat(store.databasesOf("psql1"))
                .extracting(DatabaseRecord::port, DatabaseRecord::dataDirectory)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(5432, "/pg/b"),
                        org.assertj.core.groups.Tuple.tuple(5433, "/pg/a"));
    }

    @Test
    void nodeStatusesAreRecordedAsReportedStateApartFromTheGoal() {
        Secret token = enrol("psql1");
        Fixtures.insertConfiguration(store, "sales", clock.instant());
        String phase = "restarting psql1's PostgreSQL: wal_log_hints takes effect only at a restart";
        NodeStatus prepared = new NodeStatus(
                "sales",
                "/pg/primary",
                NodeState.WAIT_PRIMARY,
                1,
                "op-1",
                new ActionProgress("prepare for a standby", phase, 0, 0, clock.instant()),
                null,
                null);
        NodeStatus unknown = new NodeStatus("gone", "/pg/primary", NodeState.SINGLE, 1, null, null, null, null);

        monitor.record("psql1", token, fullReport("psql1", List.of(prepared, unknown)));
        monitor.record("psql1", token, fullReport("psql1", List.of(prepared)));

        MemberRecord member = store.membersOf("sales").get(0);
        assertThat(member.goalState()).isEqualTo(NodeState.SINGLE);
        assertThat(member.reportedState()).isEqualTo(NodeState.WAIT_PRIMARY);
        assertThat(member.reportedOperationId()).isEqualTo("op-1");
        assertThat(member.progress()).isNotNull();
        assertThat(kinds()).filteredOn("STATE_REPORTED"::equals).hasSize(1);
        assertThat(store.events(100))
                .filteredOn(e -> e.kind().equals("PROGRESS"))
                .singleElement()
                .satisfies(e -> assertThat(e.message()).endsWith(phase));
        assertThat(store.installedMajorVersions("psql1")).containsExactly("16", "15");
        assertThat(store.replicationOf("psql1", "/pg/primary")).get().satisfies(r -> assertThat(r.replicas())
                .hasSize(1));
    }

    @Test
    void aTargetInspectionIsKeptWhenLaterReportsCarryNone() {
        Secret token = enrol("psql2");
        Fixtures.insertConfiguration(store, "sales", clock.instant());
        TargetInspection holdsCluster = new TargetInspection(true, false, true, "15", true, "123");
        monitor.record(
                "psql2",
                token,
                new AgentReport(
                        "psql2",
                        42,
                        clock.instant(),
                        List.of(),
                        List.of(),
                        List.of(new NodeStatus(
                                "sales", "/pg/standby", NodeState.WAIT_STANDBY, 1, null, null, null, holdsCluster)),
                        List.of("16")));
        monitor.record(
                "psql2",
                token,
                new AgentReport(
                        "psql2",
                        42,
                        clock.instant(),
                        List.of(),
                        List.of(),
                        List.of(new NodeStatus(
                                "sales", "/pg/standby", NodeState.WAIT_STANDBY, 1, null, null, null, null)),
                        List.of("16")));

        assertThat(store.membersOf("sales").get(1).target()).isEqualTo(holdsCluster);
    }

    private AgentReport fullReport(String agent, List<NodeStatus> nodes) {
        ReplicationObservation replication = new ReplicationObservation(
                "/pg/primary",
                List.of(new ReplicaConnection(
                        "understudy_sales", "127.0.0.1", "streaming", "0/1", "0/1", "0/1", "0/1", 0L, "async")),
                List.of(),
                null,
                null,
                null);
        return new AgentReport(
                agent,
                42,
                clock.instant(),
                List.of(up("/pg/primary", 5432)),
                List.of(replication),
                nodes,
                List.of("16", "15"));
    }

    private Secret enrol(String name) {
        EnrolmentReply reply =
                enrolment.enrol(request(name, PASSPHRASE), "127.0.0.1").orElseThrow();
        assertThat(reply.reportIntervalMillis()).isEqualTo(500);
        return reply.token();
    }

    private List<String> kinds() {
        return store.events(100).stream().map(EventRecord::kind).toList();
    }

    private static EnrolmentRequest request(String name, Secret passphrase) {
        return new EnrolmentRequest(1, name, passphrase, "db1", "db1:7801", 42, "0.1.0");
    }

    private AgentReport report(String agent, List<DatabaseObservation> databases) {
        return new AgentReport(agent, 42, clock.instant(), databases);
    }

    private static DatabaseObservation up(String directory, int port) {
        return new DatabaseObservation(
                directory, port, "16", "16.4", true, Role.PRIMARY, null, "0/3000060", null, null, null);
    }

    private static DatabaseObservation down(String directory, int port) {
        return new DatabaseObservation(
                directory, port, "16", null, false, Role.PRIMARY, "connection refused", null, null, null, null);
    }
}
