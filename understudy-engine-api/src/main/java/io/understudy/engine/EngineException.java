package io.understudy.engine;

import io.understudy.core.UnderstudyException;
import org.jspecify.annotations.Nullable;

/** A database engine could not do what it was asked; {@link #failure()} says whether to retry. */
public class EngineException extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    private final Failure failure;

    public EngineException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public EngineException(Failure failure, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
