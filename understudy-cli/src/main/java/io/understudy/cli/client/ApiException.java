package io.understudy.cli.client;

import io.understudy.core.UnderstudyException;
import io.understudy.core.api.ApiError;

/**
 * The Control Center answered a call with an error status. The message is the Control Center's
 * own sentence for people; {@link #error()} has its machine code and details.
 */
public final class ApiException extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    private final int status;

    @SuppressWarnings("serial") // ApiError is a record of strings and plain values
    private final ApiError error;

    public ApiException(int status, ApiError error) {
        super(error.message());
        this.status = status;
        this.error = error;
    }

    /** The HTTP status, e.g. 401, 404, 409. */
    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
