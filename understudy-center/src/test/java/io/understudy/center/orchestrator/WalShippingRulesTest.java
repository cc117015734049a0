package io.understudy.center.orchestrator;

import static io.understudy.center.orchestrator.Snapshots.NOW;
import static io.understudy.center.orchestrator.Snapshots.OPERATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.center.orchestrator.Decision.Kind;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.WalShippingStatus;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ArchiverObservation;
import io.understudy.core.protocol.WalArchiveObservation;
import io.understudy.core.state.NodeState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WalShippingRulesTest {
    static final String SEG5 = "000000010000000000000005";
    static final String SEG6 = "000000010000000000000006";
    final GroupStateMachine machine = new GroupStateMachine();

    static ArchiverObservation archiving(boolean ours, String lastArchived, Instant archivedAt, Instant failedAt) {
        return new ArchiverObservation(
                "on", true, ours, 60, lastArchived, archivedAt, failedAt == null ? null : SEG6, failedAt, 2, 1);
    }

    static WalArchiveObservation archive(String requested, String applied, long notApplied) {
        return new WalArchiveObservation(SEG5, NOW, applied, requested, notApplied, null);
    }

    private static Snapshots verifying() {
        return Snapshots.creatingStandby()
                .shipping()
                .atStep(GroupStateMachine.VERIFY)
                .primaryGoal(NodeState.WAIT_PRIMARY, OPERATION)
                .primaryReported(NodeState.WAIT_PRIMARY, OPERATION)
                .standbyGoal(NodeState.CATCHINGUP, OPERATION)
                .standbyReported(NodeState.CATCHINGUP, OPERATION)
                .standbyObserved(Role.STANDBY, true, true, "0/5000000");
    }

    @Test
    void aShippingStandbyIsCreatedOnceItReplaysAndAsksItsArchiveForWal() {
        Decision waiting = machine.decide(verifying().build(), NOW);
        assertThat(waiting.kind()).isEqualTo(Kind.WAITING);
        assertThat(waiting.operationMessage()).contains("to replay WAL shipped from");

        Decision done = machine.decide(
                verifying().standbyArchive(archive(SEG6, SEG5, 1)).build(), NOW);
        assertThat(done.kind()).isEqualTo(Kind.STANDBY_CREATED);
        assertThat(done.operationMessage()).contains("replays WAL shipped from psql1:5432");
    }

    @Test
    void verifyFailsAfterItsLimitSayingTheArchiveCommandFails() {
        Decision d = machine.decide(
                verifying()
                        .primaryArchiver(archiving(true, SEG5, NOW.minusSeconds(60), NOW))
                        .build(),
                NOW.plus(GroupStateMachine.VERIFY_LIMIT));
        assertThat(d.kind()).isEqualTo(Kind.STEP_TIMED_OUT);
        assertThat(d.operationMessage()).contains("archive command fails (last for " + SEG6 + ")");
    }

    @Test
    void theStatusTellsShippedReceivedAppliedAndTheGapsAndIsInSyncWithinOneFile() {
        ConfigurationSnapshot s = Snapshots.idle()
                .shipping()
                .standbyCreated()
                .standbyObserved(Role.STANDBY, true, true, "0/5000000")
                .primaryArchiver(archiving(true, SEG5, NOW, null))
                .standbyArchive(archive(SEG6, SEG5, 1))
                .build();

        MemberStatus standby = ReplicationHealth.standby(s);

        WalShippingStatus shipping = standby.shipping();
        assertThat(shipping).isNotNull();
        assertThat(shipping.lastShippedWal()).isEqualTo(SEG5);
        assertThat(shipping.lastReceivedWal()).isEqualTo(SEG5);
        assertThat(shipping.lastAppliedWal()).isEqualTo(SEG5);
        assertThat(shipping.walFilesNotShipped()).isEqualTo(1);
        assertThat(shipping.walFilesNotApplied()).isEqualTo(1);
        assertThat(shipping.stopped()).isFalse();
        assertThat(standby.streaming()).isFalse();
        assertThat(standby.inSync()).isTrue();
    }

    @Test
    void shippingHasStoppedWhenTheArchiveCommandFailsAndItSaysNothingIsLost() {
        ConfigurationSnapshot s = Snapshots.idle()
                .shipping()
                .standbyCreated()
                .standbyAgentOffline()
                .primaryArchiver(archiving(true, SEG5, NOW.minusSeconds(30), NOW))
                .build();

        WalShippingStatus shipping = ReplicationHealth.standby(s).shipping();

        assertThat(shipping).isNotNull();
        assertThat(shipping.stopped()).isTrue();
        assertThat(shipping.problem())
                .contains("archive command fails for " + SEG6)
                .contains("agent psql2 is offline")
                .contains("nothing is lost");
        assertThat(ReplicationHealth.standby(s).inSync()).isFalse();
    }

    @Test
    void archivingSetByHandIsConfirmedBeforeItIsReplacedAndOursOrStreamingIsNot() {
        Refusal refusal = WalShippingRules.handSetArchiving(Snapshots.idle()
                        .shipping()
                        .primaryArchiver(archiving(false, null, null, null))
                        .build())
                .orElseThrow();
        assertThat(refusal.code()).isEqualTo(Refusal.Code.CONFIRMATION_REQUIRED);
        assertThat(refusal.getMessage()).contains("archives WAL already").contains("Confirm with --yes");

        assertThat(WalShippingRules.handSetArchiving(Snapshots.idle()
                        .shipping()
                        .primaryArchiver(archiving(true, null, null, null))
                        .build()))
                .isEmpty();
        assertThat(WalShippingRules.handSetArchiving(Snapshots.idle()
                        .primaryArchiver(archiving(false, null, null, null))
                        .build()))
                .isEmpty();
        assertThat(Duration.ofSeconds(WalShippingRules.MAX_ARCHIVE_TIMEOUT)).isEqualTo(Duration.ofDays(1));
    }
}
