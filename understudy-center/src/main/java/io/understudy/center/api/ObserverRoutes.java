package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.orchestrator.ObserverSetup;
import io.understudy.core.configuration.ObserverSettings;
import org.slf4j.MDC;

/**
 * The observer's settings of a Configuration: {@code GET} and {@code PUT
 * /api/v1/configurations/{name}/observer} (an admin's). A PUT carries every setting; a bad one is
 * refused naming it, and nothing changes.
 */
final class ObserverRoutes {
    private final ObserverSetup observers;

    ObserverRoutes(ObserverSetup observers) {
        this.observers = observers;
    }

    void register(Javalin app) {
        app.get("/api/v1/configurations/{name}/observer", this::show, Access.USER);
        app.put("/api/v1/configurations/{name}/observer", this::change, Access.ADMIN);
    }

    private void show(Context ctx) {
        ctx.json(observers.settings(ConfigurationRoutes.name(ctx)));
    }

    private void change(Context ctx) {
        String name = ConfigurationRoutes.name(ctx);
        ObserverSettings settings = RequestBodies.read(ctx.body(), ObserverSettings.class);
        RequestValidation.observer(settings);
        try (var mdc = MDC.putCloseable("configuration", name)) {
            ctx.json(observers.change(name, settings, Authentication.caller(ctx).user()));
        }
    }
}
