package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static io.understudy.center.FakeAgent.nothing;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.CreateStandbyRequest;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.StepView;
import io.understudy.core.state.NodeState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step past its deadline fails the operation, through the public API, with a Control Center
 * whose clock the test moves: hand-written agent reports bring the operation to "verify
 * streaming", where the standby runs but never streams.
 */
class OperationDeadlineIT {
    private static final String PRIMARY_DIR = "/pg/16/main";
    private static final String STANDBY_DIR = "/pg/16/standby";

    @TempDir
    Path root;

    @Test
    void aStandbyThatRunsButDoesNotStreamFailsTheVerificationAfterTwoMinutesSayingWhy() {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MICROS));
        try (RunningCenter center = RunningCenter.start(root, clock)) {
            ApiClient client = center.client;
            String session = center.login();
            FakeAgent primary = FakeAgent.enrol(center, "late-p").primary(PRIMARY_DIR, 5432, "0/5000000");
            FakeAgent standby = FakeAgent.enrol(center, "late-s");
            primary.report();
            standby.report();
            ApiClient.Reply created = client.post(
                    "/api/v1/configurations",
                    new ConfigurationRequest(
                            "late",
                            "late-p:5432",
                            new StandbyTarget("late-s", STANDBY_DIR, 5433),
                            "wal-streaming",
                            "hot"),
                    bearer(session));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            standby.inspected("late", STANDBY_DIR, nothing()).report();
            ApiClient.Reply accepted = client.post(
                    "/api/v1/configurations/late/standby", new CreateStandbyRequest(false), bearer(session));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            String id = accepted.as(OperationAccepted.class).operationId();
            primary.reached("late", PRIMARY_DIR, NodeState.WAIT_PRIMARY, id, null, null, null)
                    .report();
            standby.standby(STANDBY_DIR, 5433, "0/4F00000")
                    .walReceiver(STANDBY_DIR, "waiting")
                    .reached("late", STANDBY_DIR, NodeState.CATCHINGUP, id, null, null, null)
                    .report();
            assertThat(operation(client, session, id).steps())
                    .extracting(StepView::state)
                    .containsExactly("DONE", "DONE", "RUNNING");

            clock.advance(Duration.ofMinutes(2).minusSeconds(1));
            primary.report();
            standby.report();
            assertThat(operation(client, session, id).state()).isEqualTo("RUNNING");

            clock.advance(Duration.ofSeconds(1));
            standby.report();

            OperationView failed = operation(client, session, id);
            assertThat(failed.state()).isEqualTo("FAILED");
            assertThat(failed.message())
                    .isEqualTo("create standby failed at step 3: the standby late-s:5433 runs but does not stream"
                            + " from late-p:5432 after 2 min: WAL receiver status waiting; the primary does not list"
                            + " it in pg_stat_replication");
            assertThat(failed.steps()).extracting(StepView::state).containsExactly("DONE", "DONE", "FAILED");
            assertThat(primary.goal(PRIMARY_DIR).state()).isEqualTo(NodeState.SINGLE);
            assertThat(standby.goal(STANDBY_DIR).state()).isEqualTo(NodeState.WAIT_STANDBY);
        }
    }

    private static OperationView operation(ApiClient client, String session, String id) {
        ApiClient.Reply reply = client.get("/api/v1/operations/" + id, bearer(session));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.as(OperationView.class);
    }
}
