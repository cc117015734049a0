package io.understudy.center.store;

/** Where a step of an operation is. The names are part of the API ({@code StepView.state}). */
public enum StepState {
    /** Not started. */
    PENDING,
    /** Started; its agent works on it. */
    RUNNING,
    /** Done. */
    DONE,
    /** Failed; its message says why. */
    FAILED
}
