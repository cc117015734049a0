package io.understudy.center.orchestrator;

import static io.understudy.center.orchestrator.Snapshots.replica;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.TargetInspection;
import org.junit.jupiter.api.Test;

/** States, streaming and lag arithmetic of a Configuration's status. */
class ReplicationHealthTest {

    @Test
    void lagIsThePrimarysPositionMinusTheStandbysAsPgStatReplicationShowsIt() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/3000000")
                .primaryCurrentLsn("0/5000000")
                .primarySees(replica("streaming", "0/4E00000", "0/4400000", "0/4000000", 1500L))
                .build());

        assertThat(standby.state()).isEqualTo(DatabaseState.HOT_STANDBY);
        assertThat(standby.streaming()).isTrue();
        assertThat(standby.lagBytes()).isEqualTo(0x1000000L);
        assertThat(standby.replayLagBytes()).isEqualTo(0x1000000L);
        assertThat(standby.sentLagBytes()).isEqualTo(0x200000L);
        assertThat(standby.flushLagBytes()).isEqualTo(0xC00000L);
        assertThat(standby.replayLagSeconds()).isEqualTo(1.5);
        assertThat(standby.replayedLsn()).isEqualTo("0/4000000");
        assertThat(standby.inSync()).as("16 MiB is the threshold, inclusive").isTrue();
    }

    @Test
    void aStandbyMoreThanTheThresholdBehindIsNotInSync() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/3FFFFFF")
                .primaryCurrentLsn("0/5000000")
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/3FFFFFF", 2000L))
                .build());

        assertThat(standby.lagBytes()).isEqualTo(ReplicationHealth.IN_SYNC_THRESHOLD_BYTES + 1);
        assertThat(standby.inSync()).isFalse();
    }

    @Test
    void withoutAReplicaRowTheStandbysOwnReplayedPositionAndLastTransactionAgeAreUsed() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/4800000")
                .standbySees(4200L)
                .primaryCurrentLsn("0/5000000")
                .build());

        assertThat(standby.streaming()).isFalse();
        assertThat(standby.lagBytes()).isEqualTo(0x800000L);
        assertThat(standby.sentLagBytes()).isNull();
        assertThat(standby.flushLagBytes()).isNull();
        assertThat(standby.replayLagSeconds()).isEqualTo(4.2);
        assertThat(standby.inSync()).as("not streaming").isFalse();
    }

    @Test
    void aCaughtUpIdleStandbyHasNoTimeGapEvenWithoutReplayLag() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/5000000")
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", null))
                .build());

        assertThat(standby.lagBytes()).isZero();
        assertThat(standby.replayLagSeconds()).isEqualTo(0.0);
    }

    @Test
    void aStandbyAheadOfAnEarlierReadingOfThePrimaryIsZeroBehindNotNegative() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/5000100")
                .primarySees(replica("streaming", "0/5000100", "0/5000100", "0/5000100", 1L))
                .build());

        assertThat(standby.lagBytes()).isZero();
    }

    @Test
    void lagIsUnknownWhenThePrimarysPositionIs() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .primaryDown()
                .standbyObserved(Role.STANDBY, true, true, "0/5000000")
                .build());

        assertThat(standby.lagBytes()).isNull();
        assertThat(standby.replayLagSeconds()).isNull();
        assertThat(standby.inSync()).isFalse();
    }

    @Test
    void theRowsOfAPrimaryThatIsDownAreStaleAndNotTrusted() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/5000000")
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                .primaryDown()
                .build());

        assertThat(standby.state()).isEqualTo(DatabaseState.HOT_STANDBY);
        assertThat(standby.streaming()).isFalse();
        assertThat(standby.inSync()).isFalse();
        assertThat(standby.sentLagBytes()).as("no row is used").isNull();
    }

    @Test
    void theRowsOfAPrimaryWhoseAgentIsOfflineAreStaleAndNotTrusted() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/5000000")
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                .primaryAgentOffline()
                .build());

        assertThat(standby.streaming()).isFalse();
        assertThat(standby.inSync()).isFalse();
    }

    @Test
    void aStandbyThatIsDownNeitherStreamsNorIsInSyncWhateverThePrimaryListsLast() {
        MemberStatus down = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, false, false, "0/5000000")
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                .build());
        MemberStatus offline = ReplicationHealth.standby(Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/5000000")
                .standbyAgentOffline()
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                .build());

        for (MemberStatus standby : java.util.List.of(down, offline)) {
            assertThat(standby.state()).isEqualTo(DatabaseState.DOWN);
            assertThat(standby.streaming()).isFalse();
            assertThat(standby.inSync()).isFalse();
        }
    }

    @Test
    void aWarmStandbyStreamsWhenThePrimarySaysSo() {
        MemberStatus standby = ReplicationHealth.standby(Snapshots.idle()
                .warm()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, false, true, null)
                .primarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                .build());

        assertThat(standby.state()).isEqualTo(DatabaseState.WARM_STANDBY);
        assertThat(standby.streaming()).isTrue();
        assertThat(standby.inSync()).isTrue();
    }

    @Test
    void aTargetInspectedEmptyIsNotPresent() {
        ConfigurationSnapshot s = Snapshots.idle()
                .target(new TargetInspection(true, true, false, null, false, null))
                .build();

        assertThat(ReplicationHealth.standby(s).state()).isEqualTo(DatabaseState.NOT_PRESENT);
        assertThat(ReplicationHealth.standby(s).role()).isEqualTo(Role.UNKNOWN);
    }

    @Test
    void aForeignClusterAtTheTargetIsNotPresentUntilTheStandbyIsCreated() {
        ConfigurationSnapshot s =
                Snapshots.idle().standbyObserved(Role.PRIMARY, true, true, null).build();

        assertThat(ReplicationHealth.standby(s).state()).isEqualTo(DatabaseState.NOT_PRESENT);
    }

    @Test
    void aWarmStandbyRunsWithoutTakingConnections() {
        ConfigurationSnapshot s = Snapshots.idle()
                .warm()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, false, true, "0/5000000")
                .build();

        assertThat(ReplicationHealth.standby(s).state()).isEqualTo(DatabaseState.WARM_STANDBY);
    }

    @Test
    void aHotStandbyThatRunsButTakesNoConnectionsIsDown() {
        ConfigurationSnapshot s = Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, false, true, "0/5000000")
                .build();

        assertThat(ReplicationHealth.standby(s).state()).isEqualTo(DatabaseState.DOWN);
    }

    @Test
    void aStandbyWhoseAgentIsOfflineIsDown() {
        ConfigurationSnapshot s = Snapshots.idle()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/5000000")
                .standbyAgentOffline()
                .build();

        assertThat(ReplicationHealth.standby(s).state()).isEqualTo(DatabaseState.DOWN);
    }

    @Test
    void aCreatedStandbyTheAgentDoesNotReportIsDown() {
        assertThat(ReplicationHealth.standby(Snapshots.idle().standbyCreated().build())
                        .state())
                .isEqualTo(DatabaseState.DOWN);
    }

    @Test
    void thePrimaryIsOnlineWhenUpAndItsAgentOnline() {
        assertThat(ReplicationHealth.primary(Snapshots.idle().build()).state()).isEqualTo(DatabaseState.ONLINE);
        assertThat(ReplicationHealth.primary(Snapshots.idle().primaryDown().build())
                        .state())
                .isEqualTo(DatabaseState.DOWN);
        assertThat(ReplicationHealth.primary(
                                Snapshots.idle().primaryAgentOffline().build())
                        .state())
                .isEqualTo(DatabaseState.DOWN);
    }

    @Test
    void goalAndReportedStatesAreShownApart() {
        MemberStatus primary = ReplicationHealth.primary(Snapshots.creatingStandby()
                .primaryGoal(io.understudy.core.state.NodeState.WAIT_PRIMARY, Snapshots.OPERATION)
                .primaryReported(io.understudy.core.state.NodeState.SINGLE, null)
                .build());

        assertThat(primary.goalState()).isEqualTo("WAIT_PRIMARY");
        assertThat(primary.reportedState()).isEqualTo("SINGLE");
    }

    @Test
    void aFencedOldPrimaryKeptStoppedIsFencedWhateverItsAgentLastSaw() {
        assertThat(ReplicationHealth.standbyState(Snapshots.reinstating().build()))
                .isEqualTo(DatabaseState.FENCED);
        assertThat(ReplicationHealth.standbyState(
                        Snapshots.reinstating().primaryObservedAs(Role.STANDBY).build()))
                .isEqualTo(DatabaseState.FENCED);
        assertThat(ReplicationHealth.standby(Snapshots.reinstating()
                                .primaryObservedAs(Role.STANDBY)
                                .newPrimarySees(replica("streaming", "0/5000000", "0/5000000", "0/5000000", 0L))
                                .build())
                        .streaming())
                .isFalse();
    }

    @Test
    void aFencedOldPrimaryBeingReinstatedShowsItsStateAsAStandby() {
        Snapshots rejoining =
                Snapshots.reinstating().primaryGoal(io.understudy.core.state.NodeState.CATCHINGUP, Snapshots.OPERATION);

        assertThat(ReplicationHealth.standbyState(rejoining.build())).isEqualTo(DatabaseState.DOWN);
        assertThat(ReplicationHealth.standbyState(
                        rejoining.primaryObservedAs(Role.STANDBY).build()))
                .isEqualTo(DatabaseState.HOT_STANDBY);
    }
}
