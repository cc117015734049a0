package io.understudy.center.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.understudy.center.MutableClock;
import io.understudy.center.auth.Tokens;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.LagHistory;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.JdbcStore;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.StepView;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link Configurations} checks against what exists, each refusal changing nothing. Agents:
 * psql1 (primary /pg/main:5432, a standby /pg/replica:5434, a down primary /pg/down:5435), psql2
 * (PostgreSQL 16, a database /pg/other:5499), psql3 (PostgreSQL 15 only), psql4 (offline).
 */
class ConfigurationsTest {
    private final MutableClock clock = MutableClock.at("2024-05-01T12:00:00Z");
    private JdbcStore store;
    private Orchestrator orchestrator;
    private Configurations configurations;

    @BeforeEach
    void open() {
        store = JdbcStore.openInMemory();
        EventLog events = new EventLog(store, clock);
        Liveness liveness = new Liveness(Duration.ofSeconds(2));
        Monitor monitor = new Monitor(store, events, liveness, clock);
        LagHistory lagHistory = new LagHistory(store, clock);
        orchestrator = new Orchestrator(store, events, monitor, liveness, lagHistory, clock, new GoalSignals());
        configurations = new Configurations(store, events, orchestrator, liveness, lagHistory);
        report("psql4", List.of(), List.of(), "16");
        clock.advance(Duration.ofSeconds(3));
        report(
                "psql1",
                List.of(
                        up("/pg/main", 5432, Role.PRIMARY),
                        up("/pg/replica", 5434, Role.STANDBY),
                        new DatabaseObservation(
                                "/pg/down",
                                5435,
                                "16",
                                null,
                                false,
                                Role.PRIMARY,
                                "connection refused",
                                null,
                                null,
                                null,
                                null)),
                List.of(),
                "16");
        report("psql2", List.of(up("/pg/other", 5499, Role.PRIMARY)), List.of(), "16", "15");
        report("psql3", List.of(), List.of(), "15");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createsAConfigurationWithItsFirstGoals() {
        ConfigurationView view =
                configurations.create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433), "admin");

