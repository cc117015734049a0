package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.StatusView;
import io.understudy.core.api.ConfigurationStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy status [NAME]}: how each Configuration's databases are doing. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows how each configuration's databases are doing and how far the standby trails the primary.",
            "",
            "For each database, the primary first: its role, its state (ONLINE, HOT STANDBY, WARM STANDBY, DOWN,"
                    + " NOT PRESENT, FENCED), whether it streams WAL from the primary, its lag in bytes, its time gap"
                    + " (how far its replay trails the primary, in seconds) and whether it is in sync. Then the"
                    + " operation running on the configuration, with its progress.",
            "",
            "For WAL shipping, a row per standby in its own terms: the last WAL file shipped, received and"
                    + " applied, the log gap (NOT SHIPPED: WAL files complete on the primary and not shipped yet;"
                    + " NOT APPLIED: received and not replayed yet), and whether shipping has STOPPED (the"
                    + " primary's archive command fails; PostgreSQL keeps the files and retries, nothing is lost),"
                    + " with why. Such a standby is in sync when shipping works and at most one WAL file waits on"
                    + " each side.",
            "",
            "--json prints the API's JSON: per configuration name, method, mode, epoch, primary and standbys, each"
                    + " with database, agent, role and state, and on standbys lagBytes, replayLagSeconds and inSync."
        })
final class StatusCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this configuration.")
    @Nullable
    String configuration;

    @Option(names = "--json", description = "Print the API's JSON instead of tables.")
    boolean json;

    StatusCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(ApiClient client, PrintWriter out) {
        Instant now = context.clock().instant();
        if (configuration != null) {
            if (json) {
                out.print(JsonOutput.pretty(client.statusJson(configuration)));
            } else {
                out.print(StatusView.render(
                        client.status(configuration), now, context.clock().getZone()));
            }
            return ExitCodes.OK;
        }
        if (json) {
            out.print(JsonOutput.pretty(client.statusJson()));
            return ExitCodes.OK;
        }
        List<ConfigurationStatus> all = client.status();
        if (all.isEmpty()) {
            out.println("No configurations yet; create one with 'understudy config create'.");
            return ExitCodes.OK;
        }
        out.print(StatusView.render(all, now, context.clock().getZone()));
        return ExitCodes.OK;
    }
}
