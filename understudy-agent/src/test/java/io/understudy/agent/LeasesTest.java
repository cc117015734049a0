package io.understudy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.LeaseSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.core.state.NodeState;
import io.understudy.engine.DatabaseEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The primary's side of the lease: renewed, revoked, ended, and the fence when it runs out. */
class LeasesTest {
    private static final Path DIR = Path.of("/srv/pg/primary");
    /** A peer nobody listens on: renewals with it fail at once. */
    private static final LeaseSpec HOLDER = new LeaseSpec(true, 2_000, 500, "127.0.0.1:1", Secret.of("s3cret"));

    private final FakeInstance primary = FakeInstance.primary(DIR, 5432);
    private final AtomicReference<Map<Path, Goal>> goals = new AtomicReference<>(Map.of());
    private final Leases leases = new Leases(
            InstantSource.fixed(Instant.parse("2026-11-21T12:00:00Z")),
            dir -> Optional.of(primary),
            dir -> (DatabaseEngine) null,
            goals::get,
            () -> {});

    @AfterEach
    void close() {
        leases.close();
    }

    private static Goal goal(NodeState state, LeaseSpec lease) {
        return new Goal("sales", 3, DIR.toString(), 5432, state, null, null, false, null, false, lease);
    }

    private void reply(Goal goal, long sentAt) {
        goals.set(Map.of(DIR, goal));
        leases.renewedByCenter(Map.of(DIR, goal), sentAt);
    }

    private static long millisAgo(long millis) {
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aValidLeaseKeepsThePrimaryServing() {
        reply(goal(NodeState.PRIMARY, HOLDER), System.nanoTime());
        leases.look();
        assertThat(primary.observe().running()).isTrue();
        assertThat(leases.mayServe(DIR)).isTrue();
        assertThat(leases.selfFencedAt(DIR)).isNull();
    }

    @Test
    void aLeaseAboutToRunOutFencesTheDatabaseAndKeepsItFromServingUntilRenewed() {
        reply(goal(NodeState.PRIMARY, HOLDER), millisAgo(1_900));
        leases.look();
        assertThat(primary.observe().running()).as("fenced").isFalse();
        assertThat(leases.mayServe(DIR)).isFalse();
        assertThat(leases.selfFencedAt(DIR)).isNotNull();

        reply(goal(NodeState.PRIMARY, HOLDER), System.nanoTime());
        assertThat(leases.mayServe(DIR)).as("renewed by the Control Center").isTrue();
    }

    @Test
    void aGoalThatNoLongerHoldsTheLeaseRevokesItAndTheDatabaseIsFencedWhenItRunsOut() {
        reply(goal(NodeState.PRIMARY, HOLDER), millisAgo(1_000));
        reply(goal(NodeState.DEMOTED, null), System.nanoTime()); // a failover's fence: no renewal
        leases.look();
        assertThat(primary.observe().running()).as("still within the lease").isTrue();
        assertThat(leases.applies(DIR)).as("revoked, not ended").isTrue();
    }

    @Test
    void aRevokedLeaseThatRunsOutFencesTheDatabase() {
        reply(goal(NodeState.PRIMARY, HOLDER), millisAgo(1_950));
        reply(goal(NodeState.DEMOTED, null), System.nanoTime());
        leases.look();
        assertThat(primary.observe().running()).as("the revoked lease ran out").isFalse();
    }

    @Test
    void automaticFailoverTurnedOffEndsTheLeaseAndFencesNothing() {
        reply(goal(NodeState.PRIMARY, HOLDER), millisAgo(1_950));
        reply(goal(NodeState.PRIMARY, null), millisAgo(1_950));
        leases.look();
        assertThat(primary.observe().running()).isTrue();
        assertThat(leases.applies(DIR)).isFalse();
        assertThat(leases.mayServe(DIR)).isTrue();
    }

    @Test
    void aLeaseSpecForTheStandbyIsNoLeaseHeld() {
        reply(goal(NodeState.SECONDARY, new LeaseSpec(false, 2_000, 500, "127.0.0.1:1", Secret.of("s3cret"))), 0);
        leases.look();
        assertThat(leases.applies(DIR)).isFalse();
        assertThat(primary.observe().running()).isTrue();
    }
}
