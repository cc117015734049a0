package io.understudy.core.api;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A durable multi-step action on a Configuration (DESIGN.md: Operation).
 *
 * @param id its id
 * @param configuration the Configuration's name
 * @param kind {@code CREATE_STANDBY}, later {@code SWITCHOVER}, {@code FAILOVER}, {@code
 *     REINSTATE}
 * @param state {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}
 * @param requestedBy the user who asked for it
 * @param startedAt when it started
 * @param endedAt when it ended; null while it runs
 * @param message how it ended, or what it waits for
 * @param steps its steps, in order
 * @param progress how far the running step has got; null when not measured
 */
public record OperationView(
        String id,
        String configuration,
        String kind,
        String state,
        String requestedBy,
        Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable String message,
        List<StepView> steps,
        @Nullable ProgressView progress) {
    public OperationView {
        steps = List.copyOf(steps);
    }
}
