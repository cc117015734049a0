package io.understudy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.ObserverViews;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code understudy observer NAME [--enable|--disable] [--action notify|failover] [--interval
 * DURATION] [--checks N] [--max-lag BYTES]}: shows, or changes, how the observer watches a
 * configuration's primary.
 */
@Command(
        name = "observer",
        mixinStandardHelpOptions = true,
        description = {
            "Shows how the observer watches a configuration's primary; with options, changes it (needs an admin).",
            "",
            "After --checks failed checks in a row, --interval apart, and confirmed by the standby's agent, the"
                    + " observer takes the emergency action: notify (record an event, change nothing) or failover"
                    + " (promote the standby). It is off until you enable it. Settings not given stay as they are.",
            "",
            "Example:",
            "  understudy observer sales --enable --action failover --interval 500ms --checks 3 --max-lag 16MB"
        })
final class ObserverCommand extends ClientCommand {
    /** The flag of each field the Control Center may refuse. */
    private static final Map<String, String> FLAGS = Map.of(
            "enabled", "--enable",
            "action", "--action",
            "intervalMillis", "--interval",
            "checks", "--checks",
            "maxLagBytes", "--max-lag",
            "autoReinstate", "--auto-reinstate");

    @Parameters(index = "0", paramLabel = "NAME", description = "The configuration's name.")
    String name = "";

    static final class Switch {
        @Option(names = "--enable", description = "Watch the primary.")
        boolean enable;

        @Option(names = "--disable", description = "Stop watching the primary.")
        boolean disable;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    @Nullable
    Switch onOff;

    @Option(
            names = "--action",
            paramLabel = "notify|failover",
            description = "The emergency action: notify (record an event and alert) or failover (promote the standby).")
    @Nullable
    String action;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            converter = DurationArgument.class,
            description = "Time between checks, at least 100ms (default 500ms), e.g. 500ms or 2s.")
    @Nullable
    Duration interval;

    @Option(
            names = "--checks",
            paramLabel = "N",
            description = "Failed checks in a row that declare the primary failed, at least 1 (default 3).")
    @Nullable
    Integer checks;

    @Option(
            names = "--max-lag",
            paramLabel = "BYTES",
            converter = ByteSizeArgument.class,
            description = "The largest lag at which the standby may still be promoted automatically; beyond it, notify"
                    + " only (default 16MB). Bytes, or with kB, MB, GB (1024-based).")
    @Nullable
    Long maxLag;

    @Option(
            names = "--auto-reinstate",
            negatable = true,
            description = "After an automatic failover, reinstate the old primary by itself when its host returns"
                    + " (default off).")
    @Nullable
    Boolean autoReinstate;

    @Option(names = "--json", description = "Print the API's JSON instead of the settings.")
    boolean json;

    ObserverCommand(CliContext context) {
        super(context);
    }

    @Override
    void validate() {
        if (action != null && ObserverAction.parse(action).isEmpty()) {
            throw new ParameterException(commandLine(), "--action must be notify or failover, got '" + action + "'");
        }
    }

    private boolean changes() {
        return onOff != null
                || action != null
                || interval != null
                || checks != null
                || maxLag != null
                || autoReinstate != null;
    }

    @Override
    int run(ApiClient client, PrintWriter out) {
        if (!changes()) {
            JsonNode tree = client.observerJson(name);
            if (json) {
                out.print(JsonOutput.pretty(tree));
            } else {
                out.print(ObserverViews.show(name, ApiClient.read(tree, ObserverSettings.class)));
            }
            return ExitCodes.OK;
        }
        ObserverSettings changed = merged(client.observer(name));
        JsonNode tree;
        try {
            tree = client.setObserverJson(name, changed);
        } catch (ApiException e) {
            throw namingTheField(e, FLAGS::get);
        }
        if (json) {
            out.print(JsonOutput.pretty(tree));
            return ExitCodes.OK;
        }
        out.println("Changed.");
        out.print(ObserverViews.show(name, ApiClient.read(tree, ObserverSettings.class)));
        return ExitCodes.OK;
    }

    /** {@code current} with the settings given on the command line. */
    ObserverSettings merged(ObserverSettings current) {
        return new ObserverSettings(
                onOff == null ? current.enabled() : onOff.enable,
                action == null ? current.action() : ObserverAction.parse(action).orElseThrow(),
                interval == null ? current.intervalMillis() : interval.toMillis(),
                checks == null ? current.checks() : checks,
                maxLag == null ? current.maxLagBytes() : maxLag,
                autoReinstate == null ? current.autoReinstate() : autoReinstate);
    }
}
