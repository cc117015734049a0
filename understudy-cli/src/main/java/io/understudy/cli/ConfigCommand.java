package io.understudy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.output.ConfigurationViews;
import io.understudy.cli.output.JsonOutput;
import io.understudy.core.api.ConfigurationChange;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.StandbyTarget;
import java.io.PrintWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy config}: create, list, show and delete Configurations. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Creates, lists, shows, changes and deletes configurations: a primary database and where its"
                + " standby goes.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            ConfigCommand.Create.class,
            ConfigCommand.ListCommand.class,
            ConfigCommand.Show.class,
            ConfigCommand.Set.class,
            ConfigCommand.Delete.class
        })
final class ConfigCommand extends CommandGroup {
    ConfigCommand() {}

    /** {@code understudy config create NAME --primary DATABASE --standby AGENT:DIR:PORT ...}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates a configuration: a primary database, where its standby goes, how it is fed and whether it"
                        + " takes queries. Nothing is copied yet; 'understudy standby create NAME' does that.",
                "",
                "Example:",
                "  understudy config create sales --primary psql1:5432 \\",
                "      --standby psql2:/var/lib/postgresql/16/standby:5433 --mode hot",
                "  understudy config create archive --primary psql1:5432 \\",
                "      --standby psql3:/srv/pg/standby:5432 --method wal-shipping --mode warm \\",
                "      --archive-timeout 30"
            })
    static final class Create extends ClientCommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The configuration's name: letters, digits, _ and -.")
        String name = "";

        @Option(
                names = "--primary",
                required = true,
                paramLabel = "DATABASE",
                description = "The primary database, AGENT:PORT as 'understudy databases' lists it.")
        String primary = "";

        @Option(
                names = "--standby",
                required = true,
                paramLabel = "AGENT:DATA_DIRECTORY:PORT",
                converter = StandbyTargetArgument.class,
                description = {
                    "Where the standby goes: the agent of its host, the data directory there, and the port it will"
                            + " listen on. The directory may contain ':'; the agent ends at the first ':' and the port"
                            + " starts after the last."
                })
        @Nullable
        StandbyTarget standby;

        @Option(
                names = "--method",
                paramLabel = "METHOD",
                defaultValue = "wal-streaming",
                description = {
                    "How the standby is fed: wal-streaming (a replication connection to the primary, through a"
                            + " slot) or wal-shipping (WAL files shipped by the agents, replayed by a waiting"
                            + " restore_command; no replication connection after the base backup). Default:"
                            + " ${DEFAULT-VALUE}."
                })
        String method = "wal-streaming";

        @Option(
                names = "--archive-timeout",
                paramLabel = "SECONDS",
                description = {
                    "wal-shipping only: the primary's archive_timeout, 1 to 86400 seconds (default 60). It bounds"
                            + " how stale the standby may be on a quiet primary: a WAL file is shipped at least this"
                            + " often, even when little is written. Lower means fresher, at the cost of more,"
                            + " mostly empty, 16 MB WAL files. Change it later with 'understudy config set'."
                })
        @Nullable
        Integer archiveTimeout;

        @Option(
                names = "--mode",
                required = true,
                paramLabel = "hot|warm",
                description = "hot: the standby takes read-only queries; warm: it takes no connections, only replays.")
        String mode = "";

        @Option(names = "--json", description = "Print the API's JSON instead of the configuration's fields.")
        boolean json;

        Create(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            if (standby == null) {
                throw new IllegalStateException("picocli did not set the required --standby");
            }
            JsonNode created;
            try {
                created = client.createConfigurationJson(
                        new ConfigurationRequest(name, primary, standby, method, mode, archiveTimeout));
            } catch (ApiException e) {
                throw namingTheFlag(e);
            }
            if (json) {
                out.print(JsonOutput.pretty(created));
                return ExitCodes.OK;
            }
            ConfigurationView view = ApiClient.read(created, ConfigurationView.class);
            out.println("Created configuration " + view.name() + ".");
            out.print(ConfigurationViews.show(view, context.clock().getZone()));
            out.println();
            out.println("Create its standby with 'understudy standby create " + view.name() + "'.");
            return ExitCodes.OK;
        }
    }

    /**
     * A 400 about one field of the request, told in the words of the command line: {@code --mode:
     * MESSAGE} for the field {@code mode}. Anything else as it is.
     */
    static RuntimeException namingTheFlag(ApiException e) {
        return ClientCommand.namingTheField(e, f -> {
            if (f.equals("name")) {
                return "NAME";
            } else if (f.equals("standby") || f.startsWith("standby.")) {
                return "--standby";
            } else if (List.of("primary", "method", "mode").contains(f)) {
                return "--" + f;
            } else if (f.equals("archiveTimeoutSeconds")) {
                return "--archive-timeout";
            }
            return null;
        });
    }

