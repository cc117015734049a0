package io.understudy.agent;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls the Control Center for a change of the agent's goals (DESIGN.md: a goal reaches its
 * agent at once, not at its next tick) and wakes the loop when one comes. A watch that fails is
 * tried again a second later; the loop's regular reports carry the goals meanwhile.
 */
final class GoalWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GoalWatch.class);

    /** How long one watch waits at the Control Center for a change. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Enrolment enrolment;
    private final Runnable wakeUp;
    private final Thread thread;
    private volatile boolean closed;

    GoalWatch(Enrolment enrolment, Runnable wakeUp) {
        this.enrolment = enrolment;
        this.wakeUp = wakeUp;
        this.thread = new Thread(this::run, "agent-goal-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long known = UNKNOWN;
        String trouble = null;
        while (!closed) {
            try {
                long version = enrolment.goalVersion(known, WAIT);
                if (version != known) {
                    if (known != UNKNOWN) {
                        wakeUp.run();
                    }
                    known = version;
                }
                trouble = null;
            } catch (CenterException e) {
                if (closed) {
                    return;
                }
                if (!String.valueOf(e.getMessage()).equals(trouble)) {
                    trouble = String.valueOf(e.getMessage());
                    log.debug("goal watch: {}; trying again in {} s", trouble, AFTER_FAILURE.toSeconds());
                }
                try {
                    Thread.sleep(AFTER_FAILURE.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
