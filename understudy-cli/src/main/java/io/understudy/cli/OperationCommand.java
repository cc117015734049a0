package io.understudy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.OperationViews;
import io.understudy.core.api.OperationView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy operation}: look at operations. */
@Command(
        name = "operation",
        mixinStandardHelpOptions = true,
        description = "Shows and cancels operations: creating a standby and the like, with their steps.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {OperationCommand.Show.class, OperationCommand.Cancel.class})
final class OperationCommand extends CommandGroup {
    OperationCommand() {}

    /** {@code understudy operation show ID}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Shows an operation: its state, who asked for it, its progress and each step with its result.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The operation's id.")
        String id = "";

        @Option(names = "--json", description = "Print the API's JSON instead of the operation's fields and steps.")
        boolean json;

        Show(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            JsonNode tree = client.operationJson(id);
            if (json) {
                out.print(JsonOutput.pretty(tree));
                return ExitCodes.OK;
            }
            out.print(OperationViews.show(
                    ApiClient.read(tree, OperationView.class),
                    context.clock().instant(),
                    context.clock().getZone()));
            return ExitCodes.OK;
        }
    }

    /** {@code understudy operation cancel ID}. */
    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = {
                "Cancels a running operation: it ends as failed, and running the action again",
                "starts it over. What a step already did stays done (a copy already made is",
                "resumed by the next attempt). Needs an admin.",
            })
    static final class Cancel extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The operation's id.")
        String id = "";

        Cancel(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            OperationView ended = client.cancelOperation(id);
            out.println("Cancelled: " + ended.kind() + " of " + ended.configuration() + " (" + ended.id() + ").");
            return ExitCodes.OK;
        }
    }
}
