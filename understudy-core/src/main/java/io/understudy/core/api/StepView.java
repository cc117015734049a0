package io.understudy.core.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One step of an operation.
 *
 * @param name what the step does, e.g. {@code prepare primary psql1:5432}
 * @param state {@code PENDING}, {@code RUNNING}, {@code DONE} or {@code FAILED}
 * @param startedAt when it started
 * @param endedAt when it ended
 * @param message what happened, or why it failed
 */
public record StepView(
        String name, String state, @Nullable Instant startedAt, @Nullable Instant endedAt, @Nullable String message) {}
