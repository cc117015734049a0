package io.understudy.core;

import java.util.concurrent.CountDownLatch;

/**
 * Stops a long-running command cleanly when the JVM is asked to end (Ctrl+C, SIGTERM). Register
 * it before starting anything, so that what has started by then is stopped too.
 */
public final class ShutdownHook {
    private final Runnable stop;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ShutdownHook(Runnable stop) {
        this.stop = stop;
        this.thread = new Thread(this::stopOnce, "understudy-shutdown");
    }

    /** Registers {@code stop} to run when the JVM ends. {@code stop} must be idempotent. */
    public static ShutdownHook register(Runnable stop) {
        ShutdownHook hook = new ShutdownHook(stop);
        Runtime.getRuntime().addShutdownHook(hook.thread);
        return hook;
    }

    /**
     * Blocks until the JVM is asked to end and {@code stop} has run. If this thread is
     * interrupted instead, runs {@code stop} itself and unregisters the hook.
     */
    public void awaitShutdown() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopOnce();
            unregister();
        }
    }

    /** Unregisters the hook without running {@code stop}: the caller stopped things itself. */
    public void unregister() {
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs or has run
        }
    }

    private synchronized void stopOnce() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            stop.run();
        } finally {
            stopped.countDown();
        }
    }
}
