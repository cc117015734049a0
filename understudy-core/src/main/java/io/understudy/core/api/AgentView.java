package io.understudy.core.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One agent as the API shows it.
 *
 * @param name the agent's name
 * @param host the host it runs on
 * @param address {@code host:port} of its own endpoint
 * @param pid its OS process id, as last reported
 * @param version its software version
 * @param enrolledAt when it last enrolled
 * @param lastReportAt when its last report arrived; null before the first
 * @param online true when its last report is recent enough
 */
public record AgentView(
        String name,
        String host,
        String address,
        long pid,
        String version,
        Instant enrolledAt,
        @Nullable Instant lastReportAt,
        boolean online) {}
