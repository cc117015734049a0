package io.understudy.center.events;

/** What sort of thing happened. The names are part of the API ({@code EventView.kind}). */
public enum EventKind {
    /** The Control Center started on its data directory. */
    CENTER_STARTED,
    /** The Control Center stopped cleanly. */
    CENTER_STOPPED,
    /** A user was created (the first admin at the first start). */
    USER_CREATED,
    /** A user logged in. */
    USER_LOGGED_IN,
    /** A login was refused: wrong user name or password. */
    USER_LOGIN_REFUSED,
    /** A user logged out. */
    USER_LOGGED_OUT,
    /** An admin removed a user; the user's sessions ended with it. */
    USER_REMOVED,
    /** A user's password was changed; the user's other sessions ended. */
    USER_PASSWORD_CHANGED,
    /** A user chose the language of the web UI. */
    USER_LANGUAGE_CHANGED,
    /** The enrolment passphrase was generated into the data directory. */
    PASSPHRASE_GENERATED,
    /** An agent enrolled or re-enrolled and got a new token. */
    AGENT_ENROLLED,
    /** An agent's enrolment was refused: wrong passphrase. Nothing was registered. */
    AGENT_ENROLMENT_REFUSED,
    /** An agent reported after being offline, or for the first time. */
    AGENT_ONLINE,
    /** An agent stopped reporting for longer than the offline-after setting. */
    AGENT_OFFLINE,
    /** An agent reported a database it had not reported before. */
    DATABASE_ADDED,
    /** A database that was up is reported down. */
    DATABASE_DOWN,
    /** A database that was down is reported up. */
    DATABASE_UP,
    /** A database is reported with a different known role (UNKNOWN does not count). */
    DATABASE_ROLE_CHANGED,
    /** A database's port is now another data directory's: the old one is forgotten. */
    DATABASE_REPLACED,
    /** A Configuration was created. */
    CONFIGURATION_CREATED,
    /** A Configuration was deleted; its databases keep running as they are. */
    CONFIGURATION_DELETED,
    /** A user changed how the observer watches a Configuration's primary. */
    OBSERVER_SETTINGS_CHANGED,
    /** An operation started. */
    OPERATION_STARTED,
    /** The primary role moved to another database, in a new epoch. */
    PRIMARY_CHANGED,
    /** A database was fenced: kept from accepting writes until it is reinstated. */
    DATABASE_FENCED,
    /** A step of an operation started. */
    STEP_STARTED,
    /** A step of an operation is done. */
    STEP_DONE,
    /** A step of an operation failed. */
    STEP_FAILED,
    /** An operation ended with every step done. */
    OPERATION_SUCCEEDED,
    /** An operation ended because a step failed. */
    OPERATION_FAILED,
    /** A user cancelled a running operation: it ended FAILED, its goals reset as after a failure. */
    OPERATION_CANCELLED,
    /** An agent working towards a goal entered a new phase, e.g. a restart or a base backup. */
    PROGRESS,
    /** The Control Center assigned a database of a Configuration a new goal state. */
    GOAL_ASSIGNED,
    /** An agent reported that a database of a Configuration reached a state. */
    STATE_REPORTED,
    /** A standby started streaming from its primary. */
    STANDBY_STREAMING_STARTED,
    /** A standby stopped streaming from its primary. */
    STANDBY_STREAMING_STOPPED,
    /** A standby that was replaying is down, or its agent is offline. */
    STANDBY_DOWN,
    /** A standby replays (hot or warm). */
    STANDBY_UP,
    /**
     * WAL shipping stopped: the primary's archive command fails (the standby's agent unreachable,
     * its disk full, a file refused). PostgreSQL keeps the WAL files and retries; nothing is lost.
     */
    WAL_SHIPPING_STOPPED,
    /** WAL shipping works again after it had stopped. */
    WAL_SHIPPING_RESUMED,
    /** A standby's agent refused a WAL file: damaged, of another system, or other content than its copy. */
    WAL_FILE_REFUSED,
    /** A check of a Configuration's primary failed (no report in time, or its database down); the observer counts them. */
    PRIMARY_CHECK_FAILED,
    /** The primary passes its checks again after failed ones. */
    PRIMARY_RECOVERED,
    /** The observer declared a primary failed after the configured number of failed checks, confirmed by the standby's agent. */
    PRIMARY_FAILED,
    /** The observer did not fail over, and says why: the standby still sees the primary, lags too much, cannot be promoted, or the action is to notify only. */
    FAILOVER_DECLINED,
    /** The observer started a failover by itself. */
    AUTOMATIC_FAILOVER,
    /** An agent fenced its primary by itself: it could renew the primary's lease neither with the Control Center nor with the standby's agent. */
    DATABASE_SELF_FENCED,
    /** A user changed a Configuration's settings, e.g. its archive timeout. */
    CONFIGURATION_CHANGED
}
