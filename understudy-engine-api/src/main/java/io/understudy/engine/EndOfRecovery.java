package io.understudy.engine;

/** How a WAL-shipping standby ends its recovery, as pg_standby's triggers. */
public enum EndOfRecovery {
    /** Replay every WAL file already received, then end recovery: nothing received is lost. */
    SMART,
    /** End recovery now, leaving WAL files received and not replayed yet aside. */
    FAST
}
