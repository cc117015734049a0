package io.understudy.center.api;

import io.understudy.core.UnderstudyException;
import io.understudy.core.api.ApiError;

/**
 * An expected refusal of a request, with the HTTP status and the body to send. {@link
 * ErrorMapping} turns it into the response; it is never logged as an error.
 */
public final class ApiException extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    private final int status;

    @SuppressWarnings("serial") // never serialized
    private final ApiError error;

    public ApiException(int status, ApiError error) {
        super(error.code() + ": " + error.message());
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }

    /** 400 {@code invalid_input}, naming the field. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(400, ApiError.invalidField(field, message));
    }

    /** 400 {@code malformed_json}. */
    public static ApiException malformedJson(String message) {
        return new ApiException(400, ApiError.of("malformed_json", message));
    }

    /** 403 {@code forbidden}: the session is valid, but its role may not do this. */
    public static ApiException forbidden(String message) {
        return new ApiException(403, ApiError.of("forbidden", message));
    }

    /** 401 {@code unauthorized}. */
    public static ApiException unauthorized(String message) {
        return new ApiException(401, ApiError.of("unauthorized", message));
    }
}
