package io.understudy.center.api;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every API route declares exactly one; {@link ApiServer} checks {@link
 * #USER} before the route runs, and the routes marked {@link #AGENT} check the agent's token
 * themselves.
 */
public enum Access implements RouteRole {
    /** Anyone: login, enrolment (which checks the passphrase), the OpenAPI description. */
    PUBLIC,
    /** An enrolled agent with its bearer token. */
    AGENT,
    /** A logged-in user, by session cookie or bearer token. */
    USER
}
