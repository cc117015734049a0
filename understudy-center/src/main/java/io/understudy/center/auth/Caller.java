package io.understudy.center.auth;

/**
 * The user behind an authenticated request.
 *
 * @param user the user's name
 * @param role {@code admin} or {@code viewer}
 * @param language the user's UI language
 * @param sessionTokenHash the hash of the session token the request carried, to end it at logout
 */
public record Caller(String user, String role, String language, String sessionTokenHash) {
    @Override
    public String toString() {
        return "Caller[user=" + user + ", role=" + role + "]";
    }
}
