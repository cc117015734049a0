package io.understudy.core.configuration;

/**
 * How the observer watches a Configuration's primary (issue 5): the body of {@code GET} and {@code
 * PUT /api/v1/configurations/{name}/observer}, and the field {@code observer} of its status. Off
 * until a user turns it on (DESIGN.md, invariant 6). The ranges are checked where a value comes in
 * ({@link #MIN_INTERVAL_MILLIS} and the others), not here, so a stored value is always shown as it is.
 *
 * @param enabled whether the observer watches the primary at all
 * @param action what it does after {@code checks} consecutive failed checks
 * @param intervalMillis how often the primary is checked, in milliseconds
 * @param checks how many consecutive failed checks declare the primary failed
 * @param maxLagBytes the largest replay lag at which the standby may still be promoted
 *     automatically; beyond it the observer only notifies
 * @param autoReinstate whether the old primary is reinstated as a standby by itself when its host
 *     returns after an automatic failover
 */
public record ObserverSettings(
        boolean enabled,
        ObserverAction action,
        long intervalMillis,
        int checks,
        long maxLagBytes,
        boolean autoReinstate) {

    public static final long DEFAULT_INTERVAL_MILLIS = 500;
    public static final long MIN_INTERVAL_MILLIS = 100;
    public static final long MAX_INTERVAL_MILLIS = 3_600_000;
    public static final int DEFAULT_CHECKS = 3;
    public static final int MIN_CHECKS = 1;
    public static final int MAX_CHECKS = 1000;
    public static final long DEFAULT_MAX_LAG_BYTES = 16L * 1024 * 1024;

    /** A new Configuration's: off, notify only, every 500 ms, 3 checks, 16 MiB, no automatic reinstate. */
    public static final ObserverSettings DEFAULTS = new ObserverSettings(
            false, ObserverAction.NOTIFY, DEFAULT_INTERVAL_MILLIS, DEFAULT_CHECKS, DEFAULT_MAX_LAG_BYTES, false);

    /** Whether it would promote the standby by itself: enabled, with the action FAILOVER. */
    public boolean automaticFailover() {
        return enabled && action == ObserverAction.FAILOVER;
    }
}
