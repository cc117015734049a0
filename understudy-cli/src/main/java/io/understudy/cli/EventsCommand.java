package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.Views;
import io.understudy.core.api.EventView;
import java.io.PrintWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code understudy events [NAME]}: the latest lines of history, of one Configuration or all. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the latest events, oldest first: who did what, when, with what result.",
            "",
            "With a configuration's name, only the events of that configuration."
        })
final class EventsCommand extends ClientCommand {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            description = "Only the events of this configuration.")
    @Nullable
    String configuration;

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
        if (configuration != null && configuration.isBlank()) {
            throw new ParameterException(commandLine(), "NAME must not be empty");
        }
    }

    @Override
    int run(ApiClient client, PrintWriter out) {
        if (json) {
            out.print(JsonOutput.pretty(client.eventsJson(configuration, limit)));
            return ExitCodes.OK;
        }
        List<EventView> events = client.events(configuration, limit);
        if (events.isEmpty()) {
            out.println(configuration == null ? "No events yet." : "No events for " + configuration + " yet.");
            return ExitCodes.OK;
        }
        out.print(Views.events(events, context.clock().getZone()).render());
        return ExitCodes.OK;
    }
}
