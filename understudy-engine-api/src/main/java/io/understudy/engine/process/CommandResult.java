package io.understudy.engine.process;

import java.util.List;

/**
 * How a command ended.
 *
 * @param command what was run
 * @param exitCode its exit code
 * @param stdout everything it wrote to standard output
 * @param stderrTail the last lines it wrote to standard error
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderrTail) {
    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The program's file name, for messages: {@code pg_ctl}. */
    public String program() {
        String first = command.isEmpty() ? "?" : command.get(0);
        return first.substring(first.lastIndexOf('/') + 1);
    }
}
