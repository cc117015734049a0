package io.understudy.engine.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.time.Duration;
import java.util.List;
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
}
