package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StepView;
import java.time.Duration;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for operations through the public API, as a user following one would. */
final class Operations {
    private Operations() {}

    /**
     * Waits until operation {@code id} no longer runs and returns it.
     *
     * @throws AssertionError when it still runs after {@code limit}, saying where it stands (its
     *     running step and message), so that a failure report shows why at once
     */
    static OperationView awaitEnd(ApiClient api, String id, Duration limit) {
        try {
            await("operation " + id + " ended")
                    .atMost(limit)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !api.operation(id).state().equals("RUNNING"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "operation still RUNNING after " + limit.toSeconds() + " s: " + describe(api, id), e);
        }
        return api.operation(id);
    }

    /** The operation's kind, running step and message in one line. */
    static String describe(ApiClient api, String id) {
        try {
            OperationView op = api.operation(id);
            String steps = op.steps().stream().map(Operations::step).collect(Collectors.joining("; "));
            return op.kind() + " " + op.state() + " [" + steps + "] message: " + op.message()
                    + (op.progress() == null ? "" : " progress: " + op.progress());
        } catch (RuntimeException e) {
            return "(cannot read operation " + id + ": " + e.getMessage() + ")";
        }
    }

    private static String step(StepView step) {
        return step.name() + ": " + step.state() + (step.message() == null ? "" : " (" + step.message() + ")");
    }
}
