package io.understudy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.core.protocol.ActionProgress;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LongActionTest {
    private final LongAction action = new LongAction(InstantSource.fixed(FakeEngine.NOW));
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void close() {
        gate.countDown();
        action.close();
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(10)).until(() -> action.running().isEmpty());
    }

    @Test
    void runsOneActionAtATime() {
        assertThat(action.trySubmit("base backup", progress -> FakeInstance.await(gate, "test")))
                .isEmpty();
        assertThat(action.running()).map(LongAction.Running::name).contains("base backup");
        assertThat(action.trySubmit("prepare the primary", progress -> {})).contains("base backup");

        gate.countDown();
        awaitIdle();
        assertThat(action.lastOutcome()).map(LongAction.Outcome::name).contains("base backup");
        assertThat(action.trySubmit("prepare the primary", progress -> {})).isEmpty();
        awaitIdle();
        assertThat(action.lastOutcome()).map(LongAction.Outcome::name).contains("prepare the primary");
    }

    @Test
    void keepsTheLatestProgressWhileItRuns() {
        ActionProgress first = new ActionProgress("base backup", "copying files", 10, 100, FakeEngine.NOW);
        ActionProgress second = new ActionProgress("base backup", "copying files", 60, 100, FakeEngine.NOW);
        action.trySubmit("base backup", progress -> {
            progress.accept(first);
            progress.accept(second);
            FakeInstance.await(gate, "test");
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> action.running().map(LongAction.Running::progress), p -> p.equals(Optional.of(second)));

        gate.countDown();
        awaitIdle();
        assertThat(action.running()).isEmpty();
    }

    @Test
    void saysItIsStartingBeforeTheFirstProgress() {
        action.trySubmit("base backup", progress -> FakeInstance.await(gate, "test"));
        assertThat(action.running().map(r -> r.progress().phase())).contains("starting");
        assertThat(action.running().map(r -> r.progress().startedAt())).contains(FakeEngine.NOW);
    }

    @Test
    void keepsAFailureAndRunsTheNextActionAfterIt() {
        action.trySubmit("base backup", progress -> {
            throw new EngineException(Failure.TRANSIENT, "pg_basebackup exited 1: connection refused");
        });
        awaitIdle();
        assertThat(action.lastOutcome())
                .map(LongAction.Outcome::failure)
                .contains("pg_basebackup exited 1: connection refused");

        action.trySubmit("base backup again", progress -> {});
        awaitIdle();
        assertThat(action.lastOutcome()).map(LongAction.Outcome::name).contains("base backup again");
        assertThat(action.lastOutcome().map(LongAction.Outcome::failure)).isEmpty();
    }

    @Test
    void keepsAnUnexpectedFailureToo() {
        action.trySubmit("base backup", progress -> {
            throw new IllegalStateException("a bug");
        });
        awaitIdle();
        assertThat(action.lastOutcome()).map(LongAction.Outcome::failure).contains("IllegalStateException: a bug");
    }

    @Test
    void keepsAnErrorAsAFailureNeverAsSuccessAndRunsTheNextAction() {
        action.trySubmit("base backup", progress -> {
            throw new AssertionError("a bug");
        });
        awaitIdle();
        assertThat(action.lastOutcome()).map(LongAction.Outcome::failure).contains("AssertionError: a bug");

        action.trySubmit("base backup again", progress -> {});
        awaitIdle();
        assertThat(action.lastOutcome()).map(LongAction.Outcome::name).contains("base backup again");
        assertThat(action.lastOutcome().map(LongAction.Outcome::failure)).isEmpty();
    }

    @Test
    void carriesTheCallersLoggingContext() {
        AtomicReference<@Nullable String> seen = new AtomicReference<>();
        MDC.put("configuration", "sales");
        try {
            action.trySubmit("base backup", progress -> seen.set(MDC.get("configuration")));
        } finally {
            MDC.remove("configuration");
        }
        awaitIdle();
        assertThat(seen.get()).isEqualTo("sales");
    }
}
