package io.understudy.center.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One point of a Configuration's lag history: a sample, or the largest values of one minute.
 *
 * @param at when it was measured, or the start of the minute
 * @param lagBytes replay lag in bytes
 * @param replayLagSeconds time gap in seconds, when known
 */
public record LagRecord(Instant at, long lagBytes, @Nullable Double replayLagSeconds) {}
