package io.understudy.core.protocol;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the standby's agent sees of its primary: the second opinion the Control Center asks for
 * before it fails over (DESIGN.md, invariant 6).
 *
 * @param observedAt when the standby's agent looked, by its clock
 * @param answers whether the primary's port answered PostgreSQL's protocol in time
 * @param detail what the probe found, in words, e.g. {@code connection refused}
 * @param walReceiverStatus the standby's {@code pg_stat_wal_receiver.status}; null when unknown
 * @param leaseGrantedAt when this agent last renewed the primary's lease (the primary's agent
 *     reached it); null when never
 */
public record PrimaryView(
        Instant observedAt,
        boolean answers,
        String detail,
        @Nullable String walReceiverStatus,
        @Nullable Instant leaseGrantedAt) {}
