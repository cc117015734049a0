package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.cli.client.ApiException;
import io.understudy.cli.client.ControlCenterUnreachableException;
import io.understudy.core.UnderstudyException;
import io.understudy.core.api.ApiError;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.ProgressView;
import io.understudy.core.api.StepView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The follow loop with a scripted Control Center and a clock that moves only when it sleeps. */
class OperationFollowerTest {
    static final Instant T0 = Instant.parse("2025-01-31T12:00:00Z");
    static final long MIB = 1L << 20;

    private final MovingClock clock = new MovingClock(T0);
    private final Deque<Supplier<OperationView>> script = new ArrayDeque<>();
    private final List<String> fetched = new ArrayList<>();
    private final StringWriter printed = new StringWriter();

    @Test
    void plainOutputHasALinePerStepChangeAndPhaseChangeAndFewProgressLines() {
        answer(op("RUNNING", steps("RUNNING", "PENDING"), null));
        answer(op("RUNNING", steps("DONE", "RUNNING"), new ProgressView("copying (base backup)", 0, 100 * MIB)));
        for (int i = 1; i <= 12; i++) { // 6 s of polls, 1 MiB more each time
            answer(op(
                    "RUNNING",
                    steps("DONE", "RUNNING"),
                    new ProgressView("copying (base backup)", i * MIB, 100 * MIB)));
        }
        answer(op("RUNNING", steps("DONE", "RUNNING"), new ProgressView("writing WAL", 100 * MIB, 100 * MIB)));
        answer(op("SUCCEEDED", steps("DONE", "DONE"), null));

        OperationView last = follower(false).follow("op-1");

        assertThat(last.state()).isEqualTo("SUCCEEDED");
        assertThat(fetched).hasSize(16).containsOnly("op-1");
        assertThat(clock.slept).as("500 ms between polls, none after the end").isEqualTo(Duration.ofMillis(15 * 500));
        assertThat(printed.toString().lines())
                .containsExactly(
                        "step 1/2 started: prepare primary",
                        "step 1/2 done: prepare primary (2.0 s)",
                        "step 2/2 started: copy data",
                        "[....................] 0%  0 B of 100.0 MiB  copying (base backup)",
                        "[##..................] 10%  10.0 MiB of 100.0 MiB  copying (base backup)",
                        "[####################] 100%  100.0 MiB of 100.0 MiB  writing WAL",
                        "step 2/2 done: copy data (2.0 s)");
    }

    @Test
    void aStepThatRanBetweenTwoPollsIsReportedDone() {
        answer(op("RUNNING", steps("PENDING", "PENDING"), null));
        answer(op("FAILED", steps("DONE", "FAILED"), null));

        OperationView last = follower(false).follow("op-1");

        assertThat(last.state()).isEqualTo("FAILED");
        assertThat(printed.toString().lines())
                .containsExactly("step 1/2 done: prepare primary (2.0 s)", "step 2/2 failed: copy data (2.0 s): boom");
    }

    @Test
    void newsFromARunningStepIsPrintedOnce() {
        StepView quiet = new StepView("prepare primary", "RUNNING", T0, null, null);
        StepView restarting =
                new StepView("prepare primary", "RUNNING", T0, null, "restarting the primary to turn on wal_log_hints");
        answer(op("RUNNING", List.of(quiet), null));
        answer(op("RUNNING", List.of(restarting), null));
        answer(op("RUNNING", List.of(restarting), null));
        answer(op("SUCCEEDED", List.of(new StepView("prepare primary", "DONE", T0, T0.plusSeconds(1), null)), null));

        follower(false).follow("op-1");

        assertThat(printed.toString().lines())
                .containsExactly(
                        "step 1/1 started: prepare primary",
                        "step 1/1: restarting the primary to turn on wal_log_hints",
                        "step 1/1 done: prepare primary (1.0 s)");
    }

    @Test
    void onATerminalTheProgressLineIsRedrawnInPlaceAndClearedForStepLines() {
        answer(op("RUNNING", steps("DONE", "RUNNING"), new ProgressView("copying", 25, 100)));
        answer(op("RUNNING", steps("DONE", "RUNNING"), new ProgressView("copying", 50, 100)));
        answer(op("SUCCEEDED", steps("DONE", "DONE"), null));

        follower(true).follow("op-1");

        String bar25 = "[#####...............] 25%  25 B of 100 B  copying";
        String bar50 = "[##########..........] 50%  50 B of 100 B  copying";
        String blank = " ".repeat(bar50.length());
        assertThat(printed.toString())
                .isEqualTo("step 1/2 done: prepare primary (2.0 s)\n"
                        + "step 2/2 started: copy data\n"
                        + "\r" + bar25
                        + "\r" + bar50
                        + "\r" + blank + "\r" + "step 2/2 done: copy data (2.0 s)\n");
    }

