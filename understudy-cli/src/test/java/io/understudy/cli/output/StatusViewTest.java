package io.understudy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.ProgressView;
import io.understudy.core.api.StepView;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.Role;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class StatusViewTest {
    static final Instant NOW = Instant.parse("2025-01-31T12:00:00Z");

    @Test
    void aHealthyHotStandbyShowsItsLagAndTimeGap() {
        ConfigurationStatus status = new ConfigurationStatus(
                "sales",
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT,
                3,
                primary(DatabaseState.ONLINE),
                List.of(standby(DatabaseState.HOT_STANDBY, true, 1536L, 0.25, true)),
                null);

        assertThat(StatusView.render(status, NOW, ZoneOffset.UTC))
                .isEqualTo("NAME   METHOD         MODE  EPOCH\n"
                        + "sales  WAL_STREAMING  HOT       3\n"
                        + "\n"
                        + "DATABASE    AGENT  ROLE     STATE        STREAMING      LAG  TIME GAP (s)  IN SYNC\n"
                        + "psql1:5432  psql1  PRIMARY  ONLINE       -                -             -  -\n"
                        + "psql2:5433  psql2  STANDBY  HOT STANDBY  yes        1.5 KiB           0.3  yes\n");
    }

    @Test
    void aDownStandbyHasNoKnownLagAndIsNotInSync() {
        String text = StatusView.render(
                new ConfigurationStatus(
                        "sales",
                        ReplicationMethod.WAL_STREAMING,
                        StandbyMode.HOT,
                        1,
                        primary(DatabaseState.ONLINE),
                        List.of(standby(DatabaseState.DOWN, false, null, null, false)),
                        null),
                NOW,
                ZoneOffset.UTC);

        assertThat(text.lines().toList().get(5))
                .isEqualTo("psql2:5433  psql2  STANDBY  DOWN    no           -             -  no");
    }

    @Test
    void aWarmStandbyAndADownPrimary() {
        String text = StatusView.render(
                new ConfigurationStatus(
                        "sales",
                        ReplicationMethod.WAL_STREAMING,
                        StandbyMode.WARM,
                        2,
                        primary(DatabaseState.DOWN),
                        List.of(standby(DatabaseState.WARM_STANDBY, false, 16L << 20, 42.0, false)),
                        null),
                NOW,
                ZoneOffset.UTC);

        List<String> lines = text.lines().toList();
        assertThat(lines.get(1)).isEqualTo("sales  WAL_STREAMING  WARM      2");
        assertThat(lines.get(4)).contains("PRIMARY  DOWN  ");
        assertThat(lines.get(5))
                .isEqualTo("psql2:5433  psql2  STANDBY  WARM STANDBY  no         16.0 MiB          42.0  no");
    }

    @Test
    void aStandbyNotCreatedYetShowsNotPresentAndTheOperationCreatingIt() {
        OperationView op = new OperationView(
                "op-1",
                "sales",
                "CREATE_STANDBY",
                "RUNNING",
                "admin",
                NOW.minusSeconds(72),
                null,
                null,
                List.of(
                        new StepView(
                                "prepare primary psql1:5432", "DONE", NOW.minusSeconds(72), NOW.minusSeconds(70), null),
                        new StepView("copy data", "RUNNING", NOW.minusSeconds(70), null, null),
                        new StepView("start standby", "PENDING", null, null, null)),
                new ProgressView("copying (base backup)", 512L << 20, 1L << 30));
        String text = StatusView.render(
                List.of(new ConfigurationStatus(
                        "sales",
                        ReplicationMethod.WAL_STREAMING,
                        StandbyMode.HOT,
                        1,
                        primary(DatabaseState.ONLINE),
                        List.of(new MemberStatus(
                                "psql2:5433",
                                "psql2",
                                Role.UNKNOWN,
                                DatabaseState.NOT_PRESENT,
                                null,
                                null,
                                false,
                                null,
                                null,
                                null,
                                null,
                                null,
                                false,
                                null)),
                        op)),
                NOW,
                ZoneOffset.UTC);

        List<String> lines = text.lines().toList();
        assertThat(lines.get(5)).isEqualTo("psql2:5433  psql2  UNKNOWN  NOT PRESENT  no           -             -  no");
        assertThat(lines.subList(6, lines.size()))
                .containsExactly(
                        "",
                        "Operation op-1: CREATE_STANDBY running for 1 min 12 s, step 2 of 3: copy data",
                        "[##########..........] 50%  512.0 MiB of 1.0 GiB  copying (base backup)");
    }

    @Test
    void configurationsAreSeparatedByABlankLine() {
        ConfigurationStatus one = new ConfigurationStatus(
                "a",
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT,
                1,
                primary(DatabaseState.ONLINE),
                List.of(),
                null);
        ConfigurationStatus two = new ConfigurationStatus(
                "b",
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT,
                1,
                primary(DatabaseState.FENCED),
                List.of(),
                null);

        String text = StatusView.render(List.of(one, two), NOW, ZoneOffset.UTC);

        assertThat(text.split("\n\n")).hasSize(4);
        assertThat(text).contains("\n\nNAME  METHOD         MODE  EPOCH\nb  ").contains("FENCED");
    }

    static MemberStatus primary(DatabaseState state) {
        return new MemberStatus(
                "psql1:5432",
                "psql1",
                Role.PRIMARY,
                state,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                false,
                null);
    }

    static MemberStatus standby(
            DatabaseState state, boolean streaming, @Nullable Long lag, @Nullable Double gap, boolean inSync) {
        return new MemberStatus(
                "psql2:5433",
                "psql2",
                Role.STANDBY,
                state,
                null,
                null,
                streaming,
                lag,
                lag,
                lag,
                lag,
                gap,
                inSync,
                "0/3000060");
    }
}
