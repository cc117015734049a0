package io.understudy.cli;

import io.understudy.cli.client.ApiException;
import io.understudy.cli.client.ControlCenterUnreachableException;
import io.understudy.cli.output.OperationViews;
import io.understudy.cli.output.Times;
import io.understudy.core.UnderstudyException;
import io.understudy.core.api.OperationView;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Follows an operation until it ends: fetches it every {@link #POLL_INTERVAL} and hands each view
 * to a {@link ProgressPrinter}. The Control Center may restart while an operation runs (the
 * operation survives it), so not getting an answer, or a 5xx, is retried for up to {@link
 * #GIVE_UP_AFTER} before following stops. Stopping to follow never stops the operation.
 */
final class OperationFollower {
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(1);

    /** Waits; {@link Thread#sleep} in production, a clock that moves in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        static Sleeper system() {
            return duration -> Thread.sleep(duration.toMillis());
        }
    }

    private final Function<String, OperationView> fetch;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final ProgressPrinter printer;

    /**
     * @param fetch gets the operation by id, e.g. {@code GET /api/v1/operations/{id}}
     */
    OperationFollower(
            Function<String, OperationView> fetch, InstantSource clock, Sleeper sleeper, ProgressPrinter printer) {
        this.fetch = fetch;
        this.clock = clock;
        this.sleeper = sleeper;
        this.printer = printer;
    }

    /**
     * Follows operation {@code id} until its state is no longer {@code RUNNING}. Blocks as long as
     * the operation runs.
     *
     * @return its last view, which has ended
     * @throws CliException with the exit code of the last failure, when the Control Center has not
     *     answered for {@link #GIVE_UP_AFTER}, or refused (e.g. 404, 401); the operation may still
     *     run
     */
    OperationView follow(String id) {
        @Nullable Instant failingSince = null;
        while (true) {
            OperationView view;
            try {
                view = fetch.apply(id);
            } catch (ControlCenterUnreachableException | ApiException e) {
                Instant now = clock.instant();
                if (!isTransient(e)) {
                    throw stopped(id, e);
                }
                if (failingSince == null) {
                    failingSince = now;
                    printer.line("The Control Center does not answer (" + e.getMessage() + "); trying again for up to "
                            + Times.duration(GIVE_UP_AFTER) + ".");
                } else if (!now.isBefore(failingSince.plus(GIVE_UP_AFTER))) {
                    throw stopped(id, e);
                }
                pause(id);
                continue;
            }
            if (failingSince != null) {
                printer.line("The Control Center answers again.");
                failingSince = null;
            }
            printer.show(view, clock.instant());
            if (!OperationViews.isRunning(view)) {
                printer.finish();
                return view;
            }
            pause(id);
        }
    }

    private static boolean isTransient(UnderstudyException e) {
        return e instanceof ControlCenterUnreachableException || (e instanceof ApiException a && a.status() >= 500);
    }

    private CliException stopped(String id, UnderstudyException e) {
        printer.finish();
        return new CliException(
                ExitCodes.of(e),
                e.getMessage() + "; stopped following operation " + id
                        + ", which may still be running: see 'understudy operation show " + id + "'",
                e);
    }

    private void pause(String id) {
        try {
            sleeper.sleep(POLL_INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            printer.finish();
            throw new UnderstudyException("interrupted while following operation " + id, e);
        }
    }
}
