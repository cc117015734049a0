package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.auth.Caller;
import io.understudy.center.auth.Users;
import io.understudy.center.store.UserRecord;
import io.understudy.core.api.ApiError;
import io.understudy.core.api.LanguageChange;
import io.understudy.core.api.PasswordChange;
import io.understudy.core.api.UserRequest;
import io.understudy.core.api.UserView;
import java.util.Map;

/**
 * The users resource: {@code GET} and {@code POST /api/v1/users}, {@code DELETE
 * /api/v1/users/{name}} (an admin's), and {@code PUT /api/v1/users/{name}/password} and {@code
 * .../language} (an admin's, or the user's own).
 */
final class UserRoutes {
    private final Users users;

    UserRoutes(Users users) {
        this.users = users;
    }

    void register(Javalin app) {
        app.get("/api/v1/users", this::list, Access.ADMIN);
        app.post("/api/v1/users", this::add, Access.ADMIN);
        app.delete("/api/v1/users/{name}", this::remove, Access.ADMIN);
        app.put("/api/v1/users/{name}/password", this::changePassword, Access.USER);
        app.put("/api/v1/users/{name}/language", this::changeLanguage, Access.USER);
    }

    private void list(Context ctx) {
        ctx.json(users.list().stream().map(UserRoutes::view).toList());
    }

    private void add(Context ctx) {
        UserRequest request = RequestBodies.read(ctx.body(), UserRequest.class);
        RequestValidation.user(request);
        Users.Outcome outcome =
                users.add(request.name(), request.password(), request.role(), Authentication.caller(ctx));
        if (outcome == Users.Outcome.EXISTS) {
            throw new ApiException(
                    409,
                    new ApiError(
                            "conflict",
                            "a user named " + request.name() + " exists already; choose another name",
                            Map.of("field", "name")));
        }
        UserRecord added = users.find(request.name()).orElseThrow(() -> notFound(request.name()));
        ctx.status(201).header("Location", "/api/v1/users/" + added.name()).json(view(added));
    }

    private void remove(Context ctx) {
        String name = name(ctx);
        Caller caller = Authentication.caller(ctx);
        switch (users.remove(name, caller)) {
            case DONE -> ctx.status(204);
            case NOT_FOUND -> throw notFound(name);
            case SELF -> throw conflict("you cannot remove your own user " + name + "; another admin can");
            default -> throw new IllegalStateException("unexpected outcome of removing user " + name);
        }
    }

    private void changePassword(Context ctx) {
        String name = name(ctx);
        Caller caller = requireSelfOrAdmin(ctx, name, "password");
        PasswordChange request = RequestBodies.read(ctx.body(), PasswordChange.class);
        RequestValidation.passwordChange(request);
        switch (users.changePassword(name, request.currentPassword(), request.password(), caller)) {
            case DONE -> ctx.status(204);
            case NOT_FOUND -> throw notFound(name);
            case WRONG_PASSWORD -> throw ApiException.invalid(
                    "currentPassword", "currentPassword is not the password of user " + caller.user());
            default -> throw new IllegalStateException("unexpected outcome of changing the password of " + name);
        }
    }

    private void changeLanguage(Context ctx) {
        String name = name(ctx);
        Caller caller = requireSelfOrAdmin(ctx, name, "language");
        String language = RequestValidation.language(RequestBodies.read(ctx.body(), LanguageChange.class));
        if (users.changeLanguage(name, language, caller) == Users.Outcome.NOT_FOUND) {
            throw notFound(name);
        }
        ctx.status(204);
    }

    /** The caller, when it is user {@code name} or an admin; 403 for a viewer asking about another user. */
    private static Caller requireSelfOrAdmin(Context ctx, String name, String what) {
        Caller caller = Authentication.caller(ctx);
        if (!caller.isAdmin() && !caller.user().equals(name)) {
            throw ApiException.forbidden(
                    "user " + caller.user() + " (role " + caller.role() + ") may change only their own " + what);
        }
        return caller;
    }

    private static String name(Context ctx) {
        String name = ctx.pathParam("name");
        if (!RequestValidation.USER_NAME.matcher(name).matches()) {
            throw notFound(name.length() > 80 ? name.substring(0, 80) + "…" : name);
        }
        return name;
    }

    private static ApiException notFound(String name) {
        return new ApiException(
                404, ApiError.of("not_found", "no user named " + name + "; GET /api/v1/users lists them"));
    }

    private static ApiException conflict(String message) {
        return new ApiException(409, ApiError.of("conflict", message));
    }

    private static UserView view(UserRecord user) {
        return new UserView(user.name(), user.role(), user.language(), user.createdAt());
    }
}
