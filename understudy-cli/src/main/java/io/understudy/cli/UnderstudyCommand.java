package io.understudy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code understudy}: the root command. Build it with {@link #commandLine()}, which configures
 * exit codes and error printing; other modules add their commands to what it returns with
 * {@link CommandLine#addSubcommand(String, Object)}. A failure thrown by any command, added ones
 * included, is printed as {@code error: MESSAGE} and mapped by {@link ExitCodes#of}. Call {@link
 * CommandLine#setOut}/{@link CommandLine#setErr} after adding commands, so they reach them too.
 */
@Command(
        name = "understudy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Understudy keeps a standby copy of a PostgreSQL database on another host, shows whether it is"
                    + " healthy, and moves the primary role with one action.",
            "",
            "These commands are clients of the Control Center's REST API. Log in once with 'understudy login"
                    + " --url URL', or set UNDERSTUDY_URL, UNDERSTUDY_USER and UNDERSTUDY_PASSWORD."
        },
        subcommands = {
            LoginCommand.class,
            LogoutCommand.class,
            AgentsCommand.class,
            DatabasesCommand.class,
            ConfigCommand.class,
            StandbyCommand.class,
            PrimaryRoleCommand.Switchover.class,
            PrimaryRoleCommand.Failover.class,
            PrimaryRoleCommand.Reinstate.class,
            StatusCommand.class,
            ObserverCommand.class,
            OperationCommand.class,
            EventsCommand.class,
            UserCommand.class
        },
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:it worked",
            "1:it failed for another reason; the message says which",
            "2:usage error: a bad or missing flag or value, or an input the Control Center refused",
            "3:not logged in, wrong user or password, session expired, or not allowed",
            "4:not found",
            "5:conflict with the current state, e.g. an operation is running",
            "6:the Control Center did not answer"
        },
        footer = {
            "",
            "Connection: flags win over UNDERSTUDY_URL, UNDERSTUDY_USER and UNDERSTUDY_PASSWORD, which win over"
                    + " the session saved by 'understudy login'. Run 'understudy COMMAND --help' for a command's"
                    + " flags."
        })
public final class UnderstudyCommand implements Callable<Integer> {
    @Spec
    @Nullable
    CommandSpec spec;

    UnderstudyCommand() {}

    /** The command line of this process: its environment, config directory and console. */
    public static CommandLine commandLine() {
        return commandLine(CliContext.system());
    }

    /**
     * A command line reading {@code env} instead of the process's environment and keeping its
     * session in {@code configDir}; for tests and in-process callers. Capture its output with
     * {@link CommandLine#setOut} and {@link CommandLine#setErr}.
     */
    public static CommandLine commandLine(Map<String, String> env, Path configDir) {
        return commandLine(CliContext.of(env, configDir));
    }

    /** A command line with everything it takes from the process given in {@code context}. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new UnderstudyCommand(), new CommandFactory(context));
        commandLine.setExitCodeExceptionMapper(ExitCodes::of);
        commandLine.setExecutionExceptionHandler(UnderstudyCommand::handleFailure);
        return commandLine;
    }

    /** Without a command: says so, with the usage, on stderr (exit code 2). */
    @Override
    public Integer call() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        throw new ParameterException(spec.commandLine(), "missing command: give one of the commands below");
    }

    /** Prints {@code error: MESSAGE} on stderr, without a stack trace, and maps the exit code. */
    private static int handleFailure(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("error: " + describe(failure));
        err.flush();
        return ExitCodes.of(failure);
    }

    /** The failure's message on one line; its type when it has none. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return "unexpected " + failure.getClass().getSimpleName();
        }
        StringBuilder line = new StringBuilder(message.length());
        message.strip().codePoints().forEach(cp -> line.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return line.toString();
    }
}
