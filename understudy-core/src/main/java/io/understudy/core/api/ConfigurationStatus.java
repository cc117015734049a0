package io.understudy.core.api;

import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Configuration in {@code GET /api/v1/status} and {@code understudy status --json}.
 *
 * @param name its name
 * @param method how the standby is fed
 * @param mode HOT or WARM
 * @param epoch its primary term
 * @param primary its primary
 * @param standbys its standbys
 * @param operation the operation running on it, if any
 * @param failedOver whether it was failed over and its old primary is FENCED, until reinstated
 * @param observer how the observer watches its primary, and whether it fails over by itself
 */
public record ConfigurationStatus(
        String name,
        ReplicationMethod method,
        StandbyMode mode,
        long epoch,
        MemberStatus primary,
        List<MemberStatus> standbys,
        @Nullable OperationView operation,
        boolean failedOver,
        ObserverSettings observer,
        @Nullable Instant primaryLeaseExpiresAt) {
    public ConfigurationStatus {
        standbys = List.copyOf(standbys);
    }

    /** The status without a primary's lease (automatic failover off). */
    public ConfigurationStatus(
            String name,
            ReplicationMethod method,
            StandbyMode mode,
            long epoch,
            MemberStatus primary,
            List<MemberStatus> standbys,
            @Nullable OperationView operation,
            boolean failedOver,
            ObserverSettings observer) {
        this(name, method, mode, epoch, primary, standbys, operation, failedOver, observer, null);
    }

    /** The status of a Configuration that is not failed over, its observer's settings the defaults. */
    public ConfigurationStatus(
            String name,
            ReplicationMethod method,
            StandbyMode mode,
            long epoch,
            MemberStatus primary,
            List<MemberStatus> standbys,
            @Nullable OperationView operation) {
        this(name, method, mode, epoch, primary, standbys, operation, false, ObserverSettings.DEFAULTS, null);
    }
}
