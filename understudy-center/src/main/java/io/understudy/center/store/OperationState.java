package io.understudy.center.store;

/** Where an operation is. The names are part of the API ({@code OperationView.state}). */
public enum OperationState {
    /** It runs: at most one per Configuration. */
    RUNNING,
    /** Every step is done. */
    SUCCEEDED,
    /** A step failed; the message says which and why. */
    FAILED
}
