package io.understudy.engine.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
    private final CommandRunner runner = CommandRunner.asCurrentUser();

    @Test
    void capturesOutputAndExitCode() {
        CommandResult result =
                runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderrTail()).isEqualTo("err");
    }

    @Test
    void checkedRunNamesProgramExitCodeAndStderr() {
        assertThatThrownBy(
                        () -> runner.runChecked(List.of("sh", "-c", "echo boom >&2; exit 1"), Duration.ofSeconds(10)))
                .isInstanceOf(EngineException.class)
                .hasMessage("sh exited 1: boom");
    }

    @Test
    void killsACommandThatOverrunsItsDeadline() {
        assertThatThrownBy(() -> runner.run(List.of("sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT))
                .hasMessageContaining("did not finish within");
    }

    @Test
    void aMissingProgramIsAPermanentFailure() {
        assertThatThrownBy(() -> runner.run(List.of("/nonexistent/program"), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessageContaining("cannot run /nonexistent/program");
    }

    @Test
    void keepsOnlyTheLastLinesOfStderr() {
        String many = String.join("\n", java.util.Collections.nCopies(50, "line")) + "\nlast";
        assertThat(CommandRunner.tail(many).lines()).hasSize(20).last().isEqualTo("last");
    }

    @Test
    void streamsEachLineSplitAtCarriageReturnsAndNewlines() {
        List<String> seen = new ArrayList<>();

        CommandResult result = runner.run(
                List.of("sh", "-c", "printf '1/10 kB\\r5/10 kB\\r10/10 kB\\n' >&2; echo done; echo oops >&2; exit 2"),
                Duration.ofSeconds(10),
                Map.of(),
                seen::add);

        assertThat(seen).containsSubsequence("1/10 kB", "5/10 kB", "10/10 kB").contains("done", "oops");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEqualTo("done\n");
        assertThat(result.stderrTail()).isEqualTo("1/10 kB\n5/10 kB\n10/10 kB\noops");
    }

    @Test
    void givesTheStreamingCommandItsExtraEnvironment() {
        List<String> seen = new ArrayList<>();

        runner.run(
                List.of("sh", "-c", "echo \"$UNDERSTUDY_TEST_VALUE\""),
                Duration.ofSeconds(10),
                Map.of("UNDERSTUDY_TEST_VALUE", "from the caller"),
                seen::add);

        assertThat(seen).containsExactly("from the caller");
    }

    @Test
    void killsAStreamingCommandThatOverrunsItsDeadline() {
        List<String> seen = new ArrayList<>();
        long started = System.nanoTime();

        assertThatThrownBy(() -> runner.run(
                        List.of("sh", "-c", "echo started >&2; sleep 30"), Duration.ofMillis(500), Map.of(), seen::add))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT))
                .hasMessage("sh did not finish within 0 s: started");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(seen).containsExactly("started");
    }

    @Test
    void killsTheCommandWhenTheLineConsumerFails() {
        assertThatThrownBy(() -> runner.run(
                        List.of("sh", "-c", "echo first; sleep 30"), Duration.ofSeconds(20), Map.of(), line -> {
                            throw new IllegalStateException("consumer broke on " + line);
                        }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("consumer broke on first");
    }

    @Test
    void splitsALastLineWithoutTerminatorAndSkipsEmptyLines() {
        List<String> seen = new ArrayList<>();

        CommandRunner.readLines(new ByteArrayInputStream("a\r\nb\n\n\rc".getBytes(StandardCharsets.UTF_8)), seen::add);

        assertThat(seen).containsExactly("a", "b", "c", null);
    }
}
