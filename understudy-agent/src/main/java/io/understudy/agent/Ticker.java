package io.understudy.agent;

import java.time.Duration;

/**
 * When the loop ticks next: a period after the last tick, or at once when woken (a goal changed, a
 * state was reached), so that a hand-off between agents costs a round trip, not a period.
 * Thread-safe.
 */
final class Ticker {
    private boolean woken; // guarded by this

    /** Makes the next (or the current) {@link #awaitNext} return at once. */
    synchronized void wakeUp() {
        woken = true;
        notifyAll();
    }

    /**
     * Waits until {@code period} has passed or {@link #wakeUp} was called since the last return.
     *
     * @throws InterruptedException when the agent stops
     */
    synchronized void awaitNext(Duration period) throws InterruptedException {
        long deadline = System.nanoTime() + period.toNanos();
        while (!woken) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        woken = false;
    }
}
