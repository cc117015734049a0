package io.understudy.cli.output;

import io.understudy.cli.output.Table.Column;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.ProgressView;
import io.understudy.core.api.StepView;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/** What {@code understudy operation show} prints, and the lines that follow an operation. */
public final class OperationViews {
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";

    private OperationViews() {}

    /** Its fields, then a table of its steps: #, STEP, STATE, STARTED, TOOK, MESSAGE. */
    public static String show(OperationView op, Instant now, ZoneId zone) {
        Fields fields = Fields.of()
                .add("Operation", op.id())
                .add("Kind", op.kind())
                .add("Configuration", op.configuration())
                .add("State", op.state())
                .add("Requested by", op.requestedBy())
                .add("Started", Times.local(op.startedAt(), zone))
                .add("Ended", op.endedAt() == null ? "-" : Times.local(op.endedAt(), zone))
                .add("Took", Times.duration(Duration.between(op.startedAt(), endOrNow(op.endedAt(), now))));
        if (op.message() != null) {
            fields.add("Message", op.message());
        }
        ProgressView progress = op.progress();
        if (progress != null && isRunning(op)) {
            fields.add("Progress", ProgressBar.render(progress, ProgressBar.WIDTH));
        }
        StringBuilder out = new StringBuilder(fields.render());
        if (!op.steps().isEmpty()) {
            Table steps = Table.of(
                    Column.right("#"),
                    Column.left("STEP"),
                    Column.left("STATE"),
                    Column.left("STARTED"),
                    Column.right("TOOK"),
                    Column.left("MESSAGE"));
            for (int i = 0; i < op.steps().size(); i++) {
                StepView s = op.steps().get(i);
                Instant started = s.startedAt();
                steps.row(
                        Integer.toString(i + 1),
                        s.name(),
                        s.state(),
                        started == null ? "-" : Times.local(started, zone),
                        started == null ? "-" : Times.duration(Duration.between(started, endOrNow(s.endedAt(), now))),
                        Objects.requireNonNullElse(s.message(), ""));
            }
            out.append('\n').append(steps.render());
        }
        return out.toString();
    }

    /**
     * One line on the operation: {@code Operation ID: CREATE_STANDBY running for 42 s, step 3 of
     * 7: copy data}, or how it ended.
     */
    public static String summary(OperationView op, Instant now, ZoneId zone) {
        StringBuilder line = new StringBuilder("Operation " + op.id() + ": " + op.kind());
        if (isRunning(op)) {
            line.append(" running for ").append(Times.duration(Duration.between(op.startedAt(), now)));
            OptionalInt current = currentStep(op.steps());
            if (current.isPresent()) {
                int i = current.getAsInt();
                line.append(", step ")
                        .append(i + 1)
                        .append(" of ")
                        .append(op.steps().size())
                        .append(": ")
                        .append(op.steps().get(i).name());
            }
        } else {
            line.append(' ').append(op.state());
            if (op.endedAt() != null) {
                line.append(" at ").append(Times.local(op.endedAt(), zone));
            }
            if (op.message() != null) {
                line.append(": ").append(op.message());
            }
        }
        return ProgressBar.clean(line.toString());
    }

    /**
     * A step's change, as a line: {@code step 3/7 started: copy data}, {@code step 3/7 done:
     * copy data (12 s)}, {@code step 3/7 failed: copy data: MESSAGE}, or, for news from a step
     * that runs, {@code step 3/7: MESSAGE}. Null for a step that is pending.
     */
    public static @Nullable String stepLine(int index, int count, StepView step, boolean started) {
        String prefix = "step " + (index + 1) + "/" + count;
        String message = step.message();
        String tail = message == null || message.isBlank() ? "" : ": " + message;
        String line =
                switch (step.state()) {
                    case "PENDING" -> null;
                    case RUNNING -> started ? prefix + " started: " + step.name() + tail : prefix + tail;
                    case "DONE" -> prefix + " done: " + step.name() + took(step) + tail;
                    case "FAILED" -> prefix + " failed: " + step.name() + took(step) + tail;
                    default -> prefix + " " + step.state() + ": " + step.name() + tail;
                };
        return line == null ? null : ProgressBar.clean(line);
    }

    /** Why it failed: its message, else the first failed step's, else its state. */
    public static String failure(OperationView op) {
        if (op.message() != null && !op.message().isBlank()) {
            return ProgressBar.clean(op.message());
        }
        return op.steps().stream()
                .filter(s -> s.state().equals("FAILED"))
                .findFirst()
                .map(s -> ProgressBar.clean(
                        "step '" + s.name() + "' failed" + (s.message() == null ? "" : ": " + s.message())))
                .orElse("it ended " + op.state() + " without saying why");
    }

    public static boolean isRunning(OperationView op) {
        return op.state().equals(RUNNING);
    }

    private static OptionalInt currentStep(List<StepView> steps) {
        return IntStream.range(0, steps.size())
                .filter(i -> steps.get(i).state().equals(RUNNING))
                .findFirst();
    }

    private static String took(StepView step) {
        Instant started = step.startedAt();
        Instant ended = step.endedAt();
        if (started == null || ended == null) {
            return "";
        }
        return " (" + Times.duration(Duration.between(started, ended)) + ")";
    }

    private static Instant endOrNow(@Nullable Instant end, Instant now) {
        return end == null ? now : end;
    }
}
