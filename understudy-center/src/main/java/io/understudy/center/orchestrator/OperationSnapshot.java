package io.understudy.center.orchestrator;

import io.understudy.center.store.OperationRecord;
import io.understudy.center.store.StepRecord;
import io.understudy.center.store.StepState;
import java.util.List;
import java.util.Optional;

/**
 * An operation and its steps, as the orchestrator sees them at one moment.
 *
 * @param operation the operation
 * @param steps its steps, by number from 1
 */
public record OperationSnapshot(OperationRecord operation, List<StepRecord> steps) {
    public OperationSnapshot {
        steps = List.copyOf(steps);
    }

    public String id() {
        return operation.id();
    }

    /** The step that runs now, if one does. */
    public Optional<StepRecord> running() {
        return steps.stream().filter(s -> s.state() == StepState.RUNNING).findFirst();
    }

    /** The first step that is neither done nor failed; the last step when all are. */
    public StepRecord current() {
        return steps.stream()
                .filter(s -> s.state() != StepState.DONE && s.state() != StepState.FAILED)
                .findFirst()
                .orElse(steps.get(steps.size() - 1));
    }

    /**
     * Step {@code number}.
     *
     * @throws IllegalArgumentException if there is no such step
     */
    public StepRecord step(int number) {
        return steps.stream()
                .filter(s -> s.number() == number)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("operation " + id() + " has no step " + number));
    }
}
