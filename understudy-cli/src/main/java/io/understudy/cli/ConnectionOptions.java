package io.understudy.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The connection flags every client command shares (a picocli mixin). Each one has an
 * environment variable under it, and the saved session under both; see {@link Connections}.
 */
public final class ConnectionOptions {
    @Option(names = "--url", paramLabel = "URL", description = "The Control Center's URL (env UNDERSTUDY_URL).")
    @Nullable
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "The user to log in as (env UNDERSTUDY_USER).")
    @Nullable
    String user;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "File whose first line is the password (env UNDERSTUDY_PASSWORD holds the password itself).")
    @Nullable
    Path passwordFile;

    public ConnectionOptions() {}

    ConnectionOptions(@Nullable String url, @Nullable String user, @Nullable Path passwordFile) {
        this.url = url;
        this.user = user;
        this.passwordFile = passwordFile;
    }
}
