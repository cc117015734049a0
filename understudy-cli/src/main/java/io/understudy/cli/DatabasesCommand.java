package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.Views;
import io.understudy.core.api.DatabaseView;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code understudy databases}: the databases the agents report. */
@Command(
        name = "databases",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the databases the agents report: role, state and data directory.",
            "",
            "A database that is down shows why in the REASON column."
        })
final class DatabasesCommand extends ClientCommand {
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    DatabasesCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(ApiClient client, PrintWriter out) {
        if (json) {
            out.print(JsonOutput.pretty(client.databasesJson()));
            return ExitCodes.OK;
        }
        List<DatabaseView> databases = client.databases();
        if (databases.isEmpty()) {
            out.println("No databases reported yet.");
            return ExitCodes.OK;
        }
        out.print(Views.databases(databases).render());
        return ExitCodes.OK;
    }
}
