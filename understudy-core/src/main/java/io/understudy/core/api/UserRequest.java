package io.understudy.core.api;

import io.understudy.core.protocol.Secret;

/**
 * Body of {@code POST /api/v1/users}: a new user.
 *
 * @param name the login name: letters, digits, {@code . _ -}, at most 64 characters
 * @param password the password, at least 8 characters
 * @param role {@code admin} (may change everything) or {@code viewer} (sees everything, changes
 *     nothing)
 */
public record UserRequest(String name, Secret password, String role) {}
