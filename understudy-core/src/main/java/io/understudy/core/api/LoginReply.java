package io.understudy.core.api;

import io.understudy.core.protocol.Secret;
import java.time.Instant;

/**
 * A new session.
 *
 * @param user the user's name
 * @param role {@code admin} or {@code viewer}
 * @param token bearer token for {@code Authorization: Bearer}; also set as a cookie
 * @param expiresAt when the session ends unless used again
 */
public record LoginReply(String user, String role, Secret token, Instant expiresAt) {}
