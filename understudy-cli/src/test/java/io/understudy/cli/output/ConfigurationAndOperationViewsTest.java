package io.understudy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.ProgressView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.StepView;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationAndOperationViewsTest {
    static final Instant NOW = Instant.parse("2025-01-31T12:00:00Z");

    static final ConfigurationView SALES = new ConfigurationView(
            "sales",
            "psql1:5432",
            new StandbyTarget("psql2", "/srv/pg:16/main", 5433),
            ReplicationMethod.WAL_STREAMING,
            StandbyMode.HOT,
            1,
            false,
            NOW.minusSeconds(3600),
            null);

    @Test
    void configurationsAreListedWithTheStandbyAsTheFlagTakesIt() {
        ConfigurationView hr = new ConfigurationView(
                "hr",
                "psql3:5432",
                new StandbyTarget("psql4", "/data", 5432),
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.WARM,
                12,
                true,
                NOW,
                "op-7");

        assertThat(ConfigurationViews.list(List.of(SALES, hr)).render())
                .isEqualTo(
                        "NAME   PRIMARY     STANDBY                     METHOD         MODE  EPOCH  STANDBY CREATED\n"
                                + "sales  psql1:5432  psql2:/srv/pg:16/main:5433  WAL_STREAMING  HOT       1  no\n"
                                + "hr     psql3:5432  psql4:/data:5432            WAL_STREAMING  WARM     12  yes\n");
    }

    @Test
    void aConfigurationIsShownFieldByField() {
        assertThat(ConfigurationViews.show(SALES, ZoneOffset.UTC))
                .isEqualTo("Name:             sales\n"
                        + "Primary:          psql1:5432\n"
                        + "Standby:          psql2:/srv/pg:16/main:5433\n"
                        + "Method:           WAL_STREAMING\n"
                        + "Mode:             HOT\n"
                        + "Epoch:            1\n"
                        + "Standby created:  no\n"
                        + "Created:          2025-01-31 11:00:00\n"
                        + "Operation:        none running\n");
    }

    @Test
    void aWalShippingConfigurationShowsItsArchiveTimeout() {
        ConfigurationView shipping = new ConfigurationView(
                "archive",
                "psql1:5432",
                new StandbyTarget("psql3", "/srv/pg", 5432),
                ReplicationMethod.WAL_SHIPPING,
                StandbyMode.WARM,
                1,
                false,
                NOW,
                null,
                30);
        assertThat(ConfigurationViews.show(shipping, ZoneOffset.UTC))
                .contains("Method:           WAL_SHIPPING\n")
                .contains("Archive timeout:  30 s (the longest a quiet primary keeps WAL unshipped)\n");
    }

    @Test
    void anOperationIsShownWithItsProgressAndSteps() {
        OperationView op = new OperationView(
                "op-1",
                "sales",
                "CREATE_STANDBY",
                "RUNNING",
                "admin",
                NOW.minusSeconds(90),
                null,
                null,
                List.of(
                        new StepView(
                                "prepare primary", "DONE", NOW.minusSeconds(90), NOW.minusSeconds(88), "slot made"),
                        new StepView("copy data", "RUNNING", NOW.minusSeconds(88), null, null),
                        new StepView("start standby", "PENDING", null, null, null)),
                new ProgressView("copying", 1, 4));

        assertThat(OperationViews.show(op, NOW, ZoneOffset.UTC))
                .isEqualTo("Operation:      op-1\n"
                        + "Kind:           CREATE_STANDBY\n"
                        + "Configuration:  sales\n"
                        + "State:          RUNNING\n"
                        + "Requested by:   admin\n"
                        + "Started:        2025-01-31 11:58:30\n"
                        + "Ended:          -\n"
                        + "Took:           1 min 30 s\n"
                        + "Progress:       [#####...............] 25%  1 B of 4 B  copying\n"
                        + "\n"
                        + "#  STEP             STATE    STARTED                    TOOK  MESSAGE\n"
                        + "1  prepare primary  DONE     2025-01-31 11:58:30       2.0 s  slot made\n"
                        + "2  copy data        RUNNING  2025-01-31 11:58:32  1 min 28 s\n"
                        + "3  start standby    PENDING  -                             -\n");
    }

    @Test
    void stepLinesSayWhatChanged() {
        StepView running = new StepView("copy data", "RUNNING", NOW, null, null);
        StepView done = new StepView("copy data", "DONE", NOW, NOW.plusSeconds(72), null);
        StepView failed = new StepView("copy data", "FAILED", NOW, NOW.plusSeconds(3), "pg_basebackup exited 1");
        StepView news = new StepView("prepare primary", "RUNNING", NOW, null, "restarting the primary: wal_log_hints");

        assertThat(OperationViews.stepLine(2, 7, running, true)).isEqualTo("step 3/7 started: copy data");
        assertThat(OperationViews.stepLine(2, 7, done, true)).isEqualTo("step 3/7 done: copy data (1 min 12 s)");
        assertThat(OperationViews.stepLine(2, 7, failed, true))
                .isEqualTo("step 3/7 failed: copy data (3.0 s): pg_basebackup exited 1");
        assertThat(OperationViews.stepLine(0, 7, news, false))
                .isEqualTo("step 1/7: restarting the primary: wal_log_hints");
        assertThat(OperationViews.stepLine(0, 7, new StepView("x", "PENDING", null, null, null), true))
                .isNull();
    }

    @Test
    void aFailureIsExplainedByTheOperationOrItsFailedStep() {
        StepView failed = new StepView("copy data", "FAILED", NOW, NOW, "no space left on device");
        OperationView withMessage = new OperationView(
                "op-1",
                "sales",
                "CREATE_STANDBY",
                "FAILED",
                "admin",
                NOW,
                NOW,
                "copy data failed",
                List.of(failed),
                null);
        OperationView without = new OperationView(
                "op-1", "sales", "CREATE_STANDBY", "FAILED", "admin", NOW, NOW, null, List.of(failed), null);
        OperationView silent = new OperationView(
                "op-1", "sales", "CREATE_STANDBY", "FAILED", "admin", NOW, NOW, null, List.of(), null);

        assertThat(OperationViews.failure(withMessage)).isEqualTo("copy data failed");
        assertThat(OperationViews.failure(without)).isEqualTo("step 'copy data' failed: no space left on device");
        assertThat(OperationViews.failure(silent)).isEqualTo("it ended FAILED without saying why");
        assertThat(OperationViews.summary(withMessage, NOW, ZoneOffset.UTC))
                .isEqualTo("Operation op-1: CREATE_STANDBY FAILED at 2025-01-31 12:00:00: copy data failed");
    }
}
