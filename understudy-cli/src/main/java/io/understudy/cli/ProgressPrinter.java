package io.understudy.cli;

import io.understudy.cli.output.OperationViews;
import io.understudy.cli.output.ProgressBar;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.ProgressView;
import io.understudy.core.api.StepView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Prints how a followed operation goes, from the successive views of it. Each step that starts,
 * ends, or says something new while it runs gets a line of its own. Progress goes:
 *
 * <ul>
 *   <li>on a terminal, on one line redrawn in place under the step lines, cut to the terminal's
 *       width;
 *   <li>elsewhere (pipes, files, tests), as a line when the phase changes, and otherwise at most
 *       one line every {@link #PLAIN_PROGRESS_EVERY} while the bytes done change.
 * </ul>
 *
 * Not thread-safe: one follower calls it.
 */
final class ProgressPrinter {
    static final Duration PLAIN_PROGRESS_EVERY = Duration.ofSeconds(5);

    private final PrintWriter out;
    private final boolean terminal;
    private final int columns;

    private List<StepView> steps = List.of();
    private @Nullable String lastPhase;
    private @Nullable Instant lastProgressAt;
    private long lastBytesDone = -1;
    private int redrawnWidth;

    /**
     * @param out where to print, usually stderr
     * @param terminal whether {@code out} is a terminal a person watches
     * @param columns the terminal's width; used only when {@code terminal}
     */
    ProgressPrinter(PrintWriter out, boolean terminal, int columns) {
        this.out = out;
        this.terminal = terminal;
        this.columns = columns;
    }

    /** Prints what changed since the last view, as of {@code now}. */
    void show(OperationView op, Instant now) {
        List<StepView> current = op.steps();
        for (int i = 0; i < current.size(); i++) {
            String line = change(i, current.size(), i < steps.size() ? steps.get(i) : null, current.get(i));
            if (line != null) {
                line(line);
            }
        }
        steps = current;
        ProgressView progress = op.progress();
        if (progress == null || !OperationViews.isRunning(op)) {
            clear();
        } else if (terminal) {
            redraw(ProgressBar.fit(ProgressBar.render(progress, ProgressBar.WIDTH), columns));
        } else if (isDue(progress, now)) {
            line(ProgressBar.render(progress, ProgressBar.WIDTH));
            lastProgressAt = now;
            lastBytesDone = progress.bytesDone();
        }
        if (progress != null) {
            lastPhase = progress.phase();
        }
        out.flush();
    }

    /** Prints {@code text} on a line of its own, above the progress line on a terminal. */
    void line(String text) {
        clear();
        out.println(text);
        out.flush();
    }

    /** Removes the progress line from a terminal, so what is printed next starts on a clean line. */
    void finish() {
        clear();
        out.flush();
    }

    /** The line for step {@code index}'s change from {@code before} (null: not seen yet) to {@code after}. */
    private static @Nullable String change(int index, int count, @Nullable StepView before, StepView after) {
        StepView prior = before != null && before.name().equals(after.name()) ? before : null;
        String stateBefore = prior == null ? "PENDING" : prior.state();
        if (!stateBefore.equals(after.state())) {
            return OperationViews.stepLine(index, count, after, true);
        }
        String message = after.message();
        boolean news = OperationViews.RUNNING.equals(after.state())
                && message != null
                && !message.isBlank()
                && !Objects.equals(message, prior == null ? null : prior.message());
        return news ? OperationViews.stepLine(index, count, after, false) : null;
    }

    private boolean isDue(ProgressView progress, Instant now) {
        if (!progress.phase().equals(lastPhase)) {
            return true;
        }
        return progress.bytesDone() != lastBytesDone
                && (lastProgressAt == null || !now.isBefore(lastProgressAt.plus(PLAIN_PROGRESS_EVERY)));
    }

    private void redraw(String text) {
        int width = text.codePointCount(0, text.length());
        out.print("\r" + text + " ".repeat(Math.max(0, redrawnWidth - width)));
        redrawnWidth = width;
    }

    private void clear() {
        if (redrawnWidth > 0) {
            out.print("\r" + " ".repeat(redrawnWidth) + "\r");
            redrawnWidth = 0;
        }
    }
}
