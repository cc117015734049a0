package io.understudy.agent;

import java.time.Duration;
import java.util.List;

/**
 * How a long step tries again, in place, after a TRANSIENT failure (STYLE.md 1.6: the primary
 * did not answer, the copy broke off): it waits each delay in turn and runs again; when the delays
 * are used up the failure is reported. A PERMANENT or UNSUPPORTED failure is never retried.
 *
 * @param delays the wait before each retry, in order; its size is the number of retries
 * @param pause how to wait; {@link Pause#system()} in production, a fake in tests
 */
record Backoff(List<Duration> delays, Pause pause) {
    /** Three retries, after 2 s, 4 s and 8 s: a failure is reported within about 15 s. */
    static final Backoff STANDARD =
            new Backoff(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), Pause.system());

    Backoff {
        delays = List.copyOf(delays);
        for (Duration delay : delays) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("a retry delay must not be negative, got " + delay);
            }
        }
    }

    /** Waits before a retry; blocks for the duration unless interrupted. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;

        /** Sleeps on the calling thread; {@link LongAction#close()} interrupts it. */
        static Pause system() {
            return duration -> Thread.sleep(duration.toMillis());
        }
    }

    /** How many retries follow the first attempt. */
    int retries() {
        return delays.size();
    }

    /** A delay as said to the user: {@code 4 s}, or {@code 250 ms} under a second. */
    static String say(Duration delay) {
        return delay.toMillis() % 1000 == 0 ? delay.toSeconds() + " s" : delay.toMillis() + " ms";
    }
}
