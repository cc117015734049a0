package io.understudy.core.protocol;

import org.jspecify.annotations.Nullable;

/**
 * One physical replication slot on a primary.
 *
 * @param slotName its name
 * @param active whether a standby streams through it now
 * @param restartLsn the oldest WAL it keeps
 * @param retainedBytes bytes of WAL it keeps, from restartLsn to the current position
 */
public record SlotObservation(
        String slotName, boolean active, @Nullable String restartLsn, @Nullable Long retainedBytes) {}
