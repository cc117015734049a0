package io.understudy.center.orchestrator;

import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.protocol.ReplicationObservation;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One database of a Configuration as the orchestrator sees it at one moment.
 *
 * @param member its goal and reported state
 * @param database the latest observation of it; null when its agent has not reported it
 * @param replication the latest replication observation of it; null when none
 * @param agentOnline whether its agent's last report is recent enough
 * @param agentLastReportAt when its agent last reported; null before the first report
 */
public record MemberSnapshot(
        MemberRecord member,
        @Nullable DatabaseRecord database,
        @Nullable ReplicationObservation replication,
        boolean agentOnline,
        @Nullable Instant agentLastReportAt) {

    public DatabaseId id() {
        return member.id();
    }

    /** It accepts connections, by an observation of an agent that is online. */
    public boolean isUp() {
        return agentOnline && database != null && database.up();
    }
}
