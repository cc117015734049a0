package io.understudy.center.auth;

import io.understudy.center.store.UserRecord;
import org.jspecify.annotations.Nullable;

/**
 * The user behind an authenticated request.
 *
 * @param user the user's name
 * @param role {@code admin} or {@code viewer}
 * @param language the user's UI language; null until the user chooses one
 * @param sessionTokenHash the hash of the session token the request carried, to end it at logout
 * @param csrfToken the session's CSRF token ({@link Tokens#csrfToken}), for the web UI
 */
public record Caller(String user, String role, @Nullable String language, String sessionTokenHash, String csrfToken) {

    /** Whether the role is admin: may change things, not only see them. */
    public boolean isAdmin() {
        return UserRecord.ADMIN.equals(role);
    }

    @Override
    public String toString() {
        return "Caller[user=" + user + ", role=" + role + "]";
    }
}
