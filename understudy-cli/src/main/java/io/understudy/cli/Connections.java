package io.understudy.cli;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.session.Session;
import io.understudy.core.SecretFiles;
import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a command connects and as whom. Each value comes from the first source that has
 * it: the flag, then the environment variable, then the saved session. A user and a password
 * (from anywhere but the session) mean "log in for this one call"; otherwise the saved session is
 * used, but only when it matches the URL and user asked for, so a token is never sent to another
 * Control Center than the one that issued it.
 *
 * <p>Pure apart from reading {@code --password-file}: the environment and the saved session are
 * arguments.
 */
final class Connections {
    static final String DEFAULT_URL = "http://127.0.0.1:7800";
    static final String ENV_URL = "UNDERSTUDY_URL";
    static final String ENV_USER = "UNDERSTUDY_USER";
    static final String ENV_PASSWORD = "UNDERSTUDY_PASSWORD";

    /** Where and how a client command connects. */
    sealed interface Target permits Login, Saved, NeedPassword {
        URI url();
    }

    /** Log in as {@code user} for this call only. */
    record Login(URI url, String user, Secret password) implements Target {}

    /** Use the saved session's token. */
    record Saved(URI url, Session session) implements Target {}

    /** A user is known but no password: ask for it, or fail. */
    record NeedPassword(URI url, String user) implements Target {}

    /** What {@code understudy login} knows before it asks the console for the rest. */
    record LoginTarget(URI url, @Nullable String user, @Nullable Secret password) {}

    private Connections() {}

    /**
     * The target of a client command.
     *
     * @param saved the saved session; read only when the flags and environment are not enough
     * @throws CliException USAGE for a malformed URL or unreadable password file, NOT_LOGGED_IN
     *     when nothing says where to connect or as whom
     */
    static Target resolve(ConnectionOptions flags, Map<String, String> env, Supplier<Optional<Session>> saved) {
        @Nullable URI url = explicitUrl(flags, env);
        @Nullable String user = firstNonBlank(flags.user, env.get(ENV_USER));
        @Nullable Secret password = password(flags, env);
        if (user != null && password != null) {
            return new Login(url != null ? url : defaultUrl(), user, password);
        }
        Optional<Session> session = saved.get();
        if (session.isPresent()) {
            Session s = session.get();
            URI savedUrl = savedUrl(s);
            if ((url == null || url.equals(savedUrl)) && (user == null || user.equals(s.user()))) {
                return new Saved(savedUrl, s);
            }
        }
        if (user != null) {
            return new NeedPassword(url != null ? url : defaultUrl(), user);
        }
        throw notLoggedIn(url);
    }

    /**
     * What {@code understudy login} knows: URL from the flag, the environment, the saved session,
     * else the default; user from the flag, the environment, else the saved session's when it is
     * for the same URL; password from the file or the environment. A saved session that cannot be
     * read is ignored here, since logging in again is how one replaces it.
     */
    static LoginTarget resolveLogin(
            ConnectionOptions flags, Map<String, String> env, Supplier<Optional<Session>> saved) {
        @Nullable URI url = explicitUrl(flags, env);
        @Nullable String user = firstNonBlank(flags.user, env.get(ENV_USER));
        @Nullable Secret password = password(flags, env);
        if (url == null || user == null) {
            Optional<Session> session = readQuietly(saved);
            if (session.isPresent()) {
                Optional<URI> savedUrl = parseQuietly(session.get().url());
                if (url == null && savedUrl.isPresent()) {
                    url = savedUrl.get();
                }
                if (user == null && savedUrl.isPresent() && savedUrl.get().equals(url)) {
                    user = session.get().user();
                }
            }
        }
        return new LoginTarget(url != null ? url : defaultUrl(), user, password);
    }

    /**
     * The password in {@code file}: its first line without surrounding white space, read as every
     * Understudy command reads a secret file ({@link SecretFiles}), so a file that works for the
     * Control Center's {@code --admin-password-file} works here too.
     *
     * @throws CliException USAGE when the file cannot be read or its first line is empty
     */
    static Secret readPasswordFile(Path file) {
        try {
            return SecretFiles.readFirstLine(file, "password");
        } catch (UnderstudyException e) {
            throw new CliException(ExitCodes.USAGE, "--password-file: " + e.getMessage(), e);
        }
    }

    static CliException notLoggedIn(@Nullable URI url) {
        if (url == null) {
            return new CliException(
                    ExitCodes.NOT_LOGGED_IN,
                    "not logged in: run 'understudy login --url URL' or set " + ENV_URL + "/" + ENV_USER + "/"
                            + ENV_PASSWORD);
        }
        return new CliException(
                ExitCodes.NOT_LOGGED_IN,
                "not logged in to " + url + ": run 'understudy login --url " + url + "' or set " + ENV_USER + "/"
                        + ENV_PASSWORD);
    }

    private static @Nullable URI explicitUrl(ConnectionOptions flags, Map<String, String> env) {
        if (flags.url != null) {
            return parseUrl(flags.url, "--url");
        }
        String fromEnv = env.get(ENV_URL);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parseUrl(fromEnv, ENV_URL);
        }
        return null;
    }

    private static @Nullable Secret password(ConnectionOptions flags, Map<String, String> env) {
        if (flags.passwordFile != null) {
            return readPasswordFile(flags.passwordFile);
        }
        String fromEnv = env.get(ENV_PASSWORD);
        return fromEnv == null || fromEnv.isEmpty() ? null : Secret.of(fromEnv);
    }

    private static URI parseUrl(String text, String source) {
        try {
            return ApiClient.parseUrl(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, source + ": " + e.getMessage(), e);
        }
    }

    private static URI savedUrl(Session session) {
        try {
            return ApiClient.parseUrl(session.url());
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCodes.NOT_LOGGED_IN,
                    "the saved session has a bad URL (" + e.getMessage() + "): run 'understudy login --url URL' again",
                    e);
        }
    }

    private static URI defaultUrl() {
        return URI.create(DEFAULT_URL);
    }

    private static Optional<Session> readQuietly(Supplier<Optional<Session>> saved) {
        try {
            return saved.get();
        } catch (UnderstudyException e) {
            return Optional.empty();
        }
    }

    private static Optional<URI> parseQuietly(String url) {
        try {
            return Optional.of(ApiClient.parseUrl(url));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static @Nullable String firstNonBlank(@Nullable String flag, @Nullable String fromEnv) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : null;
    }
}
