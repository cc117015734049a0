package io.understudy.center.orchestrator;

import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.DatabaseId;

/**
 * A request for a Configuration whose every field is well-formed; whether it makes sense with
 * what exists is checked by {@link Configurations#create}.
 *
 * @param name its name, {@code [a-z0-9][a-z0-9_-]{0,40}}
 * @param primary the primary database
 * @param standby where the standby goes: an agent, an absolute data directory, a port
 * @param method how the standby is fed
 * @param mode HOT or WARM
 * @param archiveTimeoutSeconds the primary's archive_timeout for WAL shipping
 */
public record NewConfiguration(
        String name,
        DatabaseId primary,
        StandbyTarget standby,
        ReplicationMethod method,
        StandbyMode mode,
        long archiveTimeoutSeconds) {

    /** A request with the default archive timeout. */
    public NewConfiguration(
            String name, DatabaseId primary, StandbyTarget standby, ReplicationMethod method, StandbyMode mode) {
        this(name, primary, standby, method, mode, ConfigurationView.DEFAULT_ARCHIVE_TIMEOUT_SECONDS);
    }
}
