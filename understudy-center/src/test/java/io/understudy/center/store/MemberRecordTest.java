package io.understudy.center.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.state.NodeState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a member's progress counts as changed, for the deadline of a step without progress. */
class MemberRecordTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private static final MemberRecord STANDBY =
            MemberRecord.assigned("sales", Role.STANDBY, "psql2", "/pg/standby", 5433, NodeState.CATCHINGUP, T0);

    @Test
    void theFirstReportAndEveryChangeOfStatePhaseOrBytesMovesItsProgress() {
        MemberRecord first = report(STANDBY, NodeState.WAIT_STANDBY, progress("copying files", 10), T0);
        assertThat(first.progressChangedAt()).isEqualTo(T0);

        MemberRecord bytes = report(first, NodeState.WAIT_STANDBY, progress("copying files", 20), T0.plusSeconds(1));
        assertThat(bytes.progressChangedAt()).isEqualTo(T0.plusSeconds(1));

        MemberRecord phase = report(bytes, NodeState.WAIT_STANDBY, progress("configuring", 20), T0.plusSeconds(2));
        assertThat(phase.progressChangedAt()).isEqualTo(T0.plusSeconds(2));

        MemberRecord state = report(phase, NodeState.CATCHINGUP, null, T0.plusSeconds(3));
        assertThat(state.progressChangedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void theSameProgressAgainDoesNotMoveItEvenWithAnotherStartTimeRounded() {
        MemberRecord first = report(STANDBY, NodeState.WAIT_STANDBY, progress("copying files", 10), T0);
        ActionProgress again = new ActionProgress("base backup", "copying files", 10, 100, T0.plusNanos(500));

        MemberRecord same = report(first, NodeState.WAIT_STANDBY, again, T0.plusSeconds(60));

        assertThat(same.progressChangedAt()).isEqualTo(T0);
        assertThat(same.reportedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void itsProgressTimeSurvivesTheStore() {
        try (JdbcStore store = JdbcStore.openInMemory()) {
            Fixtures.insertConfiguration(store, "sales", T0);
            MemberRecord standby = store.membersOf("sales").get(1);
            MemberRecord reported = report(standby, NodeState.WAIT_STANDBY, progress("copying files", 10), T0);

            store.updateMember(reported);

            assertThat(store.membersOf("sales").get(1).progressChangedAt()).isEqualTo(T0);
        }
    }

    private static MemberRecord report(MemberRecord member, NodeState state, ActionProgress progress, Instant at) {
        return member.withReport(state, 1, "op-1", null, progress, null, null, at);
    }

    private static ActionProgress progress(String phase, long bytesDone) {
        return new ActionProgress("base backup", phase, bytesDone, 100, T0);
    }
}
