package io.understudy.dist;

import io.understudy.agent.AgentCommand;
import io.understudy.center.ControlCenterCommand;
import io.understudy.cli.UnderstudyCommand;
import picocli.CommandLine;

/** The main class of the distribution: {@code understudy COMMAND ...}. */
public final class Launcher {
    private Launcher() {}

    /** The full command line: the CLI's commands plus the agent, the Control Center and the demo. */
    public static CommandLine commandLine() {
        return UnderstudyCommand.commandLine()
                .addSubcommand("agent", new AgentCommand())
                .addSubcommand("control-center", new ControlCenterCommand())
                .addSubcommand("demo", new DemoCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