        assertThat(view.epoch()).isEqualTo(1);
        assertThat(view.standbyCreated()).isFalse();
        assertThat(goals("psql1")).singleElement().satisfies(g -> {
            assertThat(g.state()).isEqualTo(NodeState.SINGLE);
            assertThat(g.dataDirectory()).isEqualTo("/pg/main");
        });
        assertThat(goals("psql2")).singleElement().satisfies(g -> {
            assertThat(g.state()).isEqualTo(NodeState.WAIT_STANDBY);
            assertThat(g.replication().slotName()).isEqualTo("understudy_sales");
        });
        assertThat(Configurations.slotName("eu-sales")).isEqualTo("understudy_eu_sales");
    }

    @Test
    void refusesAPrimaryThatIsUnknownDownOrNotAPrimary() {
        assertRefused("primary", () -> create(request("a", "nobody:5432", "psql2", "/pg/s", 5433)));
        assertRefused("primary", () -> create(request("a", "psql1:6000", "psql2", "/pg/s", 5433)));
        assertRefused("primary", () -> create(request("a", "psql1:5435", "psql2", "/pg/s", 5433)));
        assertRefused("primary", () -> create(request("a", "psql1:5434", "psql2", "/pg/s", 5433)));
        assertRefused("primary", () -> create(request("a", "psql4:5432", "psql2", "/pg/s", 5433)));
    }

    @Test
    void refusesAStandbyAgentThatIsUnknownOfflineOrWithoutThePrimarysVersion() {
        assertRefused("standby.agent", () -> create(request("a", "psql1:5432", "nobody", "/pg/s", 5433)));
        assertRefused("standby.agent", () -> create(request("a", "psql1:5432", "psql4", "/pg/s", 5433)));
        Refusal version =
                assertRefused("standby.agent", () -> create(request("a", "psql1:5432", "psql3", "/pg/s", 5433)));
        assertThat(version.getMessage()).contains("no PostgreSQL 16").contains("15");
    }

    @Test
    void refusesATargetThatIsThePrimarysDirectoryOrPortOrAnotherDatabasesPort() {
        assertRefused("standby.dataDirectory", () -> create(request("a", "psql1:5432", "psql1", "/pg/main", 5433)));
        assertRefused("standby.port", () -> create(request("a", "psql1:5432", "psql1", "/pg/s", 5432)));
        assertRefused("standby.port", () -> create(request("a", "psql1:5432", "psql1", "/pg/s", 5434)));
        assertRefused("standby.port", () -> create(request("a", "psql1:5432", "psql2", "/pg/s", 5499)));
    }

    @Test
    void refusesATargetInsideOrAboveAnotherDatabasesDataDirectoryComparingNormalizedPaths() {
        Refusal inside = assertRefused(
                "standby.dataDirectory", () -> create(request("a", "psql1:5432", "psql1", "/pg/main/standby", 5440)));
        assertThat(inside.getMessage())
                .isEqualTo("the standby's data directory /pg/main/standby is inside the data directory /pg/main of"
                        + " database psql1:5432 on agent psql1; choose a directory that neither holds nor lies inside"
                        + " another database's");
        Refusal parent =
                assertRefused("standby.dataDirectory", () -> create(request("a", "psql1:5432", "psql1", "/pg", 5440)));
        assertThat(parent.getMessage()).contains("/pg is a parent of the data directory");
        assertRefused("standby.dataDirectory", () -> create(request("a", "psql1:5432", "psql1", "/pg/down/./x", 5440)));
        assertRefused(
                "standby.dataDirectory", () -> create(request("a", "psql1:5432", "psql2", "/pg/other/data", 5440)));
        // a target of another configuration, not created yet, counts too
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        assertRefused(
                "standby.dataDirectory",
                () -> create(request("other", "psql2:5499", "psql2", "/pg/standby/inside", 5440)));
        assertRefused(
                "standby.dataDirectory", () -> create(request("other", "psql2:5499", "psql2", "/pg/standby/", 5440)));
        // a sibling whose name only starts the same is not inside
        create(request("b", "psql2:5499", "psql1", "/pg/mainly", 5441));
        assertThat(store.configurations()).hasSize(2);
    }

    @Test
    void refusesAnAgentListeningOnAWildcardAddress() {
        enrol("psql5", "db5.example.com", "0.0.0.0:7801");
        report("psql5", List.of(up("/pg/main", 5432, Role.PRIMARY)), List.of(), "16");
        enrol("psql6", "db6.example.com", "[::]:7801");
        report("psql6", List.of(), List.of(), "16");

        Refusal primary =
                assertRefused("primary", () -> create(request("a", "psql5:5432", "psql2", "/pg/standby", 5433)));
        assertThat(primary.getMessage())
                .contains("agent psql5 (the primary's) listens on 0.0.0.0:7801, a wildcard address")
                .contains("the agent must listen on an address the other host can reach (--listen");
        assertRefused("standby.agent", () -> create(request("a", "psql1:5432", "psql6", "/pg/standby", 5433)));
    }

    @Test
    void refusesALoopbackAddressOnlyWhenTheAgentsRunOnDifferentHosts() {
        enrol("psql5", "db5.example.com", "127.0.0.1:7801");
        report("psql5", List.of(up("/pg/main", 5432, Role.PRIMARY)), List.of(), "16");
        enrol("psql6", "db6.example.com", "[::1]:7801");
        report("psql6", List.of(), List.of(), "16");
        enrol("psql7", "DB5.example.com", "localhost:7802");
        report("psql7", List.of(), List.of(), "16");

        Refusal primary =
                assertRefused("primary", () -> create(request("a", "psql5:5432", "psql2", "/pg/standby", 5433)));
        assertThat(primary.getMessage())
                .contains("listens on 127.0.0.1:7801, a loopback address, but the agents run on different hosts"
                        + " (db5.example.com and psql2.example.com)");
        assertRefused("standby.agent", () -> create(request("a", "psql1:5432", "psql6", "/pg/standby", 5433)));
        assertRefused("primary", () -> create(request("a", "psql5:5432", "psql6", "/pg/standby", 5433)));

        create(request("same-host", "psql5:5432", "psql7", "/pg/standby", 5433));
        assertThat(store.configurations()).hasSize(1);
    }

    @Test
    void recognisesWildcardAndLoopbackAddressesWithoutLookingNamesUp() {
        assertThat(List.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0", "*")).allMatch(Configurations::isWildcard);
        assertThat(List.of("127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST", "db.localhost"))
                .allMatch(Configurations::isLoopback);
        assertThat(List.of("10.0.0.1", "db1.example.com", "fe80::1", "999.0.0.1"))
                .noneMatch(Configurations::isWildcard)
                .noneMatch(Configurations::isLoopback);
    }

    @Test
    void aTargetMayBeTheDirectoryOfAClusterItWillReplace() {
        create(request("a", "psql1:5432", "psql2", "/pg/other", 5499));
        assertThat(store.configurations()).hasSize(1);
    }

    @Test
    void refusesANameInUseAndADatabaseThatBelongsToAConfigurationAlready() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));

        Refusal nameInUse =
                refusal(() -> configurations.create(request("sales", "psql1:5432", "psql2", "/pg/x", 5440), "admin"));
        assertThat(nameInUse.code()).isEqualTo(Refusal.Code.CONFLICT);
        assertThat(nameInUse.details()).containsEntry("field", "name");
        assertRefused("primary", () -> create(request("other", "psql1:5432", "psql2", "/pg/x", 5440)));
        assertRefused(
                "standby.dataDirectory", () -> create(request("other", "psql2:5499", "psql2", "/pg/standby", 5440)));
        assertRefused("standby.port", () -> create(request("other", "psql2:5499", "psql2", "/pg/x", 5433)));
        assertThat(store.configurations()).hasSize(1);
    }

    @Test
    void creatingTheStandbyWaitsForTheTargetsInspection() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));

        Refusal refusal = refusal(() -> configurations.createStandby("sales", false, "admin"));

        assertThat(refusal.code()).isEqualTo(Refusal.Code.TARGET_NOT_INSPECTED);
        assertThat(store.operations(java.util.Optional.of("sales"), 10)).isEmpty();
    }

    @Test
    void aPrimaryThatIsNoLongerAPrimaryIsNotReady() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(false, false, false, null, false, null));
        report("psql1", List.of(up("/pg/main", 5432, Role.STANDBY)), List.of(), "16");

        Refusal refusal = refusal(() -> configurations.createStandby("sales", false, "admin"));

        assertThat(refusal.code()).isEqualTo(Refusal.Code.NOT_READY);
        assertThat(refusal.getMessage())
                .startsWith("the primary psql1:5432 is not a primary: its agent observes it as STANDBY");
        assertThat(store.operations(java.util.Optional.of("sales"), 10)).isEmpty();
    }

    @Test
    void cancellingEndsTheOperationFailedResetsTheGoalsAndSaysWho() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(false, false, false, null, false, null));
        String id = configurations.createStandby("sales", false, "admin").operationId();
        assertThat(goals("psql1")).singleElement().extracting(Goal::state).isEqualTo(NodeState.WAIT_PRIMARY);

        OperationView cancelled = configurations.cancel(id, "alice");

        assertThat(cancelled.state()).isEqualTo("FAILED");
        assertThat(cancelled.message()).isEqualTo("cancelled by alice");
        assertThat(cancelled.endedAt()).isNotNull();
        assertThat(cancelled.steps())
                .extracting(StepView::state, StepView::message)
                .containsExactly(tuple("FAILED", "cancelled by alice"), tuple("PENDING", null), tuple("PENDING", null));
        assertThat(goals("psql1")).singleElement().satisfies(g -> {
            assertThat(g.state()).isEqualTo(NodeState.SINGLE);
            assertThat(g.operationId()).isNull();
        });
        assertThat(goals("psql2")).singleElement().extracting(Goal::state).isEqualTo(NodeState.WAIT_STANDBY);
        assertThat(store.events(1000))
                .filteredOn(e -> e.kind().equals("OPERATION_CANCELLED"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("alice");
                    assertThat(e.message()).contains("cancelled by alice at step 1");
                });
    }

    @Test
    void cancellingAnOperationThatIsNotRunningIsAConflictAndChangesNothing() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(false, false, false, null, false, null));
        String id = configurations.createStandby("sales", false, "admin").operationId();
        configurations.cancel(id, "alice");
        int events = store.events(1000).size();

        Refusal again = refusal(() -> configurations.cancel(id, "bob"));

        assertThat(again.code()).isEqualTo(Refusal.Code.CONFLICT);
        assertThat(again.details()).containsEntry("operationId", id).containsEntry("state", "FAILED");
        assertThat(configurations.operation(id).message()).isEqualTo("cancelled by alice");
        assertThat(store.events(1000)).hasSize(events);
        assertThat(refusal(() -> configurations.cancel("00000000-0000-0000-0000-000000000000", "bob"))
                        .code())
                .isEqualTo(Refusal.Code.NOT_FOUND);
    }

    @Test
    void housekeepingFailsAStepThatRunsPastItsDeadlineAndARetryPreparesThePrimaryAgain() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(false, false, false, null, false, null));
        String id = configurations.createStandby("sales", false, "admin").operationId();
        clock.advance(Duration.ofMinutes(5));

        orchestrator.reconsiderAll();

        OperationView failed = configurations.operation(id);
        assertThat(failed.state()).isEqualTo("FAILED");
        assertThat(failed.message())
                .startsWith("create standby failed at step 1: the primary psql1:5432 was not prepared for a standby"
                        + " within 5 min: agent psql1 is offline");
        assertThat(store.membersOf("sales"))
                .extracting(m -> m.goalState())
                .containsExactly(NodeState.SINGLE, NodeState.WAIT_STANDBY);

        inspect(new TargetInspection(false, false, false, null, false, null));
        String retry = configurations.createStandby("sales", false, "admin").operationId();
        assertThat(goals("psql1")).singleElement().satisfies(g -> {
            assertThat(g.state()).isEqualTo(NodeState.WAIT_PRIMARY);
            assertThat(g.operationId()).isEqualTo(retry);
        });
    }

    @Test
    void aTargetWithFilesButNoClusterNeedsConfirmationToo() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(true, false, false, null, false, null));

        Refusal refusal = refusal(() -> configurations.createStandby("sales", false, "admin"));

        assertThat(refusal.code()).isEqualTo(Refusal.Code.CONFIRMATION_REQUIRED);
        assertThat(refusal.getMessage()).startsWith("psql2:/pg/standby is not empty");
        assertThat(refusal.details())
                .containsEntry("target", "psql2:/pg/standby")
                .containsEntry("holdsCluster", false)
                .doesNotContainKey("majorVersion");
    }

    @Test
    void aPrimaryThatIsDownOrOfflineIsNotReady() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(true, true, false, null, false, null));
        clock.advance(Duration.ofSeconds(3));
        report("psql2", List.of(), List.of(inspected("sales", null)), "16");

        Refusal refusal = refusal(() -> configurations.createStandby("sales", false, "admin"));

        assertThat(refusal.code()).isEqualTo(Refusal.Code.NOT_READY);
        assertThat(refusal.getMessage()).contains("agent psql1 is offline");
    }

    @Test
    void aSecondOperationWhileOneRunsIsAConflictAndSoIsDeletion() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(false, false, false, null, false, null));
        OperationAccepted accepted = configurations.createStandby("sales", false, "admin");

        assertThat(refusal(() -> configurations.createStandby("sales", true, "admin"))
                        .code())
                .isEqualTo(Refusal.Code.CONFLICT);
        assertThat(refusal(() -> {
                            configurations.delete("sales", "admin");
                            return null;
                        })
                        .details())
                .containsEntry("operationId", accepted.operationId());
        assertThat(store.operations(java.util.Optional.of("sales"), 10)).hasSize(1);
    }

    @Test
    void recreatingACreatedStandbyNeedsConfirmation() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        store.updateConfiguration(store.findConfiguration("sales").orElseThrow().withStandbyCreated(true));

        Refusal refusal = refusal(() -> configurations.createStandby("sales", false, "admin"));

        assertThat(refusal.code()).isEqualTo(Refusal.Code.CONFIRMATION_REQUIRED);
        assertThat(configurations.createStandby("sales", true, "admin").kind()).isEqualTo("CREATE_STANDBY");
    }

    @Test
    void housekeepingNoticesAnAgentGoingOfflineDuringAnOperation() {
        create(request("sales", "psql1:5432", "psql2", "/pg/standby", 5433));
        inspect(new TargetInspection(false, false, false, null, false, null));
        String id = configurations.createStandby("sales", false, "admin").operationId();
        clock.advance(Duration.ofSeconds(3));

        orchestrator.reconsiderAll();

        assertThat(configurations.operation(id).message()).contains("is offline");
    }

    private void create(NewConfiguration request) {
        configurations.create(request, "admin");
    }

    private static NewConfiguration request(String name, String primary, String agent, String directory, int port) {
        return new NewConfiguration(
                name,
                DatabaseId.parse(primary),
                new StandbyTarget(agent, directory, port),
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT);
    }

    private Refusal assertRefused(String field, Runnable change) {
        int events = store.events(1000).size();
        int existing = store.configurations().size();
        Refusal refusal = refusal(() -> {
            change.run();
            return null;
        });
        assertThat(refusal.code()).isEqualTo(Refusal.Code.INVALID_INPUT);
        assertThat(refusal.details()).containsEntry("field", field);
        assertThat(store.configurations()).hasSize(existing);
        assertThat(store.events(1000)).hasSize(events);
        return refusal;
    }

    private static Refusal refusal(Supplier<?> change) {
        Refusal refusal = catchThrowableOfType(Refusal.class, change::get);
        assertThat(refusal).as("refused").isNotNull();
        return refusal;
    }

    private void inspect(TargetInspection target) {
        report("psql1", List.of(up("/pg/main", 5432, Role.PRIMARY)), List.of(), "16");
        report("psql2", List.of(), List.of(inspected("sales", target)), "16");
    }

    private static NodeStatus inspected(String configuration, TargetInspection target) {
        return new NodeStatus(configuration, "/pg/standby", NodeState.WAIT_STANDBY, 1, null, null, null, target);
    }

    private List<Goal> goals(String agent) {
        return report(
                agent,
                new ArrayList<>(store.databasesOf(agent).stream()
                        .map(d -> up(d.dataDirectory(), d.port(), d.role()))
                        .toList()),
                List.of(),
                "16");
    }

    private List<Goal> report(
            String agent, List<DatabaseObservation> databases, List<NodeStatus> nodes, String... versions) {
        Secret token = Secret.of("token-of-" + agent);
        if (store.findAgent(agent).isEmpty()) {
            enrol(agent, agent + ".example.com", agent + ".example.com:7801");
        }
        return orchestrator
                .report(
                        agent,
                        token,
                        new AgentReport(agent, 1, clock.instant(), databases, List.of(), nodes, List.of(versions)))
                .orElseThrow()
                .goals();
    }

    /** Agent {@code agent} on {@code host}, listening on {@code address}; it has not reported yet. */
    private void enrol(String agent, String host, String address) {
        store.insertAgent(new AgentRecord(
                agent,
                host,
                address,
                1,
                "0.1.0",
                Tokens.hash(Secret.of("token-of-" + agent)),
                clock.instant(),
                null,
                false));
    }

    private static DatabaseObservation up(String directory, int port, Role role) {
        return new DatabaseObservation(
                directory,
                port,
                "16",
                "16.4",
                true,
                role,
                null,
                role == Role.PRIMARY ? "0/5000000" : null,
                null,
                role == Role.STANDBY ? "0/4000000" : null,
                null);
    }
}
