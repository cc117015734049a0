package io.understudy.core.protocol;

import java.time.Instant;

/**
 * The Control Center's answer to a report.
 *
 * @param receivedAt when the Control Center recorded the report, by its clock
 * @param reportIntervalMillis how often it expects the next one
 */
public record ReportReply(Instant receivedAt, long reportIntervalMillis) {}
