package io.understudy.core.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One point of a standby's lag history.
 *
 * @param at when it was measured (the start of the minute for minute points)
 * @param lagBytes replay lag in bytes (the largest in that minute for minute points)
 * @param replayLagSeconds time gap in seconds (the largest in that minute), when known
 */
public record LagPoint(Instant at, long lagBytes, @Nullable Double replayLagSeconds) {}
