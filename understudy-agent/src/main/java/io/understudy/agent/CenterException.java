package io.understudy.agent;

import io.understudy.core.UnderstudyException;
import org.jspecify.annotations.Nullable;

/** A call to the Control Center failed; {@link #kind()} says how, so the caller can react. */
public final class CenterException extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    /** How a call failed. */
    public enum Kind {
        /** No answer: connection refused, timed out, unknown host. Try again later. */
        UNREACHABLE,
        /** The Control Center does not accept this agent's token: enrol again. */
        UNAUTHORIZED,
        /** The Control Center refused the request for good (wrong passphrase, bad input). */
        REFUSED
    }

    private final Kind kind;

    public CenterException(Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
