package io.understudy.core.api;

/**
 * The caller of {@code GET /api/v1/session}: who is logged in, with which role and language.
 *
 * @param user the user's name
 * @param role {@code admin} or {@code viewer}
 * @param language the user's language for the web UI, e.g. {@code en} or {@code ja}
 */
public record SessionView(String user, String role, String language) {}
