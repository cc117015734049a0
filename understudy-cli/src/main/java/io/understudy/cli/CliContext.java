package io.understudy.cli;

import io.understudy.cli.session.SessionStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

/**
 * Everything the commands take from the process, passed in so tests and in-process callers can
 * set it: the environment variables, the config directory holding {@code session.json}, the
 * clock (and its zone, used to show times) and the console.
 *
 * @param env environment variables, e.g. {@code UNDERSTUDY_URL}
 * @param configDir where the session file lives
 * @param clock now, and the zone times are shown in
 * @param prompt who to ask for a missing user or password
 */
public record CliContext(Map<String, String> env, Path configDir, Clock clock, Prompt prompt) {
    public CliContext {
        env = Map.copyOf(env);
    }

    /** The real process: its environment, the user's config directory, the system clock, the console. */
    public static CliContext system() {
        Map<String, String> env = System.getenv();
        return of(env, SessionStore.defaultDirectory(env, Path.of(System.getProperty("user.home"))));
    }

    /** {@code env} and {@code configDir}, with the system clock and the console. */
    public static CliContext of(Map<String, String> env, Path configDir) {
        return new CliContext(env, configDir, Clock.system(ZoneId.systemDefault()), Prompt.console());
    }

    SessionStore sessions() {
        return new SessionStore(configDir);
    }
}
