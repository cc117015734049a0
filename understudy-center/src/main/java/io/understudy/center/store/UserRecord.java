package io.understudy.center.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user of the web UI, the CLI and the REST API.
 *
 * @param name unique login name
 * @param passwordHash the encoded password hash (algorithm, iterations, salt, hash); never the password
 * @param role {@code admin} or {@code viewer}
 * @param language the user's UI language, {@code en} or {@code ja}; null until the user chooses one
 * @param createdAt when the user was created
 */
public record UserRecord(String name, String passwordHash, String role, @Nullable String language, Instant createdAt) {
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    @Override
    public String toString() {
        return "UserRecord[name=" + name + ", role=" + role + ", language=" + language + ", createdAt=" + createdAt
                + "]";
    }
}
