package io.understudy.center.store;

import java.time.Instant;

/**
 * A user's login session, known by the hash of its bearer token.
 *
 * @param tokenHash hex SHA-256 of the session token; the token itself is never stored
 * @param user the user's name
 * @param createdAt when the user logged in
 * @param lastUsedAt when the session was last used (updated at most once a minute)
 * @param expiresAt when it ends unless used again
 */
public record SessionRecord(String tokenHash, String user, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {
    @Override
    public String toString() {
        return "SessionRecord[user=" + user + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt + "]";
    }
}
