package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ApiError;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StandbyCommandTest {
    static final Instant T0 = Instant.parse("2025-01-31T12:00:00Z");

    @Test
    void confirmationRequiredSaysWhatWouldBeReplacedAndHowToConfirmAndExits5() {
        ApiException e = new ApiException(
                409,
                new ApiError(
                        "confirmation_required",
                        "psql2:/data/standby:5433 holds a running PostgreSQL 16 cluster; creating the standby replaces"
                                + " it",
                        Map.of("target", "psql2:/data/standby:5433", "holdsCluster", true, "running", true)));

        RuntimeException refused = StandbyCommand.refused(e, "sales");

        assertThat(ExitCodes.of(e)).isEqualTo(ExitCodes.CONFLICT).isEqualTo(5);
        assertThat(ExitCodes.of(refused)).isEqualTo(5);
        assertThat(refused)
                .hasMessage("psql2:/data/standby:5433 holds a running PostgreSQL 16 cluster; creating the standby"
                        + " replaces it. Nothing was changed; to replace it, run 'understudy standby create sales"
                        + " --yes'.")
                .hasCause(e);
    }

    @Test
    void otherRefusalsAreReportedAsTheControlCenterSaidThem() {
        ApiException running = new ApiException(409, ApiError.of("conflict", "operation op-1 runs on sales"));
        ApiException notReady = new ApiException(409, ApiError.of("not_ready", "the primary psql1:5432 is down"));

        assertThat(StandbyCommand.refused(running, "sales")).isSameAs(running);
        assertThat(StandbyCommand.refused(notReady, "sales")).isSameAs(notReady);
        assertThat(ExitCodes.of(StandbyCommand.refused(notReady, "sales"))).isEqualTo(5);
    }

    @Test
    void createWhenReadyAsksAgainWhileTheTargetIsNotInspectedYet() {
        OperationFollowerTest.MovingClock clock = new OperationFollowerTest.MovingClock(T0);
        AtomicInteger asked = new AtomicInteger();
        OperationAccepted accepted = new OperationAccepted("op-1", "CREATE_STANDBY", "sales");

        OperationAccepted result = StandbyCommand.Create.createWhenReady(
                () -> {
                    if (asked.incrementAndGet() < 3) {
                        throw new ApiException(
                                409, ApiError.of("target_not_inspected", "agent psql2 has not inspected it yet"));
                    }
                    return accepted;
                },
                clock,
                clock::sleep);

        assertThat(result).isEqualTo(accepted);
        assertThat(asked).hasValue(3);
        assertThat(clock.slept).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void createWhenReadyGivesUpOnAnUninspectedTargetAfterItsPatience() {
        OperationFollowerTest.MovingClock clock = new OperationFollowerTest.MovingClock(T0);
        ApiException notInspected =
                new ApiException(409, ApiError.of("target_not_inspected", "agent psql2 has not inspected it yet"));

        assertThatThrownBy(() -> StandbyCommand.Create.createWhenReady(
                        () -> {
                            throw notInspected;
                        },
                        clock,
                        clock::sleep))
                .isSameAs(notInspected);
        assertThat(clock.slept).isGreaterThanOrEqualTo(StandbyCommand.INSPECTION_PATIENCE);
        assertThat(clock.slept).isLessThanOrEqualTo(StandbyCommand.INSPECTION_PATIENCE.plusSeconds(1));
    }

    @Test
    void createWhenReadyReportsNotReadyAtOnce() {
        OperationFollowerTest.MovingClock clock = new OperationFollowerTest.MovingClock(T0);
        AtomicInteger asked = new AtomicInteger();
        ApiException primaryDown = new ApiException(409, ApiError.of("not_ready", "the primary psql1:5432 is down"));

        assertThatThrownBy(() -> StandbyCommand.Create.createWhenReady(
                        () -> {
                            asked.incrementAndGet();
                            throw primaryDown;
                        },
                        clock,
                        clock::sleep))
                .isSameAs(primaryDown);
        assertThat(asked).hasValue(1);
        assertThat(clock.slept).isZero();
    }

    @Test
    void successSaysHowLongItTook() {
        OperationView done = new OperationView(
                "op-1", "sales", "CREATE_STANDBY", "SUCCEEDED", "admin", T0, T0.plusSeconds(72), null, List.of(), null);
        OperationView said = new OperationView(
                "op-1",
                "sales",
                "CREATE_STANDBY",
                "SUCCEEDED",
                "admin",
                T0,
                T0.plusSeconds(72),
                "psql2:5433 streams from psql1:5432",
                List.of(),
                null);

        assertThat(StandbyCommand.succeeded(done)).isEqualTo("Standby created: sales in 1 min 12 s.");
        assertThat(StandbyCommand.succeeded(said))
                .isEqualTo("Standby created: sales in 1 min 12 s: psql2:5433 streams from psql1:5432");
    }
}
