package io.understudy.center.api;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every API route declares exactly one; {@link ApiServer} checks {@link
 * #USER} and {@link #ADMIN} before the route runs, and the routes marked {@link #AGENT} check the
 * agent's token themselves. A viewer sees everything and changes nothing: every route that changes
 * something is {@link #ADMIN}, but for a user's own session, password and language.
 */
public enum Access implements RouteRole {
    /** Anyone: login, enrolment (which checks the passphrase), the OpenAPI description. */
    PUBLIC,
    /** An enrolled agent with its bearer token. */
    AGENT,
    /**
     * A logged-in user, by session cookie or bearer token, of any role: to read, and to change only
     * what is the user's own (logging out, their password, their language).
     */
    USER,
    /** A logged-in user whose role is {@code admin}; others get 403 {@code forbidden}. */
    ADMIN
}
