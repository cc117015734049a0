package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static io.understudy.center.FakeAgent.nothing;
import static io.understudy.center.FakeAgent.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.CreateStandbyRequest;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.EventView;
import io.understudy.core.api.LagPoint;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.StepView;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configurations and standby creation over real HTTP, driven by hand-written agent reports: the
 * agents' side of each step is a report that says the step was reached.
 */
class ConfigurationApiIT {
    private static final String PRIMARY_DIR = "/pg/16/main";
    private static final String STANDBY_DIR = "/pg/16/standby";

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

    /** A primary agent and a standby agent, both reporting. */
    private record Pair(FakeAgent primary, FakeAgent standby) {
        String primaryId() {
            return primary.name + ":5432";
        }
    }

    private static Pair pair(String prefix) {
        FakeAgent primary = FakeAgent.enrol(center, prefix + "-p").primary(PRIMARY_DIR, 5432, "0/5000000");
        FakeAgent standby = FakeAgent.enrol(center, prefix + "-s");
        primary.report();
        standby.report();
        return new Pair(primary, standby);
    }

    private static ConfigurationRequest request(String name, Pair pair) {
        return new ConfigurationRequest(
                name,
                pair.primaryId(),
                new StandbyTarget(pair.standby.name, STANDBY_DIR, 5433),
                "wal-streaming",
                "hot");
    }

    private static ConfigurationView create(String name, Pair pair) {
        ApiClient.Reply reply = client.post("/api/v1/configurations", request(name, pair), bearer(session));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.as(ConfigurationView.class);
    }

