package io.understudy.core.api;

import org.jspecify.annotations.Nullable;

/**
 * The caller of {@code GET /api/v1/session}: who is logged in, with which role and language.
 *
 * @param user the user's name
 * @param role {@code admin} or {@code viewer}
 * @param language the user's language for the web UI, {@code en} or {@code ja}; null until the user
 *     chooses one (the web UI then follows the browser's language)
 * @param csrfToken what a client that sends the session cookie must send as the header {@code
 *     X-CSRF-Token} with every request that changes something; clients sending {@code
 *     Authorization: Bearer} need none
 */
public record SessionView(String user, String role, @Nullable String language, String csrfToken) {
    @Override
    public String toString() {
        return "SessionView[user=" + user + ", role=" + role + ", language=" + language + "]";
    }
}
