package io.understudy.center.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.understudy.center.auth.Caller;
import io.understudy.center.auth.Sessions;
import io.understudy.center.auth.Tokens;
import io.understudy.core.api.ApiError;
import io.understudy.core.protocol.Secret;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Finds the caller of a request: a user session from {@code Authorization: Bearer} or the {@code
 * understudy_session} cookie, checked before every {@link Access#USER} route. A request that
 * carries the session as the cookie (a browser's) and changes something must also carry the
 * session's CSRF token in {@value #CSRF_HEADER}; another site can make a browser send the cookie,
 * but it cannot read the token. A bearer token is never sent by a browser on its own, so requests
 * with one need no CSRF token.
 */
final class Authentication {
    /** The session cookie's name. */
    static final String COOKIE = "understudy_session";

    /** The header carrying the session's CSRF token ({@link Tokens#csrfToken}). */
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String CALLER = "io.understudy.center.api.caller";
    private static final String BEARER = "bearer ";
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final Sessions sessions;

    Authentication(Sessions sessions) {
        this.sessions = sessions;
    }

    /**
     * Before-handler: requires a live user session on {@link Access#USER} routes, and one of a user
     * whose role is admin on {@link Access#ADMIN} routes; with the cookie, on a request that is not
     * GET, HEAD or OPTIONS, the session's CSRF token too.
     */
    void check(Context ctx) {
        boolean admin = ctx.routeRoles().contains(Access.ADMIN);
        if (!admin && !ctx.routeRoles().contains(Access.USER)) {
            return;
        }
        Optional<Secret> bearer = bearer(ctx);
        Secret token = bearer.or(() -> cookie(ctx))
                .orElseThrow(() -> ApiException.unauthorized(
                        "this needs a user session: log in first (POST /api/v1/login), then send the"
                                + " understudy_session cookie or Authorization: Bearer <token>"));
        Caller caller = sessions.authenticate(token)
                .orElseThrow(() -> ApiException.unauthorized("the session has ended or is not valid; log in again"));
        if (bearer.isEmpty() && !SAFE.contains(ctx.method())) {
            requireCsrfToken(ctx, token);
        }
        ctx.attribute(CALLER, caller);
        MDC.put("user", caller.user());
        if (admin) {
            requireAdmin(caller);
        }
    }

    private static void requireCsrfToken(Context ctx, Secret sessionToken) {
        @Nullable String presented = ctx.header(CSRF_HEADER);
        if (presented == null || !Tokens.matchesCsrf(sessionToken, presented.strip())) {
            throw new ApiException(
                    403,
                    ApiError.of(
                            "csrf_token_invalid",
                            "a request that sends the session cookie and changes something must carry the"
                                    + " session's " + CSRF_HEADER + " header (csrfToken of POST /api/v1/login"
                                    + " or GET /api/v1/session); requests with Authorization: Bearer need none"));
        }
    }

    /** Refuses with 403 unless {@code caller}'s role is admin. */
    static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
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

    /** The session cookie, if present and not empty. */
    private static Optional<Secret> cookie(Context ctx) {
        @Nullable String cookie = ctx.cookie(COOKIE);
        return cookie == null || cookie.isBlank() ? Optional.empty() : Optional.of(Secret.of(cookie));
    }
}
