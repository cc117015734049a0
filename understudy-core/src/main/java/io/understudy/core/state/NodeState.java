package io.understudy.core.state;

/**
 * The state of one Database in its Configuration, as a goal (assigned by the Control Center) or
 * as reported (reached by its agent). Modelled on pg_auto_failover's node states.
 */
public enum NodeState {
    /** A primary without a standby: serves reads and writes, nothing prepared for a standby. */
    SINGLE,
    /**
     * A primary prepared for a standby: replication role, pg_hba entry, replication slot and the
     * settings replication needs are in place; it waits for the standby to stream.
     */
    WAIT_PRIMARY,
    /** A primary whose standby streams from it. */
    PRIMARY,
    /**
     * A standby target that waits for its primary to be prepared. The agent only inspects the
     * target directory and changes nothing there.
     */
    WAIT_STANDBY,
    /** A standby being created (base backup, configuration, start) and catching up. */
    CATCHINGUP,
    /** A standby that streams from its primary. */
    SECONDARY,
    /**
     * A database kept from accepting writes: stopped (cleanly, with a checkpoint, when it was a
     * running primary) and never started by its agent until it is reinstated. The old primary of a
     * switchover passes through it; the old primary of a failover stays in it (FENCED).
     */
    DEMOTED
}
