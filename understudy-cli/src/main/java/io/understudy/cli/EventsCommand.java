package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.Views;
import io.understudy.core.api.EventView;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code understudy events}: the latest lines of history. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Shows the latest events, oldest first: who did what, when, with what result.")
final class EventsCommand extends ClientCommand {
    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "50",
            description = "How many of the latest events to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    EventsCommand(CliContext context) {
        super(context);
    }

    @Override
    void validate() {
        if (limit < 1) {
            throw new ParameterException(commandLine(), "--limit must be at least 1, got " + limit);
        }
    }

    @Override
    void run(ApiClient client, PrintWriter out) {
        if (json) {
            out.print(JsonOutput.pretty(client.eventsJson(limit)));
            return;
        }
        List<EventView> events = client.events(limit);
        if (events.isEmpty()) {
            out.println("No events yet.");
            return;
        }
        out.print(Views.events(events, context.clock().getZone()).render());
    }
}
