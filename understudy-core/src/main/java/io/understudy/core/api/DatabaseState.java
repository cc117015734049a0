package io.understudy.core.api;

/** How a database of a Configuration is doing, in the words of the dashboard's badges. */
public enum DatabaseState {
    /** A primary that accepts connections. */
    ONLINE,
    /** A standby that replays and takes read-only queries. */
    HOT_STANDBY,
    /** A standby that replays and takes no connections. */
    WARM_STANDBY,
    /** Its cluster exists but does not run, or its agent is offline. */
    DOWN,
    /** Nothing there yet: the standby has not been created. */
    NOT_PRESENT,
    /** From an older epoch: kept from accepting writes until reinstated. */
    FENCED
}
