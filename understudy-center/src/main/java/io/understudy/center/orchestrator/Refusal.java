package io.understudy.center.orchestrator;

import io.understudy.core.UnderstudyException;
import java.util.Map;

/**
 * A request the orchestrator refuses, with nothing changed: a stable code, a sentence saying why
 * and what to do, and details such as the {@code field} at fault. The API answers it with the
 * status of its {@link Code}; it is an expected outcome and never logged as an error.
 */
public final class Refusal extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    /** Why, as the API's error codes. */
    public enum Code {
        /** An input is wrong; {@code details.field} names it (400). */
        INVALID_INPUT("invalid_input"),
        /** No such Configuration or operation (404). */
        NOT_FOUND("not_found"),
        /** It conflicts with what exists or runs: a name in use, an operation running (409). */
        CONFLICT("conflict"),
        /**
         * Not possible in the current state: the primary down or not a primary, an agent offline
         * (409). Asking again helps only once that changes.
         */
        NOT_READY("not_ready"),
        /**
         * The standby target has not been inspected since its goal became WAIT_STANDBY; its agent
         * does so at its next report, so asking again in a moment helps (409).
         */
        TARGET_NOT_INSPECTED("target_not_inspected"),
        /** It would replace something, or promote whatever the primary's state; the user must confirm it (409). */
        CONFIRMATION_REQUIRED("confirmation_required"),
        /** A switchover needs a standby that streams and is in sync; this one is not (409). */
        NOT_IN_SYNC("not_in_sync"),
        /** A reinstate needs a Configuration that was failed over; this one was not (409). */
        NOT_FAILED_OVER("not_failed_over");

        private final String text;

        Code(String text) {
            this.text = text;
        }

        /** The code as the API writes it, e.g. {@code not_ready}. */
        public String text() {
            return text;
        }
    }

    private final Code code;

    @SuppressWarnings("serial") // never serialized
    private final Map<String, Object> details;

    public Refusal(Code code, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    /** An input is wrong: {@code field} and why. */
    public static Refusal invalid(String field, String message) {
        return new Refusal(Code.INVALID_INPUT, message, Map.of("field", field));
    }

    public static Refusal notFound(String message) {
        return new Refusal(Code.NOT_FOUND, message, Map.of());
    }

    public static Refusal conflict(String message, Map<String, Object> details) {
        return new Refusal(Code.CONFLICT, message, details);
    }

    public static Refusal notReady(String message) {
        return new Refusal(Code.NOT_READY, message, Map.of());
    }

    public static Refusal targetNotInspected(String message) {
        return new Refusal(Code.TARGET_NOT_INSPECTED, message, Map.of());
    }

    public Code code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
