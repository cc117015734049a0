package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.auth.Caller;
import io.understudy.center.orchestrator.Configurations;
import io.understudy.center.orchestrator.NewConfiguration;
import io.understudy.center.orchestrator.Refusal;
import io.understudy.core.api.ConfigurationChange;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.CreateStandbyRequest;
import io.understudy.core.api.FailoverRequest;
import io.understudy.core.api.OperationAccepted;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The configurations resource: {@code /api/v1/configurations} (create, list), {@code
 * /api/v1/configurations/{name}} (show, change settings, delete), {@code .../{name}/standby} (create the standby, an
 * operation) and {@code .../{name}/lag} (lag history).
 */
final class ConfigurationRoutes {
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    private final Configurations configurations;

    ConfigurationRoutes(Configurations configurations) {
        this.configurations = configurations;
    }

    void register(Javalin app) {
        app.post("/api/v1/configurations", this::create, Access.ADMIN);
        app.get("/api/v1/configurations", this::list, Access.USER);
        app.get("/api/v1/configurations/{name}", this::show, Access.USER);
        app.delete("/api/v1/configurations/{name}", this::delete, Access.ADMIN);
        app.patch("/api/v1/configurations/{name}", this::change, Access.ADMIN);
        app.post("/api/v1/configurations/{name}/standby", this::createStandby, Access.ADMIN);
        app.get("/api/v1/configurations/{name}/lag", this::lag, Access.USER);
        app.post("/api/v1/configurations/{name}/switchover", this::switchover, Access.ADMIN);
        app.post("/api/v1/configurations/{name}/failover", this::failover, Access.ADMIN);
        app.post("/api/v1/configurations/{name}/reinstate", this::reinstate, Access.ADMIN);
    }

    private void switchover(Context ctx) {
        String name = name(ctx);
        try (var mdc = MDC.putCloseable("configuration", name)) {
            accepted(
                    ctx,
                    configurations.switchover(name, Authentication.caller(ctx).user()));
        }
    }

    private void failover(Context ctx) {
        String name = name(ctx);
        // No body means no confirmation, as the CLI's "failover NAME" without --yes.
        FailoverRequest request = ctx.body().isBlank()
                ? new FailoverRequest(false)
                : RequestBodies.read(ctx.body(), FailoverRequest.class);
        try (var mdc = MDC.putCloseable("configuration", name)) {
            accepted(
                    ctx,
                    configurations.failover(
                            name, request.confirm(), Authentication.caller(ctx).user()));
        }
    }

    private void reinstate(Context ctx) {
        String name = name(ctx);
        try (var mdc = MDC.putCloseable("configuration", name)) {
            accepted(
                    ctx,
                    configurations.reinstate(name, Authentication.caller(ctx).user()));
        }
    }

    /** 202 with the operation, and where to follow it. */
    private static void accepted(Context ctx, OperationAccepted accepted) {
        ctx.status(202)
                .header("Location", "/api/v1/operations/" + accepted.operationId())
                .json(accepted);
    }

    private void create(Context ctx) {
        ConfigurationRequest request = RequestBodies.read(ctx.body(), ConfigurationRequest.class);
        NewConfiguration valid = RequestValidation.configuration(request);
        Caller caller = Authentication.caller(ctx);
        try (var mdc = MDC.putCloseable("configuration", valid.name())) {
            ConfigurationView view = configurations.create(valid, caller.user());
            ctx.status(201)
                    .header("Location", "/api/v1/configurations/" + view.name())
                    .json(view);
        }
    }

    private void list(Context ctx) {
        ctx.json(configurations.list());
    }

    private void show(Context ctx) {
        ctx.json(configurations.find(name(ctx)));
    }

    private void delete(Context ctx) {
        String name = name(ctx);
        try (var mdc = MDC.putCloseable("configuration", name)) {
            configurations.delete(name, Authentication.caller(ctx).user());
            ctx.status(204);
        }
    }

    private void change(Context ctx) {
        String name = name(ctx);
        ConfigurationChange change = RequestBodies.read(ctx.body(), ConfigurationChange.class);
        RequestValidation.change(change);
        try (var mdc = MDC.putCloseable("configuration", name)) {
            ctx.json(configurations.change(
                    name, change, Authentication.caller(ctx).user()));
        }
    }

    private void createStandby(Context ctx) {
        String name = name(ctx);
        // No body means no confirmation, as the CLI's "standby create NAME" without --yes.
        CreateStandbyRequest request = ctx.body().isBlank()
                ? new CreateStandbyRequest(false)
                : RequestBodies.read(ctx.body(), CreateStandbyRequest.class);
        try (var mdc = MDC.putCloseable("configuration", name)) {
            OperationAccepted accepted = configurations.createStandby(
                    name, request.replaceExisting(), Authentication.caller(ctx).user());
            accepted(ctx, accepted);
        }
    }

    private void lag(Context ctx) {
        String name = name(ctx);
        ctx.json(configurations.lag(name, window(ctx.queryParam("window"))));
    }

    /** {@code window}: an ISO-8601 duration such as PT1H or PT24H; absent means one hour. */
    static Duration window(@Nullable String text) {
        if (text == null) {
            return DEFAULT_WINDOW;
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(
                    "window", "window must be an ISO-8601 duration of at most 24 hours, e.g. PT1H or PT24H");
        }
    }

    /** The path's configuration name; one that cannot be a name is not found. */
    static String name(Context ctx) {
        String name = ctx.pathParam("name");
        if (!Configurations.NAME.matcher(name).matches()) {
            throw Refusal.notFound("no configuration named " + (name.length() > 80 ? name.substring(0, 80) + "…" : name)
                    + "; GET /api/v1/configurations lists them");
        }
        return name;
    }
}
