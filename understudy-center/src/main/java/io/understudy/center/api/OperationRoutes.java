package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.orchestrator.Configurations;
import io.understudy.center.orchestrator.Refusal;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The operations resource: {@code GET /api/v1/operations/{id}}, {@code GET
 * /api/v1/operations?configuration=NAME&limit=N} (newest first), and {@code POST
 * /api/v1/operations/{id}/cancel} (an admin's).
 */
final class OperationRoutes {
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    private final Configurations configurations;

    OperationRoutes(Configurations configurations) {
        this.configurations = configurations;
    }

    void register(Javalin app) {
        app.get("/api/v1/operations", this::list, Access.USER);
        app.get("/api/v1/operations/{id}", this::show, Access.USER);
        app.post("/api/v1/operations/{id}/cancel", this::cancel, Access.ADMIN);
    }

    private void list(Context ctx) {
        int limit = EventRoutes.limit(ctx.queryParam("limit"));
        ctx.json(configurations.operations(configuration(ctx.queryParam("configuration")), limit));
    }

    private void show(Context ctx) {
        ctx.json(configurations.operation(id(ctx)));
    }

    /** Ends a running operation FAILED, "cancelled by USER"; 409 when it is not running. */
    private void cancel(Context ctx) {
        String id = id(ctx);
        ctx.json(configurations.cancel(id, Authentication.caller(ctx).user()));
    }

    /** The path's operation id; one that cannot be an id is not found. */
    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw Refusal.notFound("no operation " + (id.length() > 80 ? id.substring(0, 80) + "…" : id)
                    + "; GET /api/v1/operations lists them");
        }
        return id;
    }

    /** {@code configuration}: absent means every Configuration. */
    static Optional<String> configuration(@Nullable String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.strip();
        if (!Configurations.NAME.matcher(name).matches()) {
            throw ApiException.invalid(
                    "configuration", "configuration must be a configuration's name: " + Configurations.NAME_RULE);
        }
        return Optional.of(name);
    }
}
