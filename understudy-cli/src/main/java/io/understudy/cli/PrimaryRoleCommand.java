package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.output.OperationViews;
import io.understudy.cli.output.Times;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code understudy switchover|failover|reinstate NAME}: starts the operation that moves the
 * primary role and follows it to its end, with its steps on stderr, as {@code standby create}
 * does.
 */
abstract class PrimaryRoleCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The configuration's name.")
    String name = "";

    @Option(names = "--no-wait", description = "Print the operation's id and return at once, without following it.")
    boolean noWait;

    PrimaryRoleCommand(CliContext context) {
        super(context);
    }

    /** The API's action: {@code switchover}, {@code failover} or {@code reinstate}. */
    abstract String action();

    /** What the command does, for its messages: {@code Switching over}, ... */
    abstract String doing();

    /** What it did: {@code Switched over}, ... */
    abstract String done();

    boolean confirmed() {
        return false;
    }

    @Override
    int run(ApiClient client, PrintWriter out) {
        PrintWriter err = commandLine().getErr();
        OperationAccepted accepted;
        try {
            accepted = client.moveThePrimaryRole(name, action(), confirmed());
        } catch (ApiException e) {
            if (StandbyCommand.CONFIRMATION_REQUIRED.equals(e.error().code())) {
                String message = Objects.requireNonNullElse(e.getMessage(), "this needs a confirmation")
                        .strip();
                throw new CliException(
                        ExitCodes.of(e),
                        message + (message.endsWith(".") ? "" : ".") + " Nothing was changed; to go ahead, run"
                                + " 'understudy " + action() + " " + name + " --yes'.",
                        e);
            }
            throw e;
        }
        String id = accepted.operationId();
        if (noWait) {
            out.println(id);
            return ExitCodes.OK;
        }
        err.println(doing() + " " + accepted.configuration() + ": operation " + id
                + ". Ctrl-C stops following; the operation goes on.");
        err.flush();
        ProgressPrinter printer = new ProgressPrinter(err, false, 80);
        OperationView last = new OperationFollower(
                        client::operation, context.clock(), OperationFollower.Sleeper.system(), printer)
                .follow(id);
        if (last.state().equals(OperationViews.SUCCEEDED)) {
            StringBuilder line = new StringBuilder(done() + ": " + last.configuration());
            if (last.endedAt() != null) {
                line.append(" in ").append(Times.duration(Duration.between(last.startedAt(), last.endedAt())));
            }
            String message = last.message();
            line.append(message == null || message.isBlank() ? "." : ": " + message);
            out.println(line);
            return ExitCodes.OK;
        }
        err.println(action() + " failed: " + OperationViews.failure(last));
        err.println("Details: 'understudy operation show " + id + "' and 'understudy status " + name + "'.");
        return ExitCodes.FAILURE;
    }

    /** {@code understudy switchover NAME}. */
    @Command(
            name = "switchover",
            mixinStandardHelpOptions = true,
            description = {
                "Switches the primary role over to the standby, with no acknowledged write lost: checkpoints the"
                        + " primary and shuts it down cleanly, promotes the standby once it has replayed the"
                        + " primary's shutdown checkpoint (the epoch grows by one), then restarts the old primary"
                        + " as the new primary's standby and checks that it streams.",
                "",
                "Refused, changing nothing, when the standby is not in sync (down, not streaming, or lagging more"
                        + " than 16 MiB; exit code 5). Run it again to switch back. Clients that connect with both"
                        + " hosts and target_session_attrs=read-write find the new primary by themselves."
            })
    static final class Switchover extends PrimaryRoleCommand {
        Switchover(CliContext context) {
            super(context);
        }

        @Override
        String action() {
            return "switchover";
        }

        @Override
        String doing() {
            return "Switching over";
        }

        @Override
        String done() {
            return "Switched over";
        }
    }

    /** {@code understudy failover NAME --yes}. */
    @Command(
            name = "failover",
            mixinStandardHelpOptions = true,
            description = {
                "Promotes the standby whatever the state of the primary, for when the primary is lost. The epoch"
                        + " grows by one and the old primary is FENCED: its agent, if it comes back, keeps it"
                        + " stopped and never starts it as a primary, until 'understudy reinstate NAME'. Writes that"
                        + " had not reached the standby are lost.",
                "",
                "Needs --yes; without it nothing changes and the command says what would happen (exit code 5)."
            })
    static final class Failover extends PrimaryRoleCommand {
        @Option(names = "--yes", description = "Confirm the failover.")
        boolean yes;

        Failover(CliContext context) {
            super(context);
        }

        @Override
        String action() {
            return "failover";
        }

        @Override
        boolean confirmed() {
            return yes;
        }

        @Override
        String doing() {
            return "Failing over";
        }

        @Override
        String done() {
            return "Failed over";
        }
    }

    /** {@code understudy reinstate NAME}. */
    @Command(
            name = "reinstate",
            mixinStandardHelpOptions = true,
            description = {
                "Brings the FENCED old primary of a failed-over configuration back as the standby of the new"
                        + " primary: rewinds it with pg_rewind (or, when it cannot be rewound, copies it again with"
                        + " a base backup and says why), starts it and checks that it streams.",
                "",
                "Refused when nothing was failed over (exit code 5)."
            })
    static final class Reinstate extends PrimaryRoleCommand {
        Reinstate(CliContext context) {
            super(context);
        }

        @Override
        String action() {
            return "reinstate";
        }

        @Override
        String doing() {
            return "Reinstating the old primary of";
        }

        @Override
        String done() {
            return "Reinstated";
        }
    }
}
