package io.understudy.core.api;

import io.understudy.core.protocol.Secret;

/**
 * Body of {@code PUT /api/v1/users/{name}/password}.
 *
 * @param currentPassword the caller's own current password, to confirm that the session's owner
 *     asks (also when an admin sets another user's password)
 * @param password the new password, at least 8 characters
 */
public record PasswordChange(Secret currentPassword, Secret password) {}
