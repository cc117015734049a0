package io.understudy.core.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user as {@code GET /api/v1/users} shows it; never with a password or its hash.
 *
 * @param name the login name
 * @param role {@code admin} or {@code viewer}
 * @param language the user's language for the web UI; null until the user chooses one
 * @param createdAt when the user was added
 */
public record UserView(String name, String role, @Nullable String language, Instant createdAt) {}
