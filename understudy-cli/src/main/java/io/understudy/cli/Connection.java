package io.understudy.cli;

import io.understudy.cli.Connections.Login;
import io.understudy.cli.Connections.NeedPassword;
import io.understudy.cli.Connections.Saved;
import io.understudy.cli.Connections.Target;
import io.understudy.cli.client.ApiClient;
import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.Secret;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ApiClient} holding a session for one command. A session opened just for this call
 * (a user and password were given) is logged out again when the connection closes, so one-off
 * calls leave no sessions behind; the saved session is left as it is.
 */
final class Connection implements AutoCloseable {
    private final ApiClient client;
    private final boolean ownSession;

    private Connection(ApiClient client, boolean ownSession) {
        this.client = client;
        this.ownSession = ownSession;
    }

    /**
     * Opens a session for {@code target}: logs in, or takes the saved token.
     *
     * @throws CliException NOT_LOGGED_IN when a password is needed and there is no one to ask
     */
    static Connection open(Target target, Prompt prompt) {
        ApiClient anonymous = ApiClient.anonymous(target.url());
        if (target instanceof Saved saved) {
            return new Connection(anonymous.withToken(saved.session().token()), false);
        }
        if (target instanceof Login login) {
            return logIn(anonymous, login.user(), login.password());
        }
        NeedPassword need = (NeedPassword) target;
        Secret password = askPassword(prompt, need.user(), target.url().toString());
        if (password == null) {
            throw new CliException(
                    ExitCodes.NOT_LOGGED_IN,
                    "no password for " + need.user() + ": give --password-file FILE, set " + Connections.ENV_PASSWORD
                            + ", or run 'understudy login --url " + need.url() + "'");
        }
        return logIn(anonymous, need.user(), password);
    }

    /**
     * Asks for a password on the console.
     *
     * @return null when there is no console
     * @throws CliException USAGE when the answer is empty
     */
    static @Nullable Secret askPassword(Prompt prompt, String user, String url) {
        return askSecret(prompt, "Password for " + user + " at " + url + ": ");
    }

    /**
     * Asks for a secret on the console after {@code text}, not echoed.
     *
     * @return null when there is no console
     * @throws CliException USAGE when the answer is empty
     */
    static @Nullable Secret askSecret(Prompt prompt, String text) {
        char[] typed = prompt.readPassword(text);
        if (typed == null) {
            return null;
        }
        try {
            if (typed.length == 0) {
                throw new CliException(ExitCodes.USAGE, "no password given");
            }
            return Secret.of(new String(typed));
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    ApiClient client() {
        return client;
    }

    @Override
    public void close() {
        if (ownSession) {
            try {
                client.logout();
            } catch (UnderstudyException e) {
                // best effort: the session expires on its own
            }
        }
    }

    private static Connection logIn(ApiClient anonymous, String user, Secret password) {
        return new Connection(
                anonymous.withToken(anonymous.login(user, password).token()), true);
    }
}
