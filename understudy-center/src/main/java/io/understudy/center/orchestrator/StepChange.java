package io.understudy.center.orchestrator;

import io.understudy.center.store.StepState;
import org.jspecify.annotations.Nullable;

/**
 * A step of the running operation moving to another state.
 *
 * @param step its number, from 1
 * @param state where it moves
 * @param message what happened, or why it failed; null to keep the step's message
 */
public record StepChange(int step, StepState state, @Nullable String message) {}
