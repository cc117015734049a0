package io.understudy.center.store;

/** What an operation does. The names are part of the API ({@code OperationView.kind}). */
public enum OperationKind {
    /** Prepare the primary, copy it to the standby target, start the standby and see it stream. */
    CREATE_STANDBY,
    /** Move the primary role to the standby with nothing lost, and the old primary back as its standby. */
    SWITCHOVER,
    /** Promote the standby whatever the primary's state; the old primary is FENCED until reinstated. */
    FAILOVER,
    /** Bring the FENCED old primary back as the standby of the new one (pg_rewind, or a new copy). */
    REINSTATE
}
