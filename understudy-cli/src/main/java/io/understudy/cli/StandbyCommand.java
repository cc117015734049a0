package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.output.OperationViews;
import io.understudy.cli.output.Times;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy standby}: create a Configuration's standby. */
@Command(
        name = "standby",
        mixinStandardHelpOptions = true,
        description = "Creates the standby of a configuration.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {StandbyCommand.Create.class})
final class StandbyCommand extends CommandGroup {
    /** The code of the 409 that asks for {@code --yes}. */
    static final String CONFIRMATION_REQUIRED = "confirmation_required";

    /**
     * The code of the 409 that says the standby's agent has not inspected the target yet, which it
     * does at its next report: the one refusal worth asking again for. ({@code not_ready}, e.g. the
     * primary is down, is not: it is reported at once.)
     */
    static final String TARGET_NOT_INSPECTED = "target_not_inspected";

    /** How long to keep asking while the target is not inspected. */
    static final Duration INSPECTION_PATIENCE = Duration.ofSeconds(5);

    static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

    StandbyCommand() {}

    /**
     * The failure to report when the Control Center refused to start: for {@code
     * confirmation_required}, its message (what would be replaced) and how to confirm, with the
     * exit code of a 409 (5); anything else as it is.
     */
    static RuntimeException refused(ApiException e, String configuration) {
        if (!CONFIRMATION_REQUIRED.equals(e.error().code())) {
            return e;
        }
        String message = e.getMessage() == null
                ? "a cluster exists at the standby's target"
                : e.getMessage().strip();
        return new CliException(
                ExitCodes.of(e),
                message + (message.endsWith(".") ? "" : ".")
                        + " Nothing was changed; to replace it, run 'understudy standby create " + configuration
                        + " --yes'.",
                e);
    }

    /** {@code understudy standby create NAME [--yes] [--no-wait]}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates the standby of a configuration: prepares the primary (a replication role, a pg_hba entry,"
                        + " a replication slot), copies it to the standby's data directory with pg_basebackup, then"
                        + " starts the standby and checks that it streams.",
                "",
                "Follows the operation until it ends, with its steps and progress on stderr. Ctrl-C stops following;"
                        + " the operation goes on in the Control Center. If a cluster already exists at the standby's"
                        + " target, nothing is changed and the command says what would be replaced (exit code 5);"
                        + " --yes confirms replacing it."
            })
    static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The configuration's name.")
        String name = "";

        @Option(
                names = "--yes",
                description = "Replace the cluster that already exists at the standby's target, if there is one.")
        boolean yes;

        @Option(names = "--no-wait", description = "Print the operation's id and return at once, without following it.")
        boolean noWait;

        Create(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            PrintWriter err = commandLine().getErr();
            OperationAccepted accepted;
            try {
                accepted = createWhenReady(
                        () -> client.createStandby(name, yes), context.clock(), OperationFollower.Sleeper.system());
            } catch (ApiException e) {
                throw refused(e, name);
            }
            String id = accepted.operationId();
            if (noWait) {
                out.println(id);
                return ExitCodes.OK;
            }
            err.println("Creating the standby of " + accepted.configuration() + ": operation " + id
                    + ". Ctrl-C stops following; the operation goes on.");
            err.flush();
            ProgressPrinter printer = new ProgressPrinter(err, isTerminal(), columns());
            OperationView last = new OperationFollower(
                            client::operation, context.clock(), OperationFollower.Sleeper.system(), printer)
                    .follow(id);
            if (last.state().equals(OperationViews.SUCCEEDED)) {
                out.println(succeeded(last));
                return ExitCodes.OK;
            }
            err.println("Create standby failed: " + OperationViews.failure(last));
            err.println("Details: 'understudy operation show " + id + "'; running it again resumes or starts clean.");
            return ExitCodes.FAILURE;
        }

        /**
         * Asks for the standby with {@code request}; while the Control Center answers {@code
         * target_not_inspected} (the standby's agent inspects the target at its next report), asks
         * again for up to {@link #INSPECTION_PATIENCE}. Any other refusal, {@code not_ready}
         * included, is thrown at once.
         */
        static OperationAccepted createWhenReady(
                Supplier<OperationAccepted> request, InstantSource clock, OperationFollower.Sleeper sleeper) {
            Instant deadline = clock.instant().plus(INSPECTION_PATIENCE);
            while (true) {
                try {
                    return request.get();
                } catch (ApiException e) {
                    if (!TARGET_NOT_INSPECTED.equals(e.error().code())
                            || clock.instant().isAfter(deadline)) {
                        throw e;
                    }
                }
                try {
                    sleeper.sleep(RETRY_INTERVAL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException(ExitCodes.FAILURE, "interrupted while waiting for the Control Center");
                }
            }
        }

        private boolean isTerminal() {
            return context.prompt().isTerminal() && !"dumb".equals(context.env().get("TERM"));
        }

        private int columns() {
            try {
                int columns = Integer.parseInt(
                        Objects.requireNonNullElse(context.env().get("COLUMNS"), "80"));
                return columns >= 20 ? columns : 80;
            } catch (NumberFormatException e) {
                return 80;
            }
        }
    }

    /** {@code Standby created: sales in 1 min 12 s.}, with the operation's message when it has one. */
    static String succeeded(OperationView op) {
        StringBuilder line = new StringBuilder("Standby created: " + op.configuration());
        if (op.endedAt() != null) {
            line.append(" in ").append(Times.duration(Duration.between(op.startedAt(), op.endedAt())));
        }
        String message = op.message();
        line.append(message == null || message.isBlank() ? "." : ": " + message);
        return line.toString();
    }
}
