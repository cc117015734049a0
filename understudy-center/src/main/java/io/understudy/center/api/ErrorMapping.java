package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.understudy.center.orchestrator.Refusal;
import io.understudy.core.api.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become responses: {@code {code, message, details}} ({@link ApiError})
 * with a fitting status. Expected refusals ({@link ApiException}, and the orchestrator's {@link
 * Refusal}: 400, 404 or 409 by its code) are answered as they are;
 * anything unexpected is a 500 with a generic message, logged once at ERROR with its stack trace.
 * A response never carries a stack trace.
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {}

    /** Registers the exception handlers on {@code app}. */
    static void install(Javalin app) {
        app.exception(ApiException.class, (e, ctx) -> respond(ctx, e.status(), e.error()));
        app.exception(Refusal.class, (e, ctx) -> respond(ctx, status(e.code()), fromRefusal(e)));
        app.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), fromJavalin(e, ctx)));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
            respond(ctx, 500, internalError());
        });
    }

    /** The body of every 500: nothing about the cause, which is in the log. */
    static ApiError internalError() {
        return ApiError.of("internal_error", "internal error in the Control Center; its log has the details");
    }

    /** The status of a refusal's code. */
    static int status(Refusal.Code code) {
        return switch (code) {
            case INVALID_INPUT -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT, NOT_READY, TARGET_NOT_INSPECTED, CONFIRMATION_REQUIRED, NOT_IN_SYNC, NOT_FAILED_OVER -> 409;
        };
    }

    static ApiError fromRefusal(Refusal e) {
        return new ApiError(e.code().text(), String.valueOf(e.getMessage()), e.details());
    }

    /** Javalin's own refusals: no such route, wrong method, request too large, ... */
    static ApiError fromJavalin(HttpResponseException e, Context ctx) {
        String request = ctx.method() + " " + ctx.path();
        return switch (e.getStatus()) {
            case 404 -> ApiError.of("not_found", "not found: " + request);
            case 405 -> ApiError.of("method_not_allowed", "method not allowed: " + request);
            case 413 -> ApiError.of("payload_too_large", "the request body is too large");
            case 400 -> ApiError.of("bad_request", "bad request: " + request);
            default -> ApiError.of("http_" + e.getStatus(), "the request was refused: " + request);
        };
    }

    private static void respond(Context ctx, int status, ApiError error) {
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(status).json(error);
    }
}
