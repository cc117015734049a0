package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.auth.Caller;
import io.understudy.center.auth.Sessions;
import io.understudy.core.api.LoginReply;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.api.SessionView;

/**
 * The session resource: {@code POST /api/v1/login}, {@code POST /api/v1/logout}, {@code GET
 * /api/v1/session}.
 */
final class SessionRoutes {
    private static final String COOKIE_ATTRIBUTES = "; Path=/; HttpOnly; SameSite=Strict";

    private final Sessions sessions;
    private final LiveUpdates liveUpdates;

    SessionRoutes(Sessions sessions, LiveUpdates liveUpdates) {
        this.sessions = sessions;
        this.liveUpdates = liveUpdates;
    }

    void register(Javalin app) {
        app.post("/api/v1/login", this::login, Access.PUBLIC);
        app.post("/api/v1/logout", this::logout, Access.USER);
        app.get("/api/v1/session", this::session, Access.USER);
    }

    private void login(Context ctx) {
        LoginRequest request = RequestBodies.read(ctx.body(), LoginRequest.class);
        RequestValidation.login(request);
        LoginReply reply = sessions.login(request.user(), request.password(), ctx.ip())
                .orElseThrow(() -> ApiException.unauthorized("wrong user name or password"));
        // A browser session cookie (no Max-Age): the store enforces the sliding expiry.
        ctx.header("Set-Cookie", Authentication.COOKIE + "=" + reply.token().reveal() + COOKIE_ATTRIBUTES);
        ctx.json(reply);
    }

    private void logout(Context ctx) {
        Caller caller = Authentication.caller(ctx);
        sessions.logout(caller, ctx.ip());
        liveUpdates.sessionEnded(caller.sessionTokenHash());
        ctx.header("Set-Cookie", Authentication.COOKIE + "=" + COOKIE_ATTRIBUTES + "; Max-Age=0");
        ctx.status(204);
    }

    private void session(Context ctx) {
        Caller caller = Authentication.caller(ctx);
        ctx.json(new SessionView(caller.user(), caller.role(), caller.language(), caller.csrfToken()));
    }
}
