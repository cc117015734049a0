package io.understudy.center.store;

/** What an operation does. The names are part of the API ({@code OperationView.kind}). */
public enum OperationKind {
    /** Prepare the primary, copy it to the standby target, start the standby and see it stream. */
    CREATE_STANDBY
}
