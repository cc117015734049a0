package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.Views;
import io.understudy.core.api.AgentView;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code understudy agents}: the agents enrolled with the Control Center. */
@Command(
        name = "agents",
        mixinStandardHelpOptions = true,
        description = "Lists the agents enrolled with the Control Center: where each runs and when it last reported.")
final class AgentsCommand extends ClientCommand {
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    AgentsCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(ApiClient client, PrintWriter out) {
        if (json) {
            out.print(JsonOutput.pretty(client.agentsJson()));
            return ExitCodes.OK;
        }
        List<AgentView> agents = client.agents();
        if (agents.isEmpty()) {
            out.println("No agents have enrolled yet.");
            return ExitCodes.OK;
        }
        out.print(
                Views.agents(agents, context.clock().instant(), context.clock().getZone())
                        .render());
        return ExitCodes.OK;
    }
}