    @Test
    void aNewConfigurationsGoalsReachEachAgentInItsNextReportReply() {
        Pair pair = pair("goals");
        ConfigurationView view = create("goals", pair);

        assertThat(view.primary()).isEqualTo(pair.primaryId());
        assertThat(view.standby()).isEqualTo(new StandbyTarget(pair.standby.name, STANDBY_DIR, 5433));
        assertThat(view.method()).isEqualTo(ReplicationMethod.WAL_STREAMING);
        assertThat(view.mode()).isEqualTo(StandbyMode.HOT);
        assertThat(view.epoch()).isEqualTo(1);
        assertThat(view.standbyCreated()).isFalse();
        assertThat(view.activeOperationId()).isNull();

        Goal primary = pair.primary.goal(PRIMARY_DIR);
        assertThat(primary.state()).isEqualTo(NodeState.SINGLE);
        assertThat(primary.configuration()).isEqualTo("goals");
        assertThat(primary.epoch()).isEqualTo(1);
        assertThat(primary.port()).isEqualTo(5432);
        Goal standby = pair.standby.goal(STANDBY_DIR);
        assertThat(standby.state()).isEqualTo(NodeState.WAIT_STANDBY);
        assertThat(standby.port()).isEqualTo(5433);
        assertThat(standby.replaceExisting()).isFalse();
        ReplicationSpec spec = standby.replication();
        assertThat(spec).isNotNull().isEqualTo(primary.replication());
        assertThat(spec.slotName()).isEqualTo("understudy_goals");
        assertThat(spec.applicationName()).isEqualTo("understudy_goals");
        assertThat(spec.user()).isEqualTo("understudy_replication");
        assertThat(spec.primaryHost()).isEqualTo("127.0.0.1");
        assertThat(spec.primaryPort()).isEqualTo(5432);
        assertThat(spec.standbyHost()).isEqualTo("127.0.0.1");
        assertThat(spec.password().reveal()).hasSizeGreaterThanOrEqualTo(24);

        List<ConfigurationStatus> all =
                client.get("/api/v1/status", bearer(session)).listOf(ConfigurationStatus.class);
        ConfigurationStatus status =
                all.stream().filter(s -> s.name().equals("goals")).findFirst().orElseThrow();
        assertThat(status.primary().state()).isEqualTo(DatabaseState.ONLINE);
        assertThat(status.standbys()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(DatabaseState.NOT_PRESENT);
            assertThat(s.goalState()).isEqualTo("WAIT_STANDBY");
            assertThat(s.reportedState()).isNull();
        });
        assertThat(client.get("/api/v1/configurations/goals", bearer(session)).as(ConfigurationView.class))
                .isEqualTo(view);
    }

    @Test
    void badInputsAreRefusedNamingTheFieldAndChangeNothing() {
        Pair pair = pair("bad");
        FakeAgent old = FakeAgent.enrol(center, "bad-old").versions("15");
        old.report();
        pair.standby
                .down("/pg/other", 5499, io.understudy.core.database.Role.PRIMARY)
                .report();
        int configurations = configurations().size();
        int created = events("CONFIGURATION_CREATED").size();

        assertRefused(
                400,
                "name",
                new ConfigurationRequest(
                        "Bad Name", pair.primaryId(), target(pair, STANDBY_DIR, 5433), "WAL_STREAMING", "HOT"));
        assertRefused(
                400,
                "primary",
                new ConfigurationRequest("bad1", "bad-p", target(pair, STANDBY_DIR, 5433), "WAL_STREAMING", "HOT"));
        assertRefused(
                400,
                "primary",
                new ConfigurationRequest(
                        "bad1", "bad-p:6000", target(pair, STANDBY_DIR, 5433), "WAL_STREAMING", "HOT"));
        assertRefused(
                400,
                "primary",
                new ConfigurationRequest(
                        "bad1", "nobody:5432", target(pair, STANDBY_DIR, 5433), "WAL_STREAMING", "HOT"));
        assertRefused(
                400,
                "primary",
                new ConfigurationRequest(
                        "bad1", pair.standby.name + ":5499", target(pair, STANDBY_DIR, 5433), "WAL_STREAMING", "HOT"));
        assertRefused(
                400,
                "standby.agent",
                new ConfigurationRequest(
                        "bad1",
                        pair.primaryId(),
                        new StandbyTarget("nobody", STANDBY_DIR, 5433),
                        "WAL_STREAMING",
                        "HOT"));
        assertRefused(
                400,
                "standby.agent",
                new ConfigurationRequest(
                        "bad1",
                        pair.primaryId(),
                        new StandbyTarget("bad-old", STANDBY_DIR, 5433),
                        "WAL_STREAMING",
                        "HOT"));
        assertRefused(
                400,
                "standby.dataDirectory",
                new ConfigurationRequest(
                        "bad1", pair.primaryId(), target(pair, "pg/relative", 5433), "WAL_STREAMING", "HOT"));
        assertRefused(
                400,
                "standby.dataDirectory",
                new ConfigurationRequest(
                        "bad1",
                        pair.primaryId(),
                        new StandbyTarget(pair.primary.name, PRIMARY_DIR, 5433),
                        "WAL_STREAMING",
                        "HOT"));
        assertRefused(
                400,
                "standby.port",
                new ConfigurationRequest(
                        "bad1",
                        pair.primaryId(),
                        new StandbyTarget(pair.primary.name, STANDBY_DIR, 5432),
                        "WAL_STREAMING",
                        "HOT"));
        assertRefused(
                400,
                "standby.port",
                new ConfigurationRequest(
                        "bad1", pair.primaryId(), target(pair, STANDBY_DIR, 5499), "WAL_STREAMING", "HOT"));
        assertRefused(
                400,
                "standby.port",
                new ConfigurationRequest(
                        "bad1", pair.primaryId(), target(pair, STANDBY_DIR, 70000), "WAL_STREAMING", "HOT"));
        JsonNode shipping = assertRefused(
                400,
                "archiveTimeoutSeconds",
                new ConfigurationRequest(
                        "bad1", pair.primaryId(), target(pair, STANDBY_DIR, 5433), "WAL_SHIPPING", "HOT", 0));
        assertThat(shipping.path("message").asText())
                .isEqualTo("archiveTimeoutSeconds must be from 1 to 86400 seconds; got 0");
        assertRefused(
                400,
                "method",
                new ConfigurationRequest("bad1", pair.primaryId(), target(pair, STANDBY_DIR, 5433), "rsync", "HOT"));
        assertRefused(
                400,
                "mode",
                new ConfigurationRequest(
                        "bad1", pair.primaryId(), target(pair, STANDBY_DIR, 5433), "WAL_STREAMING", "lukewarm"));
        pair.standby.versions("15").report();
        JsonNode version = assertRefused(400, "standby.agent", request("bad1", pair));
        assertThat(version.path("message").asText()).contains("PostgreSQL 16");
        pair.standby.versions("16").report();
        pair.primary
                .down(PRIMARY_DIR, 5432, io.understudy.core.database.Role.PRIMARY)
                .report();
        assertRefused(400, "primary", request("bad1", pair));
        String body =
                "{\"name\":\"bad1\",\"primary\":null,\"standby\":null,\"method\":\"WAL_STREAMING\",\"mode\":\"HOT\"}";
        ApiClient.Reply nulls = client.post("/api/v1/configurations", body, bearer(session));
        assertThat(nulls.status()).isEqualTo(400);
        assertThat(nulls.json().path("details").path("field").asText()).isEqualTo("primary");

        assertThat(configurations()).hasSize(configurations);
        assertThat(events("CONFIGURATION_CREATED")).hasSize(created);
        assertThat(pair.primary.report().goals()).isEmpty();
        assertThat(pair.standby.report().goals()).isEmpty();

        pair.primary.primary(PRIMARY_DIR, 5432, "0/5000000").report();
        create("bad1", pair);
        assertRefused(409, "name", request("bad1", pair));
        assertThat(configurations()).hasSize(configurations + 1);
    }

    @Test
    void aTargetHoldingAClusterNeedsConfirmationAndNothingChangesWithoutIt() {
        Pair pair = pair("confirm");
        create("confirm", pair);
        ApiClient.Reply early = standbyCreate("confirm", false);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().path("code").asText()).as("not inspected yet").isEqualTo("target_not_inspected");

        pair.standby
                .inspected("confirm", STANDBY_DIR, new TargetInspection(true, false, true, "15", true, "7302"))
                .report();
        ApiClient.Reply reply = standbyCreate("confirm", false);

        assertThat(reply.status()).isEqualTo(409);
        JsonNode error = reply.json();
        assertThat(error.path("code").asText()).isEqualTo("confirmation_required");
        String target = pair.standby.name + ":" + STANDBY_DIR;
        assertThat(error.path("message").asText())
                .isEqualTo(target + " holds a PostgreSQL 15 cluster, running; creating the standby replaces it (it is"
                        + " moved aside, not deleted): confirm with --yes");
        assertThat(error.path("details").path("target").asText()).isEqualTo(target);
        assertThat(error.path("details").path("holdsCluster").asBoolean()).isTrue();
        assertThat(error.path("details").path("running").asBoolean()).isTrue();
        assertThat(error.path("details").path("majorVersion").asText()).isEqualTo("15");
        assertThat(operations("confirm")).isEmpty();
        assertThat(pair.standby.goal(STANDBY_DIR).state()).isEqualTo(NodeState.WAIT_STANDBY);
        assertThat(pair.primary.goal(PRIMARY_DIR).state()).isEqualTo(NodeState.SINGLE);

        ApiClient.Reply confirmed = standbyCreate("confirm", true);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(202);
        String operation = confirmed.as(OperationAccepted.class).operationId();
        pair.primary.reached("confirm", PRIMARY_DIR, NodeState.WAIT_PRIMARY, operation, null, null, null);
        assertThat(pair.primary.goal(PRIMARY_DIR).state()).isEqualTo(NodeState.WAIT_PRIMARY);
        Goal standby = pair.standby.goal(STANDBY_DIR);
        assertThat(standby.state()).isEqualTo(NodeState.CATCHINGUP);
        assertThat(standby.replaceExisting()).isTrue();
    }

    @Test
    void aFullStandbyCreationDrivenByReportsEndsWithAHotStandbyStreaming() {
        Pair pair = pair("full");
        create("full", pair);
        pair.standby.inspected("full", STANDBY_DIR, nothing()).report();

        ApiClient.Reply accepted = standbyCreate("full", false);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        OperationAccepted started = accepted.as(OperationAccepted.class);
        assertThat(started.kind()).isEqualTo("CREATE_STANDBY");
        String id = started.operationId();
        OperationView running = operation(id);
        assertThat(running.state()).isEqualTo("RUNNING");
        assertThat(running.steps()).extracting(StepView::state).containsExactly("RUNNING", "PENDING", "PENDING");
        assertThat(running.steps().get(0).name()).isEqualTo("prepare primary " + pair.primaryId());
        assertThat(running.steps().get(1).name())
                .isEqualTo("create standby at " + pair.standby.name + ":" + STANDBY_DIR + " (base backup)");
        assertThat(client.get("/api/v1/configurations/full", bearer(session))
                        .as(ConfigurationView.class)
                        .activeOperationId())
                .isEqualTo(id);

        // Step 1: the primary prepares, restarting first.
        Goal prepare = pair.primary.goal(PRIMARY_DIR);
        assertThat(prepare.state()).isEqualTo(NodeState.WAIT_PRIMARY);
        assertThat(prepare.operationId()).isEqualTo(id);
        String restart = "restarting " + pair.primary.name + "'s PostgreSQL: wal_log_hints and max_wal_senders take"
                + " effect only at a restart";
        pair.primary
                .reached(
                        "full",
                        PRIMARY_DIR,
                        NodeState.SINGLE,
                        id,
                        progress("prepare primary", restart, 0, 0),
                        null,
                        null)
                .report();
        assertThat(operation(id).progress()).isNotNull().satisfies(p -> assertThat(p.phase())
                .isEqualTo(restart));
        pair.primary
                .reached("full", PRIMARY_DIR, NodeState.WAIT_PRIMARY, id, null, null, null)
                .report();
        assertThat(operation(id).steps()).extracting(StepView::state).containsExactly("DONE", "RUNNING", "PENDING");

        // Step 2: the standby is copied, then started.
        Goal create = pair.standby.goal(STANDBY_DIR);
        assertThat(create.state()).isEqualTo(NodeState.CATCHINGUP);
        assertThat(create.operationId()).isEqualTo(id);
        assertThat(create.replaceExisting()).isFalse();
        pair.standby
                .reached(
                        "full",
                        STANDBY_DIR,
                        NodeState.WAIT_STANDBY,
                        id,
                        progress("base backup", "copying files", 50, 200),
                        null,
                        null)
                .report();
        assertThat(operation(id).progress()).isNotNull().satisfies(p -> {
            assertThat(p.phase()).isEqualTo("copying files");
            assertThat(p.bytesDone()).isEqualTo(50);
            assertThat(p.bytesTotal()).isEqualTo(200);
        });
        pair.standby
                .standby(STANDBY_DIR, 5433, "0/4F00000")
                .reached("full", STANDBY_DIR, NodeState.CATCHINGUP, id, null, null, null)
                .report();
        assertThat(operation(id).steps()).extracting(StepView::state).containsExactly("DONE", "DONE", "RUNNING");

        // Step 3: the primary sees it stream.
        pair.primary
                .replica(PRIMARY_DIR, "understudy_full", "streaming", "0/4F00000", 250L)
                .report();
        OperationView done = operation(id);
        assertThat(done.state()).isEqualTo("SUCCEEDED");
        assertThat(done.endedAt()).isNotNull();
        assertThat(done.progress()).isNull();
        assertThat(done.steps()).extracting(StepView::state).containsExactly("DONE", "DONE", "DONE");
        assertThat(done.steps()).allSatisfy(s -> assertThat(s.endedAt()).isNotNull());
        ConfigurationView view =
                client.get("/api/v1/configurations/full", bearer(session)).as(ConfigurationView.class);
        assertThat(view.standbyCreated()).isTrue();
        assertThat(view.activeOperationId()).isNull();
        assertThat(pair.primary.goal(PRIMARY_DIR).state()).isEqualTo(NodeState.PRIMARY);
        assertThat(pair.standby.goal(STANDBY_DIR).state()).isEqualTo(NodeState.SECONDARY);
        pair.standby
                .reached("full", STANDBY_DIR, NodeState.SECONDARY, id, null, null, null)
                .report();
        pair.primary
                .reached("full", PRIMARY_DIR, NodeState.PRIMARY, id, null, null, null)
                .report();

        ConfigurationStatus status =
                client.get("/api/v1/status/full", bearer(session)).as(ConfigurationStatus.class);
        assertThat(status.operation()).isNull();
        assertThat(status.primary().state()).isEqualTo(DatabaseState.ONLINE);
        assertThat(status.primary().goalState()).isEqualTo("PRIMARY");
        MemberStatus standby = status.standbys().get(0);
        assertThat(standby.database()).isEqualTo(pair.standby.name + ":5433");
        assertThat(standby.state()).isEqualTo(DatabaseState.HOT_STANDBY);
        assertThat(standby.streaming()).isTrue();
        assertThat(standby.lagBytes()).isEqualTo(0x100000L);
        assertThat(standby.replayLagSeconds()).isEqualTo(0.25);
        assertThat(standby.inSync()).isTrue();
        assertThat(standby.goalState()).isEqualTo("SECONDARY");
        assertThat(standby.reportedState()).isEqualTo("SECONDARY");

        List<LagPoint> lag = client.get("/api/v1/configurations/full/lag?window=PT1H", bearer(session))
                .listOf(LagPoint.class);
        assertThat(lag).isNotEmpty().last().extracting(LagPoint::lagBytes).isEqualTo(0x100000L);
        assertThat(client.get("/api/v1/configurations/full/lag?window=PT24H", bearer(session))
                        .listOf(LagPoint.class))
                .singleElement()
                .extracting(LagPoint::lagBytes)
                .isEqualTo(0x100000L);
        ApiClient.Reply badWindow = client.get("/api/v1/configurations/full/lag?window=P2D", bearer(session));
        assertThat(badWindow.status()).isEqualTo(400);
        assertThat(badWindow.json().path("details").path("field").asText()).isEqualTo("window");

        List<String> kinds =
                client
                        .get("/api/v1/events?configuration=full&limit=1000", bearer(session))
                        .listOf(EventView.class)
                        .stream()
                        .map(EventView::kind)
                        .toList();
        assertThat(kinds)
                .contains(
                        "CONFIGURATION_CREATED",
                        "OPERATION_STARTED",
                        "STEP_STARTED",
                        "STEP_DONE",
                        "OPERATION_SUCCEEDED",
                        "GOAL_ASSIGNED",
                        "STATE_REPORTED",
                        "PROGRESS",
                        "STANDBY_UP",
                        "STANDBY_STREAMING_STARTED");
        assertThat(kinds).filteredOn("STEP_DONE"::equals).hasSize(3);
        assertThat(client.get("/api/v1/events?configuration=full&kind=PROGRESS", bearer(session))
                        .listOf(EventView.class))
                .extracting(EventView::message)
                .anyMatch(m -> m.endsWith(restart));

        // The primary no longer sees it: streaming stopped is an event.
        pair.primary
                .replica(PRIMARY_DIR, "understudy_full", "catchup", "0/4F00000", null)
                .report();
        assertThat(client.get("/api/v1/status/full", bearer(session))
                        .as(ConfigurationStatus.class)
                        .standbys()
                        .get(0)
                        .streaming())
                .isFalse();
        assertThat(events("STANDBY_STREAMING_STOPPED"))
                .anyMatch(e -> e.subject().equals(pair.standby.name + ":5433"));

        // A primary that goes down: its last pg_stat_replication rows are stale, nothing streams.
        pair.primary
                .replica(PRIMARY_DIR, "understudy_full", "streaming", "0/4F00000", 250L)
                .report();
        assertThat(client.get("/api/v1/status/full", bearer(session))
                        .as(ConfigurationStatus.class)
                        .standbys()
                        .get(0)
                        .streaming())
                .isTrue();
        pair.primary
                .down(PRIMARY_DIR, 5432, io.understudy.core.database.Role.PRIMARY)
                .report();
        ConfigurationStatus primaryDown =
                client.get("/api/v1/status/full", bearer(session)).as(ConfigurationStatus.class);
        assertThat(primaryDown.primary().state()).isEqualTo(DatabaseState.DOWN);
        assertThat(primaryDown.standbys().get(0).streaming()).isFalse();
        assertThat(primaryDown.standbys().get(0).inSync()).isFalse();

        // A standby that goes down neither streams nor is in sync, whatever the primary listed last.
        pair.primary.primary(PRIMARY_DIR, 5432, "0/5000000").report();
        pair.standby
                .down(STANDBY_DIR, 5433, io.understudy.core.database.Role.STANDBY)
                .report();
        MemberStatus standbyDown = client.get("/api/v1/status/full", bearer(session))
                .as(ConfigurationStatus.class)
                .standbys()
                .get(0);
        assertThat(standbyDown.state()).isEqualTo(DatabaseState.DOWN);
        assertThat(standbyDown.streaming()).isFalse();
        assertThat(standbyDown.inSync()).isFalse();
    }

    @Test
    void anAdminCancelsARunningOperationItsGoalsAreResetAndARetryStartsOver() {
        Pair pair = pair("cancel");
        create("cancel", pair);
        pair.standby.inspected("cancel", STANDBY_DIR, nothing()).report();
        String id = standbyCreate("cancel", false).as(OperationAccepted.class).operationId();
        pair.primary
                .reached("cancel", PRIMARY_DIR, NodeState.WAIT_PRIMARY, id, null, null, null)
                .report();
        assertThat(pair.standby.goal(STANDBY_DIR).state()).isEqualTo(NodeState.CATCHINGUP);

        ApiClient.Reply cancelled = client.post("/api/v1/operations/" + id + "/cancel", "", bearer(session));

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        OperationView view = cancelled.as(OperationView.class);
        assertThat(view.state()).isEqualTo("FAILED");
        assertThat(view.message()).isEqualTo("cancelled by admin");
        assertThat(view.steps()).extracting(StepView::state).containsExactly("DONE", "FAILED", "PENDING");
        assertThat(view.steps().get(1).message()).isEqualTo("cancelled by admin");
        assertThat(operation(id)).isEqualTo(view);
        assertThat(pair.primary.goal(PRIMARY_DIR).state()).isEqualTo(NodeState.SINGLE);
        assertThat(pair.standby.goal(STANDBY_DIR).state()).isEqualTo(NodeState.WAIT_STANDBY);
        assertThat(events("OPERATION_CANCELLED"))
                .anyMatch(e -> e.actor().equals("admin") && e.message().contains(id));
        assertThat(client.get("/api/v1/configurations/cancel", bearer(session))
                        .as(ConfigurationView.class)
                        .activeOperationId())
                .isNull();

        ApiClient.Reply again = client.post("/api/v1/operations/" + id + "/cancel", "", bearer(session));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("conflict");
        assertThat(again.json().path("details").path("state").asText()).isEqualTo("FAILED");
        assertThat(client.post("/api/v1/operations/00000000-0000-0000-0000-000000000000/cancel", "", bearer(session))
                        .status())
                .isEqualTo(404);
        assertThat(client.post("/api/v1/operations/" + id + "/cancel", "", ApiClient.bearer("no-session"))
                        .status())
                .isEqualTo(401);

        // The retry prepares the primary again.
        pair.primary
                .reached("cancel", PRIMARY_DIR, NodeState.SINGLE, id, null, null, null)
                .report();
        pair.standby.inspected("cancel", STANDBY_DIR, nothing()).report();
        String retry =
                standbyCreate("cancel", false).as(OperationAccepted.class).operationId();
        Goal prepare = pair.primary.goal(PRIMARY_DIR);
        assertThat(prepare.state()).isEqualTo(NodeState.WAIT_PRIMARY);
        assertThat(prepare.operationId()).isEqualTo(retry);
    }

    @Test
    void agentsListeningWhereTheOtherHostCannotReachThemAreRefused() {
        FakeAgent wildcard = FakeAgent.enrol(center, "reach-wild", "reach-a.example.com", "0.0.0.0:7801")
                .primary(PRIMARY_DIR, 5432, "0/5000000");
        wildcard.report();
        FakeAgent loopback = FakeAgent.enrol(center, "reach-loop", "reach-b.example.com", "127.0.0.1:7801")
                .primary(PRIMARY_DIR, 5432, "0/5000000");
        loopback.report();
        FakeAgent reachable = FakeAgent.enrol(center, "reach-ok", "reach-c.example.com", "10.1.2.3:7801")
                .primary(PRIMARY_DIR, 5432, "0/5000000");
        reachable.report();
        int configurations = configurations().size();

        JsonNode wild = assertRefused(
                400,
                "primary",
                new ConfigurationRequest(
                        "reach",
                        "reach-wild:5432",
                        new StandbyTarget("reach-ok", STANDBY_DIR, 5433),
                        "WAL_STREAMING",
                        "HOT"));
        assertThat(wild.path("message").asText())
                .contains("0.0.0.0:7801")
                .contains("the agent must listen on an address the other host can reach (--listen");
        assertRefused(
                400,
                "primary",
                new ConfigurationRequest(
                        "reach",
                        "reach-loop:5432",
                        new StandbyTarget("reach-ok", STANDBY_DIR, 5433),
                        "WAL_STREAMING",
                        "HOT"));
        assertRefused(
                400,
                "standby.agent",
                new ConfigurationRequest(
                        "reach",
                        "reach-ok:5432",
                        new StandbyTarget("reach-loop", STANDBY_DIR, 5433),
                        "WAL_STREAMING",
                        "HOT"));
        assertThat(configurations()).hasSize(configurations);
    }

    @Test
    void aReportedFailureFailsTheOperationWithItsMessageAndARetryRuns() {
        Pair pair = pair("retry");
        create("retry", pair);
        pair.standby.inspected("retry", STANDBY_DIR, nothing()).report();
        String first = standbyCreate("retry", false).as(OperationAccepted.class).operationId();
        pair.primary
                .reached("retry", PRIMARY_DIR, NodeState.WAIT_PRIMARY, first, null, null, null)
                .report();

        ApiClient.Reply second = standbyCreate("retry", false);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("code").asText()).isEqualTo("conflict");
        ApiClient.Reply delete = client.delete("/api/v1/configurations/retry", bearer(session));
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.json().path("code").asText()).isEqualTo("conflict");

        String failure = "pg_basebackup exited 1: could not connect to server: connection refused";
        pair.standby
                .reached("retry", STANDBY_DIR, NodeState.WAIT_STANDBY, first, null, failure, null)
                .report();

        OperationView failed = operation(first);
        assertThat(failed.state()).isEqualTo("FAILED");
        assertThat(failed.message()).isEqualTo("create standby failed at step 2: " + failure);
        assertThat(failed.steps()).extracting(StepView::state).containsExactly("DONE", "FAILED", "PENDING");
        assertThat(failed.steps().get(1).message()).isEqualTo(failure);
        assertThat(pair.standby.goal(STANDBY_DIR).state()).isEqualTo(NodeState.WAIT_STANDBY);
        assertThat(pair.primary.goal(PRIMARY_DIR).state())
                .as("the primary keeps serving, sent back so that a retry prepares it again")
                .isEqualTo(NodeState.SINGLE);
        assertThat(events("OPERATION_FAILED")).anyMatch(e -> e.message().contains(failure));

        // The retry needs the target inspected again, then resumes from the start.
        pair.standby.inspected("retry", STANDBY_DIR, nothing()).report();
        ApiClient.Reply again = standbyCreate("retry", false);
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        String retry = again.as(OperationAccepted.class).operationId();
        assertThat(retry).isNotEqualTo(first);
        Goal prepare = pair.primary.goal(PRIMARY_DIR);
        assertThat(prepare.state()).isEqualTo(NodeState.WAIT_PRIMARY);
        assertThat(prepare.operationId()).isEqualTo(retry);
        pair.primary
                .reached("retry", PRIMARY_DIR, NodeState.WAIT_PRIMARY, retry, null, null, null)
                .report();
        assertThat(operation(retry).steps()).extracting(StepView::state).containsExactly("DONE", "RUNNING", "PENDING");
        assertThat(pair.standby.goal(STANDBY_DIR).state()).isEqualTo(NodeState.CATCHINGUP);
        assertThat(client.get("/api/v1/operations?configuration=retry", bearer(session))
                        .listOf(OperationView.class))
                .extracting(OperationView::id)
                .containsExactly(retry, first);
    }

    @Test
    void anAgentOfflineDuringAnOperationMakesItWaitAndSaySo() {
        Pair pair = pair("away");
        create("away", pair);
        pair.standby.inspected("away", STANDBY_DIR, nothing()).report();
        String id = standbyCreate("away", false).as(OperationAccepted.class).operationId();

        await().atMost(RunningCenter.OFFLINE_AFTER.plusSeconds(5)).untilAsserted(() -> {
            pair.primary.report();
            assertThat(operation(id).message()).contains("agent " + pair.standby.name + " is offline");
        });
        assertThat(operation(id).state()).isEqualTo("RUNNING");
        pair.standby.report();
        assertThat(operation(id).message())
                .isEqualTo("step 1 waits for " + pair.primaryId() + " to be prepared for a standby (WAIT_PRIMARY)");
    }

    @Test
    void deletingAConfigurationStopsItsGoalsAndSaysWhereTheSlotIsLeft() {
        Pair pair = pair("gone");
        create("gone", pair);
        assertThat(pair.primary.report().goals()).hasSize(1);

        ApiClient.Reply deleted = client.delete("/api/v1/configurations/gone", bearer(session));

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(pair.primary.report().goals()).isEmpty();
        assertThat(pair.standby.report().goals()).isEmpty();
        assertThat(client.get("/api/v1/configurations/gone", bearer(session)).status())
                .isEqualTo(404);
        assertThat(client.delete("/api/v1/configurations/gone", bearer(session)).status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/events?configuration=gone&kind=CONFIGURATION_DELETED", bearer(session))
                        .listOf(EventView.class))
                .singleElement()
                .satisfies(e -> assertThat(e.message())
                        .contains("understudy_gone")
                        .contains(pair.primaryId())
                        .contains("pg_drop_replication_slot('understudy_gone')"));
    }

    @Test
    void unknownConfigurationsAndOperationsAre404() {
        assertThat(client.get("/api/v1/configurations/nothing-here", bearer(session))
                        .status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/status/nothing-here", bearer(session)).status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/configurations/Not%20A%20Name", bearer(session))
                        .status())
                .isEqualTo(404);
        assertThat(standbyCreate("nothing-here", false).status()).isEqualTo(404);
        assertThat(client.get("/api/v1/operations/00000000-0000-0000-0000-000000000000", bearer(session))
                        .status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/operations?configuration=nothing-here", bearer(session))
                        .status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/configurations", ApiClient.bearer("no-session"))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void theReplicationPasswordAppearsInNoApiResponseOrEvent() {
        Pair pair = pair("secret");
        create("secret", pair);
        String password =
                pair.primary.goal(PRIMARY_DIR).replication().password().reveal();
        pair.standby.inspected("secret", STANDBY_DIR, nothing()).report();
        String id = standbyCreate("secret", false).as(OperationAccepted.class).operationId();
        pair.primary
                .reached("secret", PRIMARY_DIR, NodeState.WAIT_PRIMARY, id, null, null, null)
                .report();

        List<String> bodies = new ArrayList<>();
        for (String path : List.of(
                "/api/v1/configurations",
                "/api/v1/configurations/secret",
                "/api/v1/configurations/secret/lag",
                "/api/v1/status",
                "/api/v1/status/secret",
                "/api/v1/operations",
                "/api/v1/operations/" + id,
                "/api/v1/databases",
                "/api/v1/agents",
                "/api/v1/events?limit=1000")) {
            ApiClient.Reply reply = client.get(path, bearer(session));
            assertThat(reply.status()).as(path).isEqualTo(200);
            bodies.add(reply.body());
        }
        bodies.add(client.post("/api/v1/configurations", request("secret", pair), bearer(session))
                .body());
        bodies.add(standbyCreate("secret", false).body());
        bodies.add(client.post("/api/v1/operations/" + id + "/cancel", "", bearer(session))
                .body());
        bodies.add(client.get("/api/v1/events?limit=1000", bearer(session)).body());
        bodies.add(client.get("/api/v1/operations/" + id, bearer(session)).body());

        assertThat(bodies).noneMatch(body -> body.contains(password));
    }

    private static StandbyTarget target(Pair pair, String directory, int port) {
        return new StandbyTarget(pair.standby.name, directory, port);
    }

    private static JsonNode assertRefused(int status, String field, ConfigurationRequest request) {
        ApiClient.Reply reply = client.post("/api/v1/configurations", request, bearer(session));
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().path("details").path("field").asText())
                .as(reply.body())
                .isEqualTo(field);
        return reply.json();
    }

    private static ApiClient.Reply standbyCreate(String name, boolean replaceExisting) {
        return client.post(
                "/api/v1/configurations/" + name + "/standby",
                new CreateStandbyRequest(replaceExisting),
                bearer(session));
    }

    private static OperationView operation(String id) {
        ApiClient.Reply reply = client.get("/api/v1/operations/" + id, bearer(session));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.as(OperationView.class);
    }

    private static List<OperationView> operations(String configuration) {
        return client.get("/api/v1/operations?configuration=" + configuration, bearer(session))
                .listOf(OperationView.class);
    }

    private static List<ConfigurationView> configurations() {
        return client.get("/api/v1/configurations", bearer(session)).listOf(ConfigurationView.class);
    }

    private static List<EventView> events(String kind) {
        return client.get("/api/v1/events?limit=1000&kind=" + kind, bearer(session))
                .listOf(EventView.class);
    }
}
