package io.understudy.center.store;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.protocol.Secret;
import java.time.Instant;

/**
 * A Configuration: its replication settings and term. Its databases are its {@link MemberRecord}s.
 *
 * @param name unique name, {@code [a-z0-9][a-z0-9_-]{0,40}}
 * @param method how the standby is fed
 * @param mode HOT or WARM
 * @param epoch the primary term, 1 at creation
 * @param standbyCreated whether a standby has been created for it
 * @param slotName the physical replication slot on the primary
 * @param replicationUser the replication role on the primary
 * @param replicationPassword that role's generated password; sent only to the agents
 * @param primaryHost where the standby reaches the primary
 * @param standbyHost where the standby's connections come from, for the primary's pg_hba
 * @param createdBy the user who created it
 * @param createdAt when it was created
 */
public record ConfigurationRecord(
        String name,
        ReplicationMethod method,
        StandbyMode mode,
        long epoch,
        boolean standbyCreated,
        String slotName,
        String replicationUser,
        Secret replicationPassword,
        String primaryHost,
        String standbyHost,
        String createdBy,
        Instant createdAt) {

    /**
     * The same Configuration in {@code newEpoch}, with the primary role moved to the other host
     * when {@code swapHosts}: the new primary is reached where the standby was.
     */
    public ConfigurationRecord inEpoch(long newEpoch, boolean swapHosts) {
        return new ConfigurationRecord(
                name,
                method,
                mode,
                newEpoch,
                standbyCreated,
                slotName,
                replicationUser,
                replicationPassword,
                swapHosts ? standbyHost : primaryHost,
                swapHosts ? primaryHost : standbyHost,
                createdBy,
                createdAt);
    }

    public ConfigurationRecord withStandbyCreated(boolean created) {
        return new ConfigurationRecord(
                name,
                method,
                mode,
                epoch,
                created,
                slotName,
                replicationUser,
                replicationPassword,
                primaryHost,
                standbyHost,
                createdBy,
                createdAt);
    }
}
