package io.understudy.center.api;

import io.javalin.http.Context;
import io.understudy.center.auth.Caller;
import io.understudy.center.auth.Sessions;
import io.understudy.center.store.UserRecord;
import io.understudy.core.protocol.Secret;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Finds the caller of a request: a user session from {@code Authorization: Bearer} or the {@code
 * understudy_session} cookie, checked before every {@link Access#USER} route.
 */
final class Authentication {
    /** The session cookie's name. */
    static final String COOKIE = "understudy_session";

    private static final String CALLER = "io.understudy.center.api.caller";
    private static final String BEARER = "bearer ";

    private final Sessions sessions;

    Authentication(Sessions sessions) {
        this.sessions = sessions;
    }

    /**
     * Before-handler: requires a live user session on {@link Access#USER} routes, and one of a user
     * whose role is admin on {@link Access#ADMIN} routes.
     */
    void check(Context ctx) {
        boolean admin = ctx.routeRoles().contains(Access.ADMIN);
        if (!admin && !ctx.routeRoles().contains(Access.USER)) {
            return;
        }
        Secret token = sessionToken(ctx)
                .orElseThrow(() -> ApiException.unauthorized(
                        "this needs a user session: log in first (POST /api/v1/login), then send the"
                                + " understudy_session cookie or Authorization: Bearer <token>"));
        Caller caller = sessions.authenticate(token)
                .orElseThrow(() -> ApiException.unauthorized("the session has ended or is not valid; log in again"));
        ctx.attribute(CALLER, caller);
        MDC.put("user", caller.user());
        if (admin) {
            requireAdmin(caller);
        }
    }

    /** Refuses with 403 unless {@code caller}'s role is admin. */
    static void requireAdmin(Caller caller) {
        if (!UserRecord.ADMIN.equals(caller.role())) {
            throw ApiException.forbidden(
                    "this needs an admin session; user " + caller.user() + " has role " + caller.role());
        }
    }

    /** The caller checked by {@link #check}; only on {@link Access#USER} and {@link Access#ADMIN} routes. */
    static Caller caller(Context ctx) {
        @Nullable Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no caller on " + ctx.path() + ": is the route declared Access.USER?");
        }
        return caller;
    }

    /** The bearer token of {@code Authorization: Bearer <token>}, if present and not empty. */
    static Optional<Secret> bearer(Context ctx) {
        @Nullable String header = ctx.header("Authorization");
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return Optional.empty();
        }
        String token = header.substring(BEARER.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(Secret.of(token));
    }

    /** A bearer token if there is one, else the session cookie. */
    static Optional<Secret> sessionToken(Context ctx) {
        Optional<Secret> bearer = bearer(ctx);
        if (bearer.isPresent()) {
            return bearer;
        }
        @Nullable String cookie = ctx.cookie(COOKIE);
        return cookie == null || cookie.isBlank() ? Optional.empty() : Optional.of(Secret.of(cookie));
    }
}
