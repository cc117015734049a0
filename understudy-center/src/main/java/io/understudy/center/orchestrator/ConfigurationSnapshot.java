package io.understudy.center.orchestrator;

import io.understudy.center.store.ConfigurationRecord;
import io.understudy.center.store.LeaseRecord;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.protocol.ReplicationSpec;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the rules need to know of one Configuration at one moment, read in the transaction
 * that holds its lock. Immutable, so that rules deciding on it never see a fact another rule
 * changed (STYLE.md 2.2).
 *
 * @param configuration the Configuration
 * @param primary its primary database
 * @param standby its standby database (or target)
 * @param operation the operation running on it; null when none runs
 * @param lease the last lease granted to a primary of it (automatic failover); null when none was
 */
public record ConfigurationSnapshot(
        ConfigurationRecord configuration,
        MemberSnapshot primary,
        MemberSnapshot standby,
        @Nullable OperationSnapshot operation,
        @Nullable LeaseRecord lease) {

    /** A snapshot without a lease. */
    public ConfigurationSnapshot(
            ConfigurationRecord configuration,
            MemberSnapshot primary,
            MemberSnapshot standby,
            @Nullable OperationSnapshot operation) {
        this(configuration, primary, standby, operation, null);
    }

    /**
     * The lease granted to the current primary in the current epoch; null when none was (automatic
     * failover off, or turned on while the primary's agent did not report).
     */
    public @Nullable LeaseRecord primaryLease() {
        return lease != null && lease.holder().equals(primary.id().toString()) && lease.epoch() == configuration.epoch()
                ? lease
                : null;
    }

    /**
     * Whether the lease last granted to {@code member} may still run at {@code now}: its agent,
     * if alive, may still accept writes on it.
     */
    public boolean leaseRuns(MemberSnapshot member, Instant now) {
        return lease != null
                && lease.holder().equals(member.id().toString())
                && lease.expiresAt().isAfter(now);
    }

    public String name() {
        return configuration.name();
    }

    public List<MemberSnapshot> members() {
        return List.of(primary, standby);
    }

    /**
     * The member that is {@code database}.
     *
     * @throws IllegalArgumentException if it is no member
     */
    public MemberSnapshot member(DatabaseId database) {
        return members().stream()
                .filter(m -> m.id().equals(database))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(database + " is no member of " + name()));
    }

    /** What both ends of the replication need, as sent in the goals. */
    public ReplicationSpec spec() {
        return spec(configuration, primary.member().port());
    }

    /** The replication spec of {@code configuration} whose primary listens on {@code primaryPort}. */
    public static ReplicationSpec spec(ConfigurationRecord configuration, int primaryPort) {
        return new ReplicationSpec(
                configuration.method(),
                configuration.mode(),
                configuration.slotName(),
                configuration.replicationUser(),
                configuration.replicationPassword(),
                configuration.primaryHost(),
                primaryPort,
                configuration.standbyHost(),
                configuration.slotName());
    }
}
