package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.orchestrator.Configurations;

/**
 * The status resource: {@code GET /api/v1/status} (every Configuration) and {@code GET
 * /api/v1/status/{name}}: each database's role and state, streaming, lag and in-sync.
 */
final class StatusRoutes {
    private final Configurations configurations;

    StatusRoutes(Configurations configurations) {
        this.configurations = configurations;
    }

    void register(Javalin app) {
        app.get("/api/v1/status", ctx -> ctx.json(configurations.status()), Access.USER);
        app.get("/api/v1/status/{name}", this::show, Access.USER);
    }

    private void show(Context ctx) {
        ctx.json(configurations.status(ConfigurationRoutes.name(ctx)));
    }
}
