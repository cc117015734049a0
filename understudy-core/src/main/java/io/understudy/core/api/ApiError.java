package io.understudy.core.api;

import java.util.Map;

/**
 * Every error the API returns: a stable machine code, a sentence for people, and details such as
 * the {@code field} that was wrong.
 */
public record ApiError(String code, String message, Map<String, Object> details) {
    public ApiError {
        details = Map.copyOf(details);
    }

    public static ApiError of(String code, String message) {
        return new ApiError(code, message, Map.of());
    }

    /** An error about one input field, naming it in {@code details.field}. */
    public static ApiError invalidField(String field, String message) {
        return new ApiError("invalid_input", message, Map.of("field", field));
    }
}
