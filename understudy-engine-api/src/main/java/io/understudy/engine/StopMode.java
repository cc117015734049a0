package io.understudy.engine;

/** How hard to stop a database, as PostgreSQL's shutdown modes. */
public enum StopMode {
    /** Wait for clients to disconnect, then shut down cleanly. */
    SMART,
    /** Disconnect clients, roll back, and shut down cleanly with a checkpoint. */
    FAST,
    /** Stop at once without a checkpoint; crash recovery runs at the next start. */
    IMMEDIATE
}
