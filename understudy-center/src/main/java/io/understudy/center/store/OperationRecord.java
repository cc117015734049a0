package io.understudy.center.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A durable multi-step action on a Configuration.
 *
 * @param id its id, a UUID
 * @param configuration the Configuration's name
 * @param kind what it does
 * @param state where it is
 * @param requestedBy the user who asked for it
 * @param replaceExisting the user confirmed that a cluster at the standby target may be replaced
 * @param startedAt when it started
 * @param endedAt when it ended; null while it runs
 * @param message how it ended, or what it waits for
 */
public record OperationRecord(
        String id,
        String configuration,
        OperationKind kind,
        OperationState state,
        String requestedBy,
        boolean replaceExisting,
        Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable String message) {

    public boolean isRunning() {
        return state == OperationState.RUNNING;
    }

    public OperationRecord withMessage(@Nullable String text) {
        return new OperationRecord(
                id, configuration, kind, state, requestedBy, replaceExisting, startedAt, endedAt, text);
    }

    public OperationRecord ended(OperationState outcome, Instant at, String text) {
        return new OperationRecord(id, configuration, kind, outcome, requestedBy, replaceExisting, startedAt, at, text);
    }
}
