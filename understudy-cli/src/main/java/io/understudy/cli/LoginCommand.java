package io.understudy.cli;

import io.understudy.cli.Connections.LoginTarget;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.session.Session;
import io.understudy.core.api.LoginReply;
import io.understudy.core.protocol.Secret;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code understudy login}: opens a session and saves it for the next commands. */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = {
            "Logs in to the Control Center and saves the session for the next commands.",
            "",
            "The session is kept in session.json in the config directory ($UNDERSTUDY_CONFIG_DIR, else"
                    + " $XDG_CONFIG_HOME/understudy, else ~/.config/understudy), readable by you only. The password"
                    + " is asked on the console unless --password-file or UNDERSTUDY_PASSWORD gives it."
        })
final class LoginCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    @Nullable
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    LoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        LoginTarget target = Connections.resolveLogin(
                connection, context.env(), () -> context.sessions().read());
        URI url = target.url();
        String known = target.user();
        String user = known != null ? known : askUser();
        Secret given = target.password();
        Secret password = given != null ? given : askPassword(user, url);

        LoginReply reply = ApiClient.anonymous(url).login(user, password);
        context.sessions().write(new Session(url.toString(), reply.user(), reply.token()));

        PrintWriter out = out();
        out.println("Logged in to " + url + " as " + reply.user() + ".");
        out.flush();
        return ExitCodes.OK;
    }

    private String askUser() {
        String typed = context.prompt().readLine("User: ");
        if (typed == null || typed.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no user: give --user USER or set " + Connections.ENV_USER);
        }
        return typed.strip();
    }

    private Secret askPassword(String user, URI url) {
        Secret typed = Connection.askPassword(context.prompt(), user, url.toString());
        if (typed == null) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "no password: give --password-file FILE or set " + Connections.ENV_PASSWORD
                            + " (there is no console to ask on)");
        }
        return typed;
    }

    private PrintWriter out() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec.commandLine().getOut();
    }
}
