package io.understudy.center.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One step of an operation, recorded before and after it runs.
 *
 * @param operationId its operation
 * @param number its place in the operation, from 1
 * @param name what it does, e.g. {@code prepare primary psql1:5432}
 * @param state where it is
 * @param startedAt when it started; null while pending
 * @param endedAt when it ended; null until then
 * @param message what happened, or why it failed
 */
public record StepRecord(
        String operationId,
        int number,
        String name,
        StepState state,
        @Nullable Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable String message) {

    /** A step not started yet. */
    public static StepRecord pending(String operationId, int number, String name) {
        return new StepRecord(operationId, number, name, StepState.PENDING, null, null, null);
    }

    /** This step moved to {@code next} at {@code at}: started when it runs, ended when done or failed. */
    public StepRecord moved(StepState next, Instant at, @Nullable String text) {
        Instant started = startedAt != null ? startedAt : at;
        Instant ended = next == StepState.DONE || next == StepState.FAILED ? at : null;
        return new StepRecord(operationId, number, name, next, started, ended, text != null ? text : message);
    }
}
