package io.understudy.core.database;

/** The part a Database plays in its Configuration (DESIGN.md, vocabulary). */
public enum Role {
    /** Not in recovery: accepts writes while it holds the epoch's lease. */
    PRIMARY,
    /** In recovery, replaying WAL from the primary. */
    STANDBY,
    /** From an older epoch: kept from accepting writes until it is reinstated. */
    FENCED,
    /** Not known: the database is down and its files do not tell. */
    UNKNOWN
}
