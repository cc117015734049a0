package io.understudy.cli.session;

import io.understudy.core.protocol.Secret;

/**
 * A session saved by {@code understudy login}. Its {@link #toString()} masks the token.
 *
 * @param url the Control Center's base URL, as {@code ApiClient.parseUrl} returns it
 * @param user the user's name
 * @param token the bearer token of the session
 */
public record Session(String url, String user, Secret token) {}
