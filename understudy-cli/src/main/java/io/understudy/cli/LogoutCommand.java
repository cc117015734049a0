package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.session.Session;
import io.understudy.core.UnderstudyException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code understudy logout}: ends the saved session and removes it. */
@Command(
        name = "logout",
        mixinStandardHelpOptions = true,
        description =
                "Ends the saved session at the Control Center (when it answers) and removes it from this computer.")
final class LogoutCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    @Nullable
    CommandSpec spec;

    LogoutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CommandLine commandLine = commandLine();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        Optional<Session> saved;
        try {
            saved = context.sessions().read();
        } catch (UnderstudyException e) {
            saved = Optional.empty(); // unreadable: removing it is all there is to do
        }
        if (saved.isPresent()) {
            Session session = saved.get();
            try {
                ApiClient.anonymous(ApiClient.parseUrl(session.url()))
                        .withToken(session.token())
                        .logout();
            } catch (ApiException e) {
                if (e.status() != 401) { // 401: it had already ended
                    warnNotTold(err, e);
                }
            } catch (UnderstudyException | IllegalArgumentException e) {
                warnNotTold(err, e);
            }
        }
        boolean removed = context.sessions().delete();
        if (saved.isPresent()) {
            out.println("Logged out of " + saved.get().url() + ".");
        } else if (removed) {
            out.println("Removed the saved session.");
        } else {
            out.println("Not logged in.");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void warnNotTold(PrintWriter err, RuntimeException e) {
        err.println(
                "warning: the Control Center was not told (" + e.getMessage() + "); the session ends when it expires");
        err.flush();
    }

    private CommandLine commandLine() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec.commandLine();
    }
}
