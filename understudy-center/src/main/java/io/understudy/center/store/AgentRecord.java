package io.understudy.center.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An enrolled agent.
 *
 * @param name unique name, e.g. {@code psql1}
 * @param host the host it runs on
 * @param address {@code host:port} of its own endpoint
 * @param pid its OS process id, from its enrolment or its last report
 * @param version its software version
 * @param tokenHash hex SHA-256 of its current bearer token; the token itself is never stored
 * @param enrolledAt when it last enrolled
 * @param lastReportAt when its last report arrived, by the Control Center's clock; null before the first
 * @param online the monitor's last verdict, used to record a transition once; not what the API shows
 */
public record AgentRecord(
        String name,
        String host,
        String address,
        long pid,
        String version,
        String tokenHash,
        Instant enrolledAt,
        @Nullable Instant lastReportAt,
        boolean online) {

    @Override
    public String toString() {
        return "AgentRecord[name=" + name + ", host=" + host + ", address=" + address + ", pid=" + pid + ", version="
                + version + ", enrolledAt=" + enrolledAt + ", lastReportAt=" + lastReportAt + ", online=" + online
                + "]";
    }
}
