package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the hand-written OpenAPI 3.0 description of every route, kept true
 * by a test that compares it with the routes registered.
 */
final class OpenApiRoutes {
    /** Class-path resource holding the description. */
    static final String RESOURCE = "/io/understudy/center/api/openapi.json";

    private final byte[] description;

    OpenApiRoutes() {
        this.description = load();
    }

    void register(Javalin app) {
        app.get("/api/openapi.json", this::describe, Access.PUBLIC);
    }

    private void describe(Context ctx) {
        ctx.contentType("application/json").result(description);
    }

    static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