    @Test
    void onANarrowTerminalTheProgressLineIsCutSoItNeverWraps() {
        answer(op("RUNNING", steps("DONE", "RUNNING"), new ProgressView("copying (base backup)", 25, 100)));
        answer(op("SUCCEEDED", steps("DONE", "DONE"), null));

        new OperationFollower(this::fetch, clock, clock::sleep, new ProgressPrinter(new PrintWriter(printed), true, 30))
                .follow("op-1");

        assertThat(printed.toString())
                .contains("\r[#####...............] 25%  2\r" + " ".repeat(29) + "\rstep 2/2 done");
    }

    @Test
    void aControlCenterThatRestartsIsWaitedFor() {
        answer(op("RUNNING", steps("DONE", "RUNNING"), null));
        unreachable();
        unreachable();
        fail(503);
        answer(op("SUCCEEDED", steps("DONE", "DONE"), null));

        OperationView last = follower(false).follow("op-1");

        assertThat(last.state()).isEqualTo("SUCCEEDED");
        assertThat(printed.toString().lines())
                .containsExactly(
                        "step 1/2 done: prepare primary (2.0 s)",
                        "step 2/2 started: copy data",
                        "The Control Center does not answer (cannot reach the Control Center at http://cc:7800:"
                                + " connection refused); trying again for up to 1 min.",
                        "The Control Center answers again.",
                        "step 2/2 done: copy data (2.0 s)");
    }

    @Test
    void followingStopsAfterAMinuteWithoutAnswerAndSaysTheOperationMayStillRun() {
        answer(op("RUNNING", steps("DONE", "RUNNING"), null));
        for (int i = 0; i < 200; i++) {
            unreachable();
        }

        assertThatThrownBy(() -> follower(false).follow("op-1"))
                .isInstanceOf(CliException.class)
                .hasMessageEndingWith("stopped following operation op-1, which may still be running: see"
                        + " 'understudy operation show op-1'")
                .extracting(e -> ExitCodes.of(e))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(Duration.between(T0, clock.instant())).isEqualTo(Duration.ofMillis(60_500));
    }

    @Test
    void aRefusalStopsFollowingAtOnceWithItsExitCode() {
        fail(404);

        assertThatThrownBy(() -> follower(false).follow("op-9"))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("refused 404; stopped following operation op-9")
                .extracting(e -> ExitCodes.of(e))
                .isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(clock.slept).isZero();
    }

    @Test
    void anInterruptStopsFollowing() {
        answer(op("RUNNING", steps("RUNNING", "PENDING"), null));
        OperationFollower.Sleeper interrupted = duration -> {
            throw new InterruptedException();
        };

        try {
            assertThatThrownBy(() -> new OperationFollower(
                                    this::fetch,
                                    clock,
                                    interrupted,
                                    new ProgressPrinter(new PrintWriter(printed), false, 80))
                            .follow("op-1"))
                    .isInstanceOf(UnderstudyException.class)
                    .hasMessage("interrupted while following operation op-1");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private OperationFollower follower(boolean terminal) {
        return new OperationFollower(
                this::fetch, clock, clock::sleep, new ProgressPrinter(new PrintWriter(printed), terminal, 200));
    }

    private OperationView fetch(String id) {
        fetched.add(id);
        Supplier<OperationView> next = script.poll();
        if (next == null) {
            throw new AssertionError("fetched more often than scripted");
        }
        return next.get();
    }

    private void answer(OperationView view) {
        script.add(() -> view);
    }

    private void unreachable() {
        script.add(() -> {
            throw new ControlCenterUnreachableException(
                    URI.create("http://cc:7800"), "connection refused", new IOException("refused"));
        });
    }

    private void fail(int status) {
        script.add(() -> {
            throw new ApiException(status, ApiError.of("http_" + status, "refused " + status));
        });
    }

    /** Two steps in the given states; a step that ended took 2 s, a failed one says "boom". */
    static List<StepView> steps(String prepare, String copy) {
        return List.of(step("prepare primary", prepare), step("copy data", copy));
    }

    static StepView step(String name, String state) {
        Instant started = state.equals("PENDING") ? null : T0;
        Instant ended = state.equals("DONE") || state.equals("FAILED") ? T0.plusSeconds(2) : null;
        return new StepView(name, state, started, ended, state.equals("FAILED") ? "boom" : null);
    }

    static OperationView op(String state, List<StepView> steps, @Nullable ProgressView progress) {
        return new OperationView(
                "op-1",
                "sales",
                "CREATE_STANDBY",
                state,
                "admin",
                T0,
                state.equals("RUNNING") ? null : T0.plusSeconds(60),
                null,
                steps,
                progress);
    }

    /** Now moves only when the follower sleeps. */
    static final class MovingClock implements InstantSource {
        private Instant now;
        Duration slept = Duration.ZERO;

        MovingClock(Instant start) {
            this.now = start;
        }

        void sleep(Duration duration) {
            now = now.plus(duration);
            slept = slept.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
