package io.understudy.core.api;

import io.understudy.core.protocol.Secret;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A new session.
 *
 * @param user the user's name
 * @param role {@code admin} or {@code viewer}
 * @param token bearer token for {@code Authorization: Bearer}; also set as a cookie
 * @param expiresAt when the session ends unless used again
 * @param language the user's language for the web UI; null until the user chooses one
 * @param csrfToken the header {@code X-CSRF-Token} that requests with the cookie must carry to change
 *     something (see {@link SessionView#csrfToken()})
 */
public record LoginReply(
        String user, String role, Secret token, Instant expiresAt, @Nullable String language, String csrfToken) {
    @Override
    public String toString() {
        return "LoginReply[user=" + user + ", role=" + role + ", expiresAt=" + expiresAt + "]";
    }
}
