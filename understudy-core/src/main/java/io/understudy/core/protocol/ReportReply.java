package io.understudy.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The Control Center's answer to a report.
 *
 * @param receivedAt when the Control Center recorded the report, by its clock
 * @param reportIntervalMillis how often it expects the next one
 * @param goals the goal of every database of this agent that belongs to a Configuration
 */
public record ReportReply(Instant receivedAt, long reportIntervalMillis, List<Goal> goals) {
    public ReportReply {
        goals = List.copyOf(goals);
    }

    /** A reply without goals. */
    public ReportReply(Instant receivedAt, long reportIntervalMillis) {
        this(receivedAt, reportIntervalMillis, List.of());
    }
}