    /** {@code understudy config list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the configurations: primary, standby target, method, mode, epoch, and whether the"
                    + " standby has been created.")
    static final class ListCommand extends ClientCommand {
        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;

        ListCommand(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            JsonNode tree = client.configurationsJson();
            if (json) {
                out.print(JsonOutput.pretty(tree));
                return ExitCodes.OK;
            }
            List<ConfigurationView> configurations = ApiClient.read(tree, ApiClient.configurationList());
            if (configurations.isEmpty()) {
                out.println("No configurations yet; create one with 'understudy config create'.");
                return ExitCodes.OK;
            }
            out.print(ConfigurationViews.list(configurations).render());
            return ExitCodes.OK;
        }
    }

    /** {@code understudy config show NAME}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one configuration.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The configuration's name.")
        String name = "";

        @Option(names = "--json", description = "Print the API's JSON instead of the configuration's fields.")
        boolean json;

        Show(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            JsonNode tree = client.configurationJson(name);
            if (json) {
                out.print(JsonOutput.pretty(tree));
                return ExitCodes.OK;
            }
            out.print(ConfigurationViews.show(
                    ApiClient.read(tree, ConfigurationView.class),
                    context.clock().getZone()));
            return ExitCodes.OK;
        }
    }

    /** {@code understudy config set NAME --archive-timeout SECONDS}. */
    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = {
                "Changes a setting of a configuration; the others keep their values.",
                "",
                "Example:",
                "  understudy config set archive --archive-timeout 30"
            })
    static final class Set extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The configuration's name.")
        String name = "";

        @Option(
                names = "--archive-timeout",
                required = true,
                paramLabel = "SECONDS",
                description = {
                    "wal-shipping only: the primary's archive_timeout, 1 to 86400 seconds. It bounds how stale"
                            + " the standby may be on a quiet primary: a WAL file is shipped at least this often."
                            + " The primary's agent applies it with a reload (no restart)."
                })
        int archiveTimeout;

        @Option(names = "--json", description = "Print the API's JSON instead of the configuration's fields.")
        boolean json;

        Set(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            JsonNode changed;
            try {
                changed = client.changeConfigurationJson(name, new ConfigurationChange(archiveTimeout));
            } catch (ApiException e) {
                throw namingTheFlag(e);
            }
            if (json) {
                out.print(JsonOutput.pretty(changed));
                return ExitCodes.OK;
            }
            out.println("Changed configuration " + name + ".");
            out.print(ConfigurationViews.show(
                    ApiClient.read(changed, ConfigurationView.class),
                    context.clock().getZone()));
            return ExitCodes.OK;
        }
    }

    /** {@code understudy config delete NAME}. */
    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = {
                "Deletes a configuration from the Control Center.",
                "",
                "Refused (exit code 5) while an operation runs on it."
            })
    static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The configuration's name.")
        String name = "";

        Delete(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            client.deleteConfiguration(name);
            out.println("Deleted configuration " + name + ".");
            return ExitCodes.OK;
        }
    }
}
